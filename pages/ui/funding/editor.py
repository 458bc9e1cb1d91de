"""Funding: pick a saved or example scenario (the box always shows what is loaded), put imported compute costs into
the scenario the user chooses, and the form that edits every field of the draft."""

import pandas as pd
import streamlit as st

from core.funding import store as store
from core.funding.analysis import analyze
from core.funding.model import EVENT_KINDS, ScenarioError, parse_scenario, scenario_to_dict
from pages.ui.funding.draft import payload_for, put_import_into, set_draft
from pages.ui.funding.format import md, money
from pages.ui.funding.tables import (
    EVENT_COLUMNS,
    FLAG_COLUMNS,
    ROLE_COLUMNS,
    events_frame,
    events_from_editor,
    pct,
    rows_from_editor,
)


def show_source_picker(saved_names: list[str], example_payloads: dict) -> None:
    """The Start-from box: what is loaded now, and the saved and example scenarios to load instead."""
    loaded = st.session_state.get("funding_loaded", "Example: Seed VC")
    sources = [f"Saved: {name}" for name in saved_names] + [f"Example: {name}" for name in example_payloads]
    if loaded not in sources:
        sources.insert(0, loaded)
    if "funding_source_next" in st.session_state:
        st.session_state["funding_source"] = st.session_state.pop("funding_source_next")
    if st.session_state.get("funding_source") not in sources:
        st.session_state["funding_source"] = loaded
    with st.container(border=True):
        cols = st.columns([3, 1])
        choice = cols[0].selectbox("Start from", sources, key="funding_source", help="Shows what is loaded now.")
        if cols[1].button("Load", width="stretch", disabled=choice == loaded):
            draft = st.session_state["funding_draft"]
            set_draft(payload_for(choice, draft, example_payloads), f"Loaded {choice}.", source=choice)
            st.rerun()


def show_import_box(draft: dict, saved_names: list[str], example_payloads: dict) -> None:
    """Compute costs from a link wait here until the user picks the scenario they go into."""
    pending = st.session_state.get("funding_import")
    if not pending:
        return
    current = f"Current draft: {draft.get('name', 'Scenario')}"
    targets = [current] + [f"Saved: {n}" for n in saved_names] + [f"Example: {n}" for n in example_payloads]
    with st.container(border=True):
        st.markdown(f"**Compute costs from {md(pending['label'])}** are ready to import.")
        target = st.selectbox("Put them into", targets, key="funding_import_target")
        cols = st.columns([1, 1, 4])
        if cols[0].button("Import", type="primary"):
            source = "Draft" if target == current else target
            try:
                payload = put_import_into(pending, payload_for(source, draft, example_payloads))
                parse_scenario(payload)
            except ScenarioError as exc:
                st.error(f"Compute costs were not imported. {md(exc)}")
                return
            del st.session_state["funding_import"]
            compute = payload["costs"]["compute"]
            note = (
                f"Compute costs from {pending['label']} imported into {payload['name']}: training "
                f"{money(compute.get('training_cost_usd', 0))} over {compute.get('training_months', 1)} month(s), "
                f"serving {money(compute.get('serving_monthly_usd', 0))} a month."
            )
            set_draft(payload, note)
            st.rerun()
        if cols[1].button("Dismiss"):
            del st.session_state["funding_import"]
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
        st.markdown("**Equity** (all of it counts in the post-money SAFE's Company Capitalization)")
        row = st.columns(5)
        common = row[0].number_input(
            "Common shares (incl. issued & promised options)", 0, None, int(equity.get("common_shares", 0))
        )
        founders = row[1].number_input(
            "of which founders", 0, None, int(equity.get("founder_shares", equity.get("common_shares", 0)))
        )
        issued = row[2].number_input("of which issued options", 0, None, int(equity.get("issued_options", 0)))
        promised = row[3].number_input("of which promised options", 0, None, int(equity.get("promised_options", 0)))
        unused = row[4].number_input("Unissued option pool", 0, None, int(equity.get("unused_options", 0)))
        st.markdown("**Team**")
        team_frame = st.data_editor(
            pd.DataFrame(costs.get("team", []), columns=list(ROLE_COLUMNS)),
            num_rows="dynamic",
            width="stretch",
            key=f"funding_team_{version}",
            column_config={key: label for key, label in ROLE_COLUMNS.items()},
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
            "**Funding events**: a SAFE (post-money or pre-money cap, discount, MFN), a convertible note (cap, "
            "discount, interest, maturity), a priced round (pre-money or price per share, investors, pool target, "
            "preference terms), options granted from the pool, a grant, or cloud credits (pay compute only). "
            "Fill only the columns the kind uses."
        )
        config = {key: label for key, label in EVENT_COLUMNS.items()}
        config["kind"] = st.column_config.SelectboxColumn(EVENT_COLUMNS["kind"], options=list(EVENT_KINDS))
        config["on_maturity"] = st.column_config.SelectboxColumn(
            EVENT_COLUMNS["on_maturity"], options=["repay", "convert"]
        )
        for flag in FLAG_COLUMNS:
            config[flag] = st.column_config.CheckboxColumn(EVENT_COLUMNS[flag])
        events = st.data_editor(
            events_frame(draft.get("rounds", [])),
            num_rows="dynamic",
            width="stretch",
            key=f"funding_events_{version}",
            column_config=config,
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
        st.markdown("**Traction and rounding** (leave the ARR multiples blank for valuations as planned)")
        row = st.columns(4)
        arr_low = row[0].number_input("Investors pay at least ARR ×", 0.0, 1000.0, risk.get("arr_multiple_low"))
        arr_high = row[1].number_input("and at most ARR ×", 0.0, 1000.0, risk.get("arr_multiple_high"))
        rounding = draft.get("rounding")
        legal = row[2].checkbox("Round like a legal spreadsheet", value=rounding is not None)
        decimals = row[3].number_input("Price decimals (rounded up)", 0, 12, (rounding or {}).get("price_decimals", 5))
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
                    "issued_options": int(issued),
                    "promised_options": int(promised),
                },
                "costs": {
                    "team": rows_from_editor(team_frame, ROLE_COLUMNS),
                    "compute": {k: v for k, v in compute_payload.items() if v is not None},
                    "other": other,
                },
                "revenue": {"mrr": mrr, "monthly_growth": growth / 100, "gross_margin": margin / 100},
                "rounds": events_from_editor(events),
                "brand": {"valuation_premium": premium / 100, "growth_uplift": uplift / 100},
                "risk": {
                    **risk,
                    "growth_sd": growth_sd / 100,
                    "cost_overrun_mean": overrun / 100,
                    "cost_overrun_sd": overrun_sd / 100,
                    "delay_mean_months": delay,
                    "raise_fail_probability": fail / 100,
                    "exit_arr_multiple": multiple,
                    "arr_multiple_low": arr_low or None,
                    "arr_multiple_high": arr_high or None,
                },
            }
            if legal:
                candidate["rounding"] = {"price_decimals": int(decimals), "shares": "down"}
            scenario = parse_scenario(candidate)
            analyze(scenario, risk_paths=0)
        except ScenarioError as exc:
            st.error(f"Scenario not changed. {md(exc)}")
        else:
            set_draft(scenario_to_dict(scenario), "Scenario updated.")  # the Start-from box now says "edited"
            st.rerun()
