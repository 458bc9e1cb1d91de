"""Plan: one named plan ties an application, a training and a serving estimate and a funding scenario together;
create, duplicate, rename, delete, import and export plans, and edit one. The home page shows its verdict."""

import streamlit as st

from pages.ui.common import configure_page, ensure_database, escape_markdown

configure_page("Plan")
st.title("Plan")
st.caption(
    "A plan keeps inputs only: the funding scenario's training and serving costs are the GPU Budget estimator's "
    "figures for the plan's inputs, recomputed on every analysis, so an edited estimate moves the runway at once."
)


def show_plans() -> None:
    from core.applications.catalog import ScenarioError as CatalogError
    from core.plan.model import PlanError
    from pages.ui.plan import editor, state

    selected = editor.show_manager(state.plan_names())
    if selected is None:
        return
    payload = state.load_payload(selected)
    try:
        editor.show_summary(state.analysis(payload))
    except (PlanError, CatalogError) as exc:
        st.error(f"This plan cannot be analysed yet. {escape_markdown(exc)}")
    editor.show_editor(payload)
    st.page_link("pages/home.py", label="See the verdict and the pitch pack on the home page", icon=":material/home:")


ensure_database()
show_plans()
