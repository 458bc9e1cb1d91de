"""Home: does the plan hold? The plan picker, the verdict with its tests, one card per area linking to its page with
the plan preloaded, and the pitch pack."""

import streamlit as st

# The title is drawn before anything else is imported or read, so the page shows at once on a cold start.
st.set_page_config(page_title="Home · ModelRunway", layout="wide")

st.title("ModelRunway")
st.markdown(
    "**Does the plan hold?** ModelRunway tells the founder of an AI-model startup how far the money goes, "
    "what the GPUs will cost, which applications fit, and shows a live model that proves the numbers are real. "
    "Every estimate cites a reference model (the classic 784-512-256-128-10 MLP on MNIST) trained and measured "
    "on this machine."
)


def show_plan() -> None:
    from core.applications.catalog import ScenarioError as CatalogError
    from core.plan.model import PlanError
    from pages.ui.common import PAGE_STYLE, ensure_database
    from pages.ui.plan import dashboard, state

    st.html(PAGE_STYLE)
    ensure_database()

    name = dashboard.show_picker(state.plan_names())
    if name is None:
        return
    payload = state.load_payload(name)
    try:
        result = state.analysis(payload)
    except (PlanError, CatalogError) as exc:
        st.error(f"This plan cannot be analysed. {exc}")
        st.page_link(dashboard.PLAN_PAGE, label="Fix it on the Plan page", icon=":material/edit_note:")
        return
    dashboard.show_verdict(result)
    dashboard.show_threshold_editor(payload)
    dashboard.show_cards(result, name)
    dashboard.show_pitch_downloads(result)


show_plan()
