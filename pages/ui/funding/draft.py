"""Funding: the scenario being edited (the draft), its cached analyses, and the pre-fill from a link."""

import json

import streamlit as st

from core.funding import store as store
from core.funding.analysis import analyze, compare_advantages, example_scenarios
from core.funding.model import ScenarioError, compute_from_estimate, parse_scenario, scenario_to_dict
from core.funding.montecarlo import simulate_risk


@st.cache_data(show_spinner=False, max_entries=32)
def cached_analysis(payload_json: str) -> dict:
    return analyze(json.loads(payload_json), risk_paths=0)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_risk(payload_json: str, survival_month: int, months: int) -> dict:
    return simulate_risk(json.loads(payload_json), paths=10_000, months=months, survival_month=survival_month)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_comparison(payloads_json: str, survival_month: int, exit_value: float) -> list[dict]:
    scenarios = [parse_scenario(p) for p in json.loads(payloads_json)]
    for number, scenario in enumerate(scenarios):
        scenarios[number] = scenario.model_copy(
            update={"risk": scenario.risk.model_copy(update={"survival_month": survival_month})}
        )
    return compare_advantages(scenarios, paths=10_000, months=max(60, survival_month), exit_value=exit_value)


def examples() -> dict:
    return {scenario.name: scenario_to_dict(scenario) for scenario in example_scenarios().values()}


def set_draft(payload: dict, note: str | None = None) -> None:
    st.session_state["funding_draft"] = payload
    st.session_state["funding_version"] = st.session_state.get("funding_version", 0) + 1
    if note:
        st.session_state["funding_note"] = note


def apply_query_params() -> None:
    """Pre-fill compute from ?estimate=NAME or ?training_cost_usd=&training_months=&serving_monthly_usd=."""
    params = {key: st.query_params.get(key) for key in st.query_params}
    wanted = {k: params.get(k) for k in ("estimate", "training_cost_usd", "training_months", "serving_monthly_usd")}
    signature = json.dumps({**wanted, "scenario": params.get("scenario")}, sort_keys=True)
    if not any(wanted.values()) or st.session_state.get("funding_query_applied") == signature:
        return
    st.session_state["funding_query_applied"] = signature
    draft = dict(st.session_state["funding_draft"])
    start = int(draft.get("costs", {}).get("compute", {}).get("training_start_month", 0))
    try:
        if wanted["estimate"]:
            compute = store.compute_from_saved_estimate(wanted["estimate"], start_month=start)
        else:
            days = float(wanted["training_months"] or 1) * 365.25 / 12
            outputs = {
                "training_cost_usd": float(wanted["training_cost_usd"] or 0),
                "training_wall_days": days,
                "serving_monthly_cost_usd": float(wanted["serving_monthly_usd"] or 0),
            }
            compute = compute_from_estimate(outputs, name=params.get("scenario"), start_month=start)
    except (ScenarioError, ValueError) as exc:
        st.session_state["funding_query_error"] = f"Compute costs were not imported. {exc}"
        return
    monthly = draft.get("costs", {}).get("compute", {}).get("monthly", 0.0)
    compute_dict = compute.model_dump(mode="json", exclude_none=True) | {"monthly": monthly}
    draft["costs"] = {**draft.get("costs", {}), "compute": compute_dict}
    label = params.get("scenario") or wanted["estimate"] or "the GPU budget"
    if params.get("scenario"):
        draft["name"] = f"{draft.get('name', 'Scenario')} · {params['scenario']}"
    set_draft(draft, f"Compute costs imported from {label}.")
