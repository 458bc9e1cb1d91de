"""Applications: what several tabs draw: number formats, the links out to other pages, the radar chart."""

import plotly.graph_objects as go
import streamlit as st

from core.applications.catalog import CRITERIA, criterion_scores, funding_query, gpu_budget_query
from pages.ui.common import FUNDING_PAGE, GPU_BUDGET_PAGE


def money(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def count(value: float) -> str:
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:.3g} {suffix}"
    return f"{value:.3g}"


def show_details(name: str) -> None:
    st.session_state["app_detail_name"] = name
    st.session_state["app_tab"] = "Scenario detail"


def link_buttons(scenario: dict, key: str) -> None:
    """'Estimate compute' and 'Plan funding' for one scenario; each opens its page pre-filled."""
    cols = st.columns(2)
    if cols[0].button(
        "Estimate compute",
        key=f"gpu_{key}",
        icon=":material/calculate:",
        help="Open the GPU-budget page with this scenario's typical model",
    ):
        st.switch_page(GPU_BUDGET_PAGE, query_params=gpu_budget_query(scenario))
    if cols[1].button(
        "Plan funding",
        key=f"fund_{key}",
        icon=":material/savings:",
        help="Start a funding scenario with this compute budget",
    ):
        st.switch_page(FUNDING_PAGE, query_params=funding_query(scenario))


def radar(scenarios: list[dict]) -> go.Figure:
    labels = list(CRITERIA.values())
    figure = go.Figure()
    for scenario in scenarios:
        points = list(criterion_scores(scenario).values())
        figure.add_scatterpolar(r=points + points[:1], theta=labels + labels[:1], fill="toself", name=scenario["name"])
    figure.update_layout(
        polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5]}},
        title="Criterion points (1 = hard for a startup, 5 = easy)",
        legend={"orientation": "h"},
    )
    return figure
