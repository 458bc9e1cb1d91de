"""Funding: the scenario being edited (the draft), what it was loaded from, its cached analyses, and compute costs
arriving from a link (GPU budget, saved estimate or application catalog) until the user puts them somewhere."""

import json

import streamlit as st

from core.funding import store as store
from core.funding.analysis import analyze, compare_advantages, example_scenarios
from core.funding.model import ScenarioError, compute_from_estimate, parse_scenario, scenario_to_dict
from core.funding.montecarlo import simulate_risk

RISK_PATHS = 10_000


@st.cache_data(show_spinner=False, max_entries=32)
def cached_analysis(payload_json: str) -> dict:
    return analyze(json.loads(payload_json), risk_paths=RISK_PATHS)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_risk(payload_json: str, survival_month: int, months: int) -> dict:
    return simulate_risk(json.loads(payload_json), paths=RISK_PATHS, months=months, survival_month=survival_month)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_comparison(payloads_json: str, survival_month: int, exit_value: float) -> list[dict]:
    scenarios = [parse_scenario(p) for p in json.loads(payloads_json)]
    for number, scenario in enumerate(scenarios):
        scenarios[number] = scenario.model_copy(
            update={"risk": scenario.risk.model_copy(update={"survival_month": survival_month})}
        )
    return compare_advantages(scenarios, paths=RISK_PATHS, months=max(60, survival_month), exit_value=exit_value)


def examples() -> dict:
    return {scenario.name: scenario_to_dict(scenario) for scenario in example_scenarios().values()}


def edited_label(payload: dict) -> str:
    return f"Draft: {payload.get('name', 'Scenario')} (edited)"


def set_draft(payload: dict, note: str | None = None, source: str | None = None) -> None:
    """Make `payload` the draft; `source` ("Saved: X", "Example: Y") is what the Start-from box then shows."""
    st.session_state["funding_draft"] = payload
    st.session_state["funding_version"] = st.session_state.get("funding_version", 0) + 1
    st.session_state["funding_loaded"] = source or edited_label(payload)
    st.session_state["funding_source_next"] = st.session_state["funding_loaded"]  # set before the box is drawn
    if note:
        st.session_state["funding_note"] = note


def payload_for(source: str, draft: dict, example_payloads: dict) -> dict:
    """The scenario a "Saved: …", "Example: …" or "Draft: …" label names."""
    if source.startswith("Saved: "):
        return scenario_to_dict(store.load_scenario(source.removeprefix("Saved: ")))
    if source.startswith("Example: "):
        return json.loads(json.dumps(example_payloads[source.removeprefix("Example: ")]))
    return json.loads(json.dumps(draft))


def read_import_link() -> None:
    """?estimate=NAME or ?training_cost_usd=&training_months=&serving_monthly_usd=[&scenario=]: compute costs that
    wait, checked, until the user picks the scenario they go into."""
    params = {key: st.query_params.get(key) for key in st.query_params}
    wanted = {k: params.get(k) for k in ("estimate", "training_cost_usd", "training_months", "serving_monthly_usd")}
    signature = json.dumps({**wanted, "scenario": params.get("scenario")}, sort_keys=True)
    if not any(wanted.values()) or st.session_state.get("funding_query_applied") == signature:
        return
    st.session_state["funding_query_applied"] = signature
    try:
        if wanted["estimate"]:
            pending = {"estimate": wanted["estimate"], "label": wanted["estimate"]}
        else:
            days = float(wanted["training_months"] or 1) * 365.25 / 12
            outputs = {
                "training_cost_usd": float(wanted["training_cost_usd"] or 0),
                "training_wall_days": days,
                "serving_monthly_cost_usd": float(wanted["serving_monthly_usd"] or 0),
            }
            label = params.get("scenario") or "the GPU budget"
            pending = {"outputs": outputs, "name": params.get("scenario"), "label": label}
        pending["scenario"] = params.get("scenario")
        imported_compute(pending, start_month=0)
    except (ScenarioError, ValueError) as exc:
        st.session_state["funding_query_error"] = f"Compute costs were not imported. {exc}"
        return
    st.session_state["funding_import"] = pending


def imported_compute(pending: dict, start_month: int) -> dict:
    if "estimate" in pending:
        compute = store.compute_from_saved_estimate(pending["estimate"], start_month=start_month)
    else:
        compute = compute_from_estimate(pending["outputs"], name=pending["name"], start_month=start_month)
    return compute.model_dump(mode="json", exclude_none=True)


def put_import_into(pending: dict, target: dict) -> dict:
    """The target scenario with its compute costs replaced by the imported ones (its flat monthly spend kept)."""
    compute = target.get("costs", {}).get("compute", {})
    start = int(compute.get("training_start_month", 0)) if isinstance(compute, dict) else 0
    monthly = compute.get("monthly", 0.0) if isinstance(compute, dict) else float(compute or 0)
    target["costs"] = {**target.get("costs", {}), "compute": imported_compute(pending, start) | {"monthly": monthly}}
    if pending.get("scenario"):
        target["name"] = f"{target.get('name', 'Scenario')} · {pending['scenario']}"
    return target
