"""Applications: the feasibility weights in the sidebar and the filters above the tabs."""

from typing import NamedTuple

import streamlit as st

from core.applications.catalog import (
    CRITERIA,
    CRITERION_HELP,
    HORIZONS,
    MATURITY_LEVELS,
    RISK_LEVELS,
    FeasibilityWeights,
    ScenarioError,
    filter_scenarios,
    list_scenarios,
    rank,
)


class Selection(NamedTuple):
    weights: FeasibilityWeights
    weights_line: str
    all_scenarios: list[dict]
    shown: list[dict]  # the filtered scenarios, best feasibility first
    by_name: dict[str, dict]  # every scenario, ranked


def show() -> Selection:
    with st.sidebar:
        st.subheader("Feasibility weights")
        st.caption("How much each criterion counts in the 0-100 score; only the ratios matter.")
        raw_weights = {
            name: st.slider(label, 0.0, 5.0, 1.0, 0.5, key=f"weight_{name}", help=CRITERION_HELP[name])
            for name, label in CRITERIA.items()
        }
    try:
        weights = FeasibilityWeights(**raw_weights)
    except ScenarioError as exc:
        st.warning(f"{exc}; scoring with equal weights instead.")
        weights = FeasibilityWeights()
    shares = weights.shares()
    weights_line = " · ".join(
        f"{CRITERIA[name]} {getattr(weights, name):g} ({shares[name]:.0%})" for name in CRITERIA
    )  # fmt: skip

    all_scenarios = list_scenarios()
    sectors = sorted({s["sector"] for s in all_scenarios})
    # Two rows, so every box is wide enough to read its placeholder and its chips at 1400 px.
    cols = st.columns(2)
    search = cols[0].text_input("Search", key="app_search", placeholder="e.g. GDPR, fraud, Whisper")
    chosen_sectors = cols[1].multiselect("Sector", sectors, key="app_sectors", placeholder="All sectors")
    cols = st.columns(3)
    chosen_horizons = cols[0].multiselect("Horizon", HORIZONS, key="app_horizons", placeholder="Any horizon")
    chosen_risks = cols[1].multiselect("Regulatory risk", RISK_LEVELS, key="app_risks", placeholder="Any risk")
    chosen_maturities = cols[2].multiselect("Maturity", MATURITY_LEVELS, key="app_maturities",
                                            placeholder="Any maturity")  # fmt: skip
    shown = rank(
        filter_scenarios(all_scenarios, search, chosen_sectors, chosen_horizons, chosen_risks, chosen_maturities),
        weights,
    )
    by_name = {s["name"]: s for s in rank(all_scenarios, weights)}
    return Selection(weights, weights_line, all_scenarios, shown, by_name)
