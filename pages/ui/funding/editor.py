"""Funding: pick a saved or example scenario, and the form that edits every field of the draft."""

import math

import pandas as pd
import streamlit as st

from core.funding import store as store
from core.funding.analysis import analyze
from core.funding.model import ScenarioError, parse_scenario, scenario_to_dict
from pages.ui.funding.draft import set_draft

EVENT_COLUMNS = ["kind", "name", "month", "amount", "post_money_cap", "discount", "pre_money", "pool_target"]
EVENT_COLUMNS += ["months_valid"]
ROLE_COLUMNS = ["role", "headcount", "monthly_cost", "start_month"]


def none_if_nan(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def rows_from_editor(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    rows = []
    for record in frame.to_dict("records"):
        row = {key: none_if_nan(record.get(key)) for key in columns}
        if all(value is None for value in row.values()):
            continue
        rows.append({key: value for key, value in row.items() if value is not None})
    return rows


def pct(value: float | None) -> float:
    return 100.0 * (value or 0.0)


def show_source_picker(saved_names: list[str], example_payloads: dict) -> None:
    with st.container(border=True):
        cols = st.columns([3, 1])
        sources = [f"Saved: {name}" for name in saved_names] + [f"Example: {name}" for name in example_payloads]
        choice = cols[0].selectbox("Start from", sources, key="funding_source")
        if cols[1].button("Load", width="stretch"):
            if choice.startswith("Saved: "):
                set_draft(scenario_to_dict(store.load_scenario(choice.removeprefix("Saved: "))), f"Loaded {choice}.")
            else:
                set_draft(example_payloads[choice.removeprefix("Example: ")], f"Loaded {choice}.")
            st.rerun()


def show_editor(draft: dict, version: int) -> None:
    """The scenario's fields as one form; Apply validates the whole scenario before the draft changes."""
    costs = draft.get("costs", {})
    compute = costs.get("compute", {})
    revenue = draft.get("revenue", {})
    equity = draft.get("equity", {})
    brand = draft.get("brand", {})
    risk = draft.get("risk", {})
    estimates = store.list_estimates()
    with st.form(f"funding_form_{version}"):
        row = st.columns(4)
        name = row[0].text_input("Name", value=draft.get("name", "Scenario"))
        start_month = row[1].text_input("Month 0 (YYYY-MM)", value=draft.get("start_month") or "")
        horizon = row[2].number_input("Horizon (months)", 1, 600, int(draft.get("horizon_months", 60)))
        cash = row[3].number_input("Starting cash ($)", min_value=0.0, value=float(draft.get("cash", 0)), step=1e4)
        st.markdown("**Equity**")
        row = st.columns(3)
        common = row[0].number_input(
            "Common shares (incl. issued & promised options)", 0, None, int(equity.get("common_shares", 0))
        )
        founders = row[1].number_input(
            "of which founders", 0, None, int(equity.get("founder_shares", equity.get("common_shares", 0)))
        )
        unused = row[2].number_input("Unissued option pool", 0, None, int(equity.get("unused_options", 0)))
        st.markdown("**Team** (loaded monthly cost per head; hiring month)")
        team_frame = st.data_editor(
            pd.DataFrame(costs.get("team", []), columns=ROLE_COLUMNS),
            num_rows="dynamic",
            width="stretch",
            key=f"funding_team_{version}",
        )
        st.markdown("**Compute** (or import a saved GPU-budget estimate below)")
        row = st.columns(6)
        compute_monthly = row[0].number_input("Flat $/month", 0.0, None, float(compute.get("monthly", 0)))
        training_cost = row[1].number_input("Training run ($)", 0.0, None, float(compute.get("training_cost_usd", 0)))
        training_start = row[2].number_input("Training starts", 0, 600, int(compute.get("training_start_month", 0)))
        training_months = row[3].number_input("Training months", 1, 120, int(compute.get("training_months", 1)))
        serving = row[4].number_input("Serving $/month", 0.0, None, float(compute.get("serving_monthly_usd", 0)))
        serving_start = row[5].number_input(
            "Serving starts (blank: after training)",
            0,
            600,
            compute.get("serving_start_month"),
        )
        estimate_names = ["(keep the figures above)"] + [e["name"] for e in estimates]
        estimate_choice = st.selectbox("Import compute from a saved GPU-budget estimate", estimate_names)
        row = st.columns(4)
        other = row[0].number_input("Other costs $/month", 0.0, None, float(costs.get("other", 0)))
        mrr = row[1].number_input("MRR now ($)", 0.0, None, float(revenue.get("mrr", 0)))
        growth = row[2].number_input(
            "Monthly growth (%)", -99.0, 100.0, pct(revenue.get("monthly_growth", 0)), step=0.5
        )
        margin = row[3].number_input("Gross margin (%)", 0.0, 100.0, pct(revenue.get("gross_margin", 1.0)))
        st.markdown(
            "**Funding events**: kind = safe (amount, post_money_cap and/or discount), priced (amount, pre_money, "
            "pool_target as a fraction of post-money), grant (amount), credits (amount, months_valid; pay compute only)"
        )
        events_frame = st.data_editor(
            pd.DataFrame(draft.get("rounds", []), columns=EVENT_COLUMNS),
            num_rows="dynamic",
            width="stretch",
            key=f"funding_events_{version}",
            column_config={
                "kind": st.column_config.SelectboxColumn(options=["safe", "priced", "grant", "credits"]),
                "discount": st.column_config.NumberColumn(help="0.2 = 20% off the round price"),
                "pool_target": st.column_config.NumberColumn(help="0.10 = 10% of post-money"),
            },
        )
        st.markdown("**Brand and risk**")
        row = st.columns(4)
        premium = row[0].number_input("Valuation premium (%)", -90.0, 500.0, pct(brand.get("valuation_premium", 0)))
        uplift = row[1].number_input("Growth uplift (points/month)", -50.0, 50.0, pct(brand.get("growth_uplift", 0)))
        growth_sd = row[2].number_input("Growth spread (points)", 0.0, 100.0, pct(risk.get("growth_sd", 0.02)))
        overrun = row[3].number_input(
            "Expected cost overrun (%)", -50.0, 500.0, pct(risk.get("cost_overrun_mean", 0.1))
        )
        row = st.columns(4)
        overrun_sd = row[0].number_input("Overrun spread (%)", 0.0, 200.0, pct(risk.get("cost_overrun_sd", 0.1)))
        delay = row[1].number_input("Mean raise delay (months)", 0.0, 36.0, float(risk.get("delay_mean_months", 2)))
        fail = row[2].number_input("Chance a raise fails (%)", 0.0, 100.0, pct(risk.get("raise_fail_probability", 0)))
        multiple = row[3].number_input("Exit at ARR ×", 0.0, 200.0, float(risk.get("exit_arr_multiple", 10)))
        applied = st.form_submit_button("Apply", type="primary")

    if applied:
        compute_payload = {
            "monthly": compute_monthly,
            "training_cost_usd": training_cost,
            "training_start_month": int(training_start),
            "training_months": int(training_months),
            "serving_monthly_usd": serving,
            "serving_start_month": None if serving_start is None else int(serving_start),
        }
        try:
            if estimate_choice != estimate_names[0]:
                imported = store.compute_from_saved_estimate(estimate_choice, start_month=int(training_start))
                compute_payload = imported.model_dump(mode="json") | {"monthly": compute_monthly}
            candidate = {
                "name": name,
                "start_month": start_month.strip() or None,
                "horizon_months": int(horizon),
                "cash": cash,
                "equity": {
                    "common_shares": int(common),
                    "unused_options": int(unused),
                    "founder_shares": int(founders),
                },
                "costs": {
                    "team": rows_from_editor(team_frame, ROLE_COLUMNS),
                    "compute": {k: v for k, v in compute_payload.items() if v is not None},
                    "other": other,
                },
                "revenue": {"mrr": mrr, "monthly_growth": growth / 100, "gross_margin": margin / 100},
                "rounds": rows_from_editor(events_frame, EVENT_COLUMNS),
                "brand": {"valuation_premium": premium / 100, "growth_uplift": uplift / 100},
                "risk": {
                    **risk,
                    "growth_sd": growth_sd / 100,
                    "cost_overrun_mean": overrun / 100,
                    "cost_overrun_sd": overrun_sd / 100,
                    "delay_mean_months": delay,
                    "raise_fail_probability": fail / 100,
                    "exit_arr_multiple": multiple,
                },
            }
            scenario = parse_scenario(candidate)
            analyze(scenario, risk_paths=0)
        except ScenarioError as exc:
            st.error(f"Scenario not changed. {exc}")
        else:
            set_draft(scenario_to_dict(scenario), "Scenario updated.")
            st.rerun()
