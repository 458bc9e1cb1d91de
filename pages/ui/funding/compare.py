"""Funding, Four advantages tab: two to four scenarios compared on runway, dilution, survival and payout. A runway
that never ends is shown as such, never as the model's 600-month edge."""

import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.funding import store as store
from core.funding.model import ScenarioError, scenario_to_dict
from pages.ui.common import inert_html
from pages.ui.funding.draft import cached_comparison
from pages.ui.funding.format import md, money, percent


def _runway(value: float | None) -> str:
    return "never runs out" if value is None else f"{value:.1f} months"


def _number(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.2f}{unit}"


def comparison_table(rows: list[dict], labels: list[str]) -> pd.DataFrame:
    """One column per scenario, one human-named row per measure."""
    measures = {
        "Runway if every raise closes": [_runway(r["runway_months"]) for r in rows],
        "Runway on cash in hand": [_runway(r["runway_without_raises_months"]) for r in rows],
        "Founder ownership after the last event": [percent(r["founder_ownership_end"], 1) for r in rows],
        "Dilution (points)": [f"{r['dilution_points']:.1f}" for r in rows],
        "Survival with the raises": [percent(r["survival_probability"]) for r in rows],
        "Survival on cash in hand": [percent(r["survival_without_raises"]) for r in rows],
        "Survival points bought per point of dilution": [
            _number(r["survival_points_per_dilution_point"]) for r in rows
        ],
        "Expected founder payout (Monte Carlo)": [money(r["expected_founder_payout"]) for r in rows],
        "Founder payout at the exit value": [money(r["founder_payout_at_exit"]) for r in rows],
        "Compute paid by credits": [money(r["compute_covered_by_credits"]) for r in rows],
        "Brand: payout effect at the exit value": [money(r["brand_payout_effect"]) for r in rows],
        "Runway P50 (Monte Carlo)": [_runway(r["runway_p50"]) for r in rows],
    }
    return pd.DataFrame(measures, index=labels).T


def show(draft: dict, saved_names: list[str], example_payloads: dict) -> None:
    options = ["Current draft"] + [f"Saved: {n}" for n in saved_names] + [f"Example: {n}" for n in example_payloads]
    default = ["Current draft"] + [f"Example: {n}" for n in list(example_payloads)[:3] if n != draft.get("name")][:2]
    picked = st.multiselect("Scenarios (2-4)", options, default=default, max_selections=4, key="funding_compare")
    row = st.columns(2)
    compare_month = row[0].number_input("Survive past month", 1, 600, 36, key="funding_compare_month")
    exit_value = row[1].number_input("Exit value for payouts ($)", 0.0, None, 100e6, step=1e7, key="funding_exit")
    if len(picked) < 2:
        st.info("Pick at least two scenarios.")
        return
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
        st.error(f"Comparison failed. {md(exc)}")
        return
    labels = [f"{i + 1}. {r['name']}" for i, r in enumerate(rows)]
    chart_labels = [inert_html(label) for label in labels]
    grid = st.columns(2)
    survival = go.Figure()
    survival.add_bar(x=chart_labels, y=[100 * r["survival_probability"] for r in rows], name="With the raises")
    survival.add_bar(x=chart_labels, y=[100 * r["survival_without_raises"] for r in rows], name="Cash in hand only")
    survival.update_layout(title=f"Risk: % of paths alive past month {int(compare_month)}", height=300, barmode="group")
    grid[0].plotly_chart(survival, width="stretch")
    ownership = go.Figure(go.Bar(x=chart_labels, y=[100 * r["founder_ownership_end"] for r in rows]))
    ownership.update_layout(title="Funding cost: founder ownership after the last event (%)", height=300)
    grid[1].plotly_chart(ownership, width="stretch")
    for number, (title, key) in enumerate(
        [
            ("Funding support: survival points bought per point of dilution", "survival_points_per_dilution_point"),
            ("Resource integration: compute paid by credits", "compute_covered_by_credits"),
            ("Brand: founder payout effect at the exit value", "brand_payout_effect"),
            ("Payout: expected founder payout (0 on paths that die)", "expected_founder_payout"),
        ]
    ):
        values = [r[key] or 0 for r in rows]
        money_chart = key != "survival_points_per_dilution_point"
        fig = go.Figure(
            go.Bar(
                x=chart_labels,
                y=values,
                text=[money(v) if money_chart else f"{v:.2f}" for v in values],
                marker_color="#54a24b" if money_chart else "#4c78a8",
            )
        )
        fig.update_layout(title=title, height=300, margin={"t": 50, "b": 30})
        if money_chart:
            fig.update_yaxes(tickprefix="$", tickformat="~s")
        grid[number % 2].plotly_chart(fig, width="stretch")
    st.dataframe(comparison_table(rows, labels), width="stretch")
