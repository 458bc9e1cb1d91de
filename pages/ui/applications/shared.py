"""Applications: what several tabs draw: number formats, the links out to other pages, the radar chart."""

import plotly.graph_objects as go
import streamlit as st

from core.applications.catalog import CRITERIA, criterion_scores, funding_query, gpu_budget_query
from pages.ui.common import FUNDING_PAGE, GPU_BUDGET_PAGE, inert_html

# Human labels (with units) for the catalog's fields wherever a table shows them.
FIELD_LABELS = {
    "feasibility_score": "Feasibility (0-100)",
    "training_cost_usd": "Training cost",
    "serving_monthly_usd": "Serving per month",
    "name": "Application",
    "sector": "Sector",
    "horizon": "Horizon",
    "tasks": "Tasks",
    "description": "Description",
    "typical_model": "Typical model",
    "typical_params": "Typical parameters",
    "training_tokens": "Training tokens",
    "data_needs": "Data needs",
    "data_availability": "Data availability (1-5)",
    "compute_profile": "Compute profile",
    "regulatory_risk": "Regulatory risk",
    "regulations": "Regulations",
    "privacy_risk": "Privacy risk",
    "explainability_need": "Explainability need",
    "maturity": "Market maturity",
    "example_products": "Example products",
    "key_risks": "Key risks",
}


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
        figure.add_scatterpolar(
            r=points + points[:1], theta=labels + labels[:1], fill="toself", name=inert_html(scenario["name"])
        )
    figure.update_layout(
        polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5]}, "domain": {"x": [0.12, 0.88]}},
        title="Criterion points (1 = hard for a startup, 5 = easy)",
        legend={"orientation": "h"},
        margin={"l": 90, "r": 90, "t": 80, "b": 40},  # room for the axis labels left and right of the circle
    )
    return figure
