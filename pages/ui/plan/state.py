"""Which plan is open (the picker, or ?plan=NAME in a link), and its analysis, cached by the plan's inputs and the
catalog and runs it reads."""

from __future__ import annotations

import json

import streamlit as st

SELECTED = "plan_selected"  # the open plan, kept across pages (a widget's own state is dropped on leaving a page)
QUERY_KEY = "plan"


def plan_names() -> list[str]:
    from core.plan.store import plan_names as stored

    return stored()


def selected_name(names: list[str]) -> str | None:
    """?plan=NAME from a link wins once; then the picker's choice; then the first plan."""
    wanted = st.query_params.get(QUERY_KEY)
    if wanted and wanted in names and st.session_state.get("plan_query_seen") != wanted:
        st.session_state["plan_query_seen"] = wanted
        st.session_state[SELECTED] = wanted
    if st.session_state.get(SELECTED) not in names:
        st.session_state[SELECTED] = names[0] if names else None
    return st.session_state[SELECTED]


def picker(names: list[str], page: str, help_text: str | None = None) -> str | None:
    """The plan selectbox of one page, showing and changing the plan open on every page."""
    current = selected_name(names)
    if current is None:
        return None
    key = f"plan_picker_{page}"
    st.session_state[key] = current

    def remember() -> None:
        st.session_state[SELECTED] = st.session_state[key]

    st.selectbox("Plan", names, key=key, on_change=remember, help=help_text)
    return current


def select(name: str) -> None:
    """Open `name` on every page (after a create, duplicate, rename or import)."""
    st.session_state[SELECTED] = name


def _fingerprint() -> str:
    """What the analysis reads besides the plan: GPU prices and specs, the catalog, the latest runs."""
    from core.applications.catalog import list_scenarios
    from core.compute.gpus import list_hardware
    from core.lab.runs import list_runs

    hardware = [{k: v for k, v in row.items() if k != "updated_at"} for row in list_hardware()]
    runs = [(run["id"], run["status"], run["model_path"]) for run in list_runs(limit=5)]
    applications = list_scenarios()
    return json.dumps([hardware, runs, applications], sort_keys=True, default=str)


@st.cache_data(show_spinner="Analysing the plan…", max_entries=32)
def _analysis(payload_json: str, fingerprint: str) -> dict:
    from core.plan.analysis import analyze_plan

    return analyze_plan(json.loads(payload_json))


def analysis(payload: dict) -> dict:
    """analyze_plan's result for a plan's payload; raises PlanError (or the catalog's error) when it cannot be."""
    return _analysis(json.dumps(payload, sort_keys=True), _fingerprint())


def load_payload(name: str) -> dict:
    from core.plan.model import plan_to_dict
    from core.plan.store import load_plan

    return plan_to_dict(load_plan(name))
