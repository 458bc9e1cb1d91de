"""Funding: how long each funding path keeps the company alive, what it costs in ownership, how likely it works."""

import json

import streamlit as st

from core.funding import store as store
from core.funding.model import ScenarioError
from pages.ui.common import escape_markdown, setup_page
from pages.ui.funding import cap_table, compare, plan, risk, saved
from pages.ui.funding.draft import cached_analysis, examples, read_import_link, set_draft
from pages.ui.funding.editor import show_editor, show_import_box, show_source_picker
from pages.ui.plan.preload import funding_draft, plan_from_link
from pages.ui.plan.text import md

setup_page("Funding")
st.title("Funding")
st.caption(
    "Capital as four advantages: money for compute and people, resources it brings (cloud credits), brand, and "
    "risk judgement. Runway on cash in hand and with every raise, the cap table after every SAFE, note and priced "
    "round (solved exactly, or rounded like a legal spreadsheet), exit payouts through preference stacks, and a "
    "10,000-path Monte Carlo of growth, costs and late or failed raises."
)

if "funding_draft" not in st.session_state:
    st.session_state["funding_draft"] = examples()["Seed VC"]
    st.session_state["funding_loaded"] = "Example: Seed VC"
st.session_state.setdefault("funding_version", 0)
read_import_link()
if linked := plan_from_link("funding"):
    set_draft(
        funding_draft(linked[1]),
        note=f"Preloaded from the plan **{md(linked[0])}**: its funding scenario, with training and serving costs "
        "from its GPU estimates.",
        source=f"Plan: {linked[0]}",
    )
if note := st.session_state.pop("funding_note", None):
    st.info(escape_markdown(note))
if query_error := st.session_state.pop("funding_query_error", None):
    st.error(escape_markdown(query_error))

draft = st.session_state["funding_draft"]
version = st.session_state["funding_version"]
saved_names = store.scenario_names()
example_payloads = examples()

show_import_box(draft, saved_names, example_payloads)
show_source_picker(saved_names, example_payloads)
with st.expander(f"Edit scenario: {escape_markdown(draft.get('name', 'Scenario'))}", expanded=False):
    show_editor(draft, version)

payload_json = json.dumps(draft, sort_keys=True)
try:
    result = cached_analysis(payload_json)
except ScenarioError as exc:
    st.error(f"This scenario cannot be analysed. {escape_markdown(exc)}")
    st.stop()

plan.show_headline(result)
plan_tab, cap_tab, risk_tab, compare_tab, saved_tab = st.tabs(
    ["Plan", "Cap table & exits", "Risk", "Four advantages", "Saved scenarios"]
)

with plan_tab:
    plan.show(result, draft)
with cap_tab:
    cap_table.show(result, draft)
with risk_tab:
    risk.show(draft, payload_json)
with compare_tab:
    compare.show(draft, saved_names, example_payloads)
with saved_tab:
    saved.show(draft, saved_names)
