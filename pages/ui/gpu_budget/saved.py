"""GPU Budget, Saved estimates tab: save, compare, export and delete estimates; open one in Funding."""

import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from core.formatting import compact, gigabytes, milliseconds, money, percent
from pages.ui.common import FUNDING_PAGE, escape_markdown, inert_html

# Each compared figure: its label with unit, and how it is written.
COMPARED = {
    "kind": ("Kind", str),
    "training_cost_usd": ("Training cost", money),
    "training_cost_usd_low": ("Training cost, low", money),
    "training_cost_usd_high": ("Training cost, high", money),
    "training_wall_days": ("Training days", lambda v: f"{v:,.1f}"),
    "serving_monthly_cost_usd": ("Serving per month", money),
    "serving_monthly_cost_low": ("Serving per month, low", money),
    "serving_monthly_cost_high": ("Serving per month, high", money),
    "gpu": ("Training GPU", str),
    "params": ("Parameters", compact),
    "active_params": ("Active parameters", compact),
    "tokens": ("Training tokens", compact),
    "gpus": ("Training GPUs", compact),
    "mfu": ("MFU", percent),
    "gpu_hours": ("GPU-hours", compact),
    "gpu_hours_low": ("GPU-hours, low", compact),
    "gpu_hours_high": ("GPU-hours, high", compact),
    "energy_kwh": ("Energy (kWh)", compact),
    "co2_kg": ("CO₂ (kg)", compact),
    "train_memory_gb": ("Memory to train", gigabytes),
    "min_gpus": ("Fewest GPUs that hold it", compact),
    "serving_gpu": ("Serving GPU", str),
    "serving_gpus_needed": ("Serving GPUs", compact),
    "decode_tokens_per_s": ("Decode tokens/s per replica", compact),
    "cost_per_million_output_tokens": ("$ per million output tokens", money),
    "usd_per_million_input_tokens": ("$ per million input tokens", money),
    "ttft_ms": ("Time to first token", milliseconds),
    "tpot_ms": ("Time per output token", milliseconds),
    "serving_utilization": ("Serving utilization", percent),
}


def comparison_table(rows: list[dict]) -> pd.DataFrame:
    """One column per saved estimate, one row per figure, each with its label and written compactly."""
    table = {}
    for row in rows:
        table[row["name"]] = {
            label: ("–" if row.get(key) is None else write(row[key])) for key, (label, write) in COMPARED.items()
        }
    return pd.DataFrame(table)


def costs_chart(rows: list[dict]) -> go.Figure | None:
    """A one-off training bill and a monthly serving bill differ a thousandfold: each gets its own axis."""
    training = [(row["name"], row["training_cost_usd"]) for row in rows if row.get("training_cost_usd") is not None]
    serving = [(row["name"], row["serving_monthly_cost_usd"]) for row in rows
               if row.get("serving_monthly_cost_usd") is not None]  # fmt: skip
    if not training and not serving:
        return None
    figure = make_subplots(rows=1, cols=2, subplot_titles=("Training run (once)", "Serving (per month)"))
    for column, pairs in ((1, training), (2, serving)):
        if pairs:
            figure.add_bar(x=[inert_html(name) for name, _ in pairs], y=[value for _, value in pairs], row=1,
                           col=column, text=[money(value) for _, value in pairs], showlegend=False)  # fmt: skip
        figure.update_yaxes(tickprefix="$", tickformat="~s", rangemode="tozero", row=1, col=column)
    return figure.update_layout(title="Saved estimates", height=380)


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
            part_training = training if include_training else None
            part_serving = serving if include_serving else None
            inputs = (
                training_inputs.as_dict() if training_inputs and part_training else None,
                serving_inputs.as_dict() if serving_inputs and part_serving else None,
            )
            # Enter in the name box submits the form; a second click on Save for the same estimate is not a clash.
            fingerprint = json.dumps([name.strip(), inputs, part_training, part_serving], sort_keys=True, default=str)
            if state.get("saved_last") == fingerprint:
                st.success(f"Already saved as {escape_markdown(repr(name.strip()))}.")
            else:
                try:
                    saved = save_estimate(name, inputs[0], part_training, inputs[1], part_serving, overwrite=overwrite)
                except EstimateStoreError as exc:
                    st.error(f"Nothing saved. {escape_markdown(exc)}")
                else:
                    state["saved_last"] = fingerprint
                    st.success(f"Saved {escape_markdown(repr(saved['name']))} ({saved['kind']}).")

    if state.get("saved_flash"):
        st.success(escape_markdown(state.pop("saved_flash")))
    saved_all = list_estimates()
    if not saved_all:
        st.info("No saved estimates yet.")
    else:
        names = [estimate["name"] for estimate in saved_all]
        picked = st.multiselect("Compare", names, default=names, key="saved_pick")
        chosen = [estimate for estimate in saved_all if estimate["name"] in picked]
        if chosen:
            rows = comparison_rows(chosen)
            st.dataframe(comparison_table(rows), width="stretch")
            figure = costs_chart(rows)
            if figure is not None:
                st.plotly_chart(figure, width="stretch")
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
