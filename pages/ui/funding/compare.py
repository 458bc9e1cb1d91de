"""Funding, Four advantages tab: two to four scenarios compared on money, resources, brand and risk."""

import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.funding import store as store
from core.funding.model import ScenarioError, scenario_to_dict
from pages.ui.funding.draft import cached_comparison


def show(draft: dict, saved_names: list[str], example_payloads: dict) -> None:
    options = ["Current draft"] + [f"Saved: {n}" for n in saved_names] + [f"Example: {n}" for n in example_payloads]
    default = ["Current draft"] + [f"Example: {n}" for n in list(example_payloads)[:3] if n != draft.get("name")][:2]
    picked = st.multiselect("Scenarios (2-4)", options, default=default, max_selections=4, key="funding_compare")
    row = st.columns(2)
    compare_month = row[0].number_input("Survive past month", 1, 600, 36, key="funding_compare_month")
    exit_value = row[1].number_input("Exit value for payouts ($)", 0.0, None, 100e6, step=1e7, key="funding_exit")
    if len(picked) < 2:
        st.info("Pick at least two scenarios.")
    else:
        payloads = []
        for option in picked:
            if option == "Current draft":
                payloads.append(draft)
            elif option.startswith("Saved: "):
                payloads.append(scenario_to_dict(store.load_scenario(option.removeprefix("Saved: "))))
            else:
                payloads.append(example_payloads[option.removeprefix("Example: ")])
        try:
            rows = cached_comparison(json.dumps(payloads, sort_keys=True), int(compare_month), float(exit_value))
        except ScenarioError as exc:
            st.error(f"Comparison failed. {exc}")
            rows = []
        if rows:
            labels = [f"{i + 1}. {r['name']}" for i, r in enumerate(rows)]
            charts = [
                ("Funding support: runway months bought per point of dilution", "runway_months_per_dilution_point"),
                ("Resource integration: compute $ covered by credits", "compute_covered_by_credits"),
                ("Brand: founder payout effect at the exit value ($)", "brand_payout_effect"),
                ("Risk: survival probability", "survival_probability"),
            ]
            grid = st.columns(2)
            for number, (title, key) in enumerate(charts):
                fig = go.Figure(go.Bar(x=labels, y=[r[key] or 0 for r in rows], marker_color="#4c78a8"))
                fig.update_layout(title=title, height=300, margin={"t": 50, "b": 30})
                grid[number % 2].plotly_chart(fig, width="stretch")
            fig = go.Figure(go.Bar(x=labels, y=[r["expected_founder_payout"] for r in rows], marker_color="#54a24b"))
            fig.update_layout(title="Risk: expected founder payout (0 on paths that die)", height=300)
            st.plotly_chart(fig, width="stretch")
            table = pd.DataFrame(rows)
            table.insert(0, "scenario", labels)
            st.dataframe(table.drop(columns=["name"]), width="stretch", hide_index=True)
