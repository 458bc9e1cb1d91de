"""GPU Budget, Saved estimates tab: save, compare, export and delete estimates; open one in Funding."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.ui.common import FUNDING_PAGE


def show(training: dict | None, training_inputs, serving: dict | None, serving_inputs) -> None:
    state = st.session_state
    from core.compute.store import (
        EstimateStoreError,
        comparison_rows,
        delete_estimate,
        export_csv,
        export_json,
        list_estimates,
        save_estimate,
    )

    with st.form("save_estimate"):
        cols = st.columns([3, 1, 1, 1])
        name = cols[0].text_input("Name", placeholder="e.g. 7B on H100, 2T tokens", key="save_name")
        include_training = cols[1].checkbox("Training", value=True, key="save_training")
        include_serving = cols[2].checkbox("Serving", value=True, key="save_serving")
        overwrite = cols[3].checkbox("Overwrite", value=False, key="save_overwrite")
        if st.form_submit_button("Save estimate", type="primary"):
            try:
                part_training = training if include_training else None
                part_serving = serving if include_serving else None
                saved = save_estimate(
                    name,
                    training_inputs.as_dict() if training_inputs and part_training else None,
                    part_training,
                    serving_inputs.as_dict() if serving_inputs and part_serving else None,
                    part_serving,
                    overwrite=overwrite,
                )
                st.success(f"Saved {saved['name']!r} ({saved['kind']}).")
            except EstimateStoreError as exc:
                st.error(f"Nothing saved. {exc}")

    if state.get("saved_flash"):
        st.success(state.pop("saved_flash"))
    saved_all = list_estimates()
    if not saved_all:
        st.info("No saved estimates yet.")
    else:
        names = [estimate["name"] for estimate in saved_all]
        picked = st.multiselect("Compare", names, default=names, key="saved_pick")
        chosen = [estimate for estimate in saved_all if estimate["name"] in picked]
        if chosen:
            table = pd.DataFrame(comparison_rows(chosen))
            st.dataframe(table.set_index("name").T.astype(str), width="stretch")
            costs = table.melt(
                id_vars="name", value_vars=["training_cost_usd", "serving_monthly_cost_usd"], var_name="figure"
            ).dropna()
            if not costs.empty:
                figure = go.Figure()
                for label, group in costs.groupby("figure"):
                    figure.add_bar(x=group["name"], y=group["value"], name=label)
                st.plotly_chart(figure.update_layout(barmode="group", title="Saved estimates (USD)"), width="stretch")
            cols = st.columns(3)
            cols[0].download_button("Export CSV", export_csv(chosen), "gpu_budget_estimates.csv", "text/csv")
            cols[1].download_button("Export JSON", export_json(chosen), "gpu_budget_estimates.json", "application/json")
        cols = st.columns([3, 1, 1])
        target = cols[0].selectbox("Estimate", names, key="saved_target")
        if cols[1].button("Delete", key="saved_delete"):
            delete_estimate(target)
            state["saved_flash"] = f"Deleted {target!r}."
            st.rerun()
        if cols[2].button("Open in Funding", key="saved_funding"):
            st.switch_page(FUNDING_PAGE, query_params={"estimate": target})
