"""Applications: where large models pay off, what each takes, a feasibility score with the founder's own weights, and
one click to the compute estimate or a funding plan for any scenario."""

import streamlit as st

from pages.ui.applications import catalog, compare, detail, edit, filters, import_export
from pages.ui.common import escape_markdown, setup_page
from pages.ui.plan.preload import note, plan_from_link

setup_page("Applications")
st.title("Applications")
st.caption(
    "Where large models pay off today and where they are emerging: the model, data, compute, rules and market each "
    "application needs, scored for feasibility with weights you choose. Regulations and products named are public "
    "and checkable; data availability (1-5) and the typical training tokens are editorial estimates you can edit."
)

TAB_NAMES = ["Catalog", "Scenario detail", "Compare", "Edit", "Import / export"]

flash = st.session_state.pop("app_flash", None)
if flash:
    st.success(escape_markdown(flash))

if (linked := plan_from_link("applications")) and linked[1]["application"]:
    st.session_state["app_detail_name"] = linked[1]["application"]["name"]
    st.session_state["app_tab"] = "Scenario detail"
    note(linked[0], "its application, in the Scenario detail tab.")
selection = filters.show()
st.session_state.setdefault("app_tab", TAB_NAMES[0])
catalog_tab, detail_tab, compare_tab, edit_tab, io_tab = st.tabs(TAB_NAMES, key="app_tab", on_change="rerun")

with catalog_tab:
    catalog.show(selection.shown, selection.all_scenarios, selection.weights, selection.weights_line)
with detail_tab:
    detail.show(selection.by_name, selection.shown, selection.weights, selection.weights_line)
with compare_tab:
    compare.show(selection.by_name, selection.shown, selection.weights)
with edit_tab:
    edit.show(selection.by_name)
with io_tab:
    import_export.show(selection.shown)
