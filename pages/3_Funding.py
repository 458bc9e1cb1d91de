"""Funding: how long each funding path keeps the company alive, what it costs in ownership, how likely it works."""

import json
import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.funding import store as store
from core.funding.analysis import analyze, compare_advantages, example_scenarios
from core.funding.model import ScenarioError, compute_from_estimate, parse_scenario, scenario_to_dict
from core.funding.montecarlo import simulate_risk
from pages.common import setup_page

setup_page("Funding", icon="💰")
st.title("Funding")
st.caption(
    "Capital as four advantages: money for compute and people, resources it brings (cloud credits), brand, and "
    "risk judgement. Runway, the cap table after every SAFE and priced round (option-pool shuffle solved exactly), "
    "exit payouts under 1x non-participating preferences, and a 10,000-path Monte Carlo."
)

EVENT_COLUMNS = ["kind", "name", "month", "amount", "post_money_cap", "discount", "pre_money", "pool_target"]
EVENT_COLUMNS += ["months_valid"]
ROLE_COLUMNS = ["role", "headcount", "monthly_cost", "start_month"]


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


st.session_state.setdefault("funding_draft", examples()["Seed VC"])
st.session_state.setdefault("funding_version", 0)
apply_query_params()
if note := st.session_state.pop("funding_note", None):
    st.info(note)
if query_error := st.session_state.pop("funding_query_error", None):
    st.error(query_error)

draft = st.session_state["funding_draft"]
version = st.session_state["funding_version"]
saved_names = store.scenario_names()
example_payloads = examples()


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


# ---------------------------------------------------------------- choose and edit
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

with st.expander(f"Edit scenario: {draft.get('name', 'Scenario')}", expanded=False):
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

payload_json = json.dumps(draft, sort_keys=True)
try:
    result = cached_analysis(payload_json)
except ScenarioError as exc:
    st.error(f"This scenario cannot be analysed. {exc}")
    st.stop()

plan_tab, cap_tab, risk_tab, compare_tab, saved_tab = st.tabs(
    ["Plan", "Cap table & exits", "Risk", "Four advantages", "Saved scenarios"]
)


def money(value: float | None) -> str:
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{sign}${value / limit:,.2f}{suffix}"
    return f"{sign}${value:,.0f}"


# ---------------------------------------------------------------- plan
with plan_tab:
    runway = result["runway_months"]
    cols = st.columns(4)
    cols[0].metric(
        "Runway",
        f"{runway:.1f} months" if runway is not None else f"{result['runway_beyond_months']}+ months",
        help="Months the money lasts with every planned raise; month 0 is the first month.",
    )
    zero = result["cash_zero_date"] or (
        f"month {result['cash_zero_month']}" if result["cash_zero_month"] is not None else "never"
    )
    cols[1].metric("Cash-zero month", zero, help="First month whose projected closing balance is negative.")
    alone = result["runway_without_raises_months"]
    cols[2].metric(
        "Default alive",
        "yes" if result["default_alive"] else "no",
        help="Profit before cash runs out, with no further raises, costs as planned and growth as now. "
        f"Runway without raises: {'never runs out' if alone is None else f'{alone:.1f} months'}.",
    )
    burn = result["burn_multiple"]
    cols[3].metric(
        "Burn multiple (year 1)",
        f"{burn:.2f}" if burn is not None else "n/a",
        help=f"Net burn / net new ARR over months 0-11 (Sacks): {result['burn_multiple_rating']}.",
    )
    monthly = pd.DataFrame(result["monthly"])
    x = monthly["date"] if monthly["date"].notna().all() else monthly["month"]
    fig = go.Figure()
    fig.add_bar(x=x, y=monthly["costs"], name="Costs", marker_color="#e45756", opacity=0.6)
    fig.add_bar(x=x, y=monthly["revenue"], name="Revenue", marker_color="#54a24b", opacity=0.8)
    fig.add_scatter(x=x, y=monthly["cash"], name="Cash", mode="lines", line={"width": 3, "color": "#4c78a8"})
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    fig.update_layout(barmode="overlay", height=380, margin={"t": 30}, yaxis_title="USD", legend_orientation="h")
    st.plotly_chart(fig, width="stretch")
    st.dataframe(monthly, width="stretch", hide_index=True, height=260)
    st.download_button(
        "Monthly table (CSV)",
        monthly.to_csv(index=False).encode(),
        file_name=f"{draft.get('name', 'scenario')}_monthly.csv",
        mime="text/csv",
    )

# ---------------------------------------------------------------- cap table
with cap_tab:
    entries = result["cap_table"]
    if not entries:
        st.info("No SAFEs or priced rounds in this scenario: the founders keep everything.")
    else:
        ownership = []
        for entry in entries:
            for holder in entry["holders"]:
                if holder["percent"] is not None:
                    ownership.append({"event": entry["round"], "holder": holder["name"], "percent": holder["percent"]})
        frame = pd.DataFrame(ownership)
        fig = go.Figure()
        for holder, rows in frame.groupby("holder", sort=False):
            fig.add_bar(x=rows["event"], y=rows["percent"], name=holder)
        fig.update_layout(barmode="stack", height=360, yaxis_title="% fully diluted", margin={"t": 30})
        st.plotly_chart(fig, width="stretch")
        summary = pd.DataFrame(
            [
                {
                    "event": e["round"],
                    "kind": e["kind"],
                    "month": e["month"],
                    "price/share": e["price_per_share"],
                    "total shares": e["total_shares"],
                    "unissued pool": e["options"],
                    "post-money": e["post_money"],
                    "Company Capitalization": e.get("company_capitalization"),
                }
                for e in entries
            ]
        )
        st.dataframe(summary, width="stretch", hide_index=True)
        chosen = st.selectbox("Holders after", [e["round"] for e in entries], index=len(entries) - 1)
        entry = next(e for e in entries if e["round"] == chosen)
        st.dataframe(pd.DataFrame(entry["holders"]), width="stretch", hide_index=True)
        if entry["kind"] == "safe":
            st.caption("Before a priced round a SAFE has no shares yet: shown as converted at its post-money cap.")
        st.caption(
            "Rounding (YC guide): conversion and new-money shares rounded down, pool top-up rounded up, "
            "prices exact (the guide truncates them to 4 decimals)."
        )
    payouts = result["exit_payouts"]
    if entries and payouts:
        st.subheader("Exit payouts (1x non-participating)")
        fig = go.Figure()
        names = list(payouts[0]["payouts"])
        for holder in names:
            fig.add_scatter(
                x=[p["exit_value"] for p in payouts],
                y=[p["payouts"][holder] for p in payouts],
                name=holder,
                mode="lines+markers",
                stackgroup="one",
            )
        fig.update_layout(height=360, xaxis_title="Exit value (USD)", yaxis_title="Payout (USD)", margin={"t": 30})
        st.plotly_chart(fig, width="stretch")

# ---------------------------------------------------------------- risk
with risk_tab:
    horizon = int(draft.get("horizon_months", 60))
    survival_month = st.slider(
        "Out of cash before month",
        1,
        horizon,
        min(int(draft.get("risk", {}).get("survival_month", 24)), horizon),
        key="funding_survival_month",
    )
    risk_result = cached_risk(payload_json, survival_month, horizon)
    cols = st.columns(4)
    cols[0].metric("P(out of cash before month)", f"{risk_result['p_out_of_cash_before']:.1%}")
    for col, key, label in (
        (cols[1], "runway_p10", "P10"),
        (cols[2], "runway_p50", "P50"),
        (cols[3], "runway_p90", "P90"),
    ):
        value = risk_result[key]
        col.metric(f"Runway {label}", f"{value:.1f} mo" if value is not None else f"{horizon}+ mo")
    fig = go.Figure()
    months = risk_result["fan_months"]
    fig.add_scatter(x=months, y=risk_result["cash_p90"], name="P90", line={"width": 0}, showlegend=False)
    fig.add_scatter(
        x=months,
        y=risk_result["cash_p10"],
        name="P10-P90",
        fill="tonexty",
        line={"width": 0},
        fillcolor="rgba(76,120,168,0.25)",
    )
    fig.add_scatter(x=months, y=risk_result["cash_p50"], name="P50", line={"width": 3, "color": "#4c78a8"})
    fig.update_layout(height=360, xaxis_title="Month", yaxis_title="Cash (USD, 0 once out)", margin={"t": 30})
    st.plotly_chart(fig, width="stretch")
    runways = risk_result["runway"]
    finite = runways[runways < float("inf")]
    hist = go.Figure(go.Histogram(x=finite, nbinsx=40, marker_color="#e45756"))
    hist.update_layout(height=280, xaxis_title="Runway (months)", yaxis_title="Paths", margin={"t": 30})
    st.plotly_chart(hist, width="stretch")
    st.caption(
        f"{risk_result['paths']:,} paths in {risk_result['elapsed_ms']:.0f} ms; "
        f"{len(runways) - len(finite):,} never run out within {horizon} months. Growth, one cost-overrun factor per "
        "path and a Poisson delay per raise are drawn at random."
    )

# ---------------------------------------------------------------- compare
with compare_tab:
    options = ["Current draft"] + [f"Saved: {n}" for n in saved_names] + [f"Example: {n}" for n in example_payloads]
    default = ["Current draft"] + [f"Example: {n}" for n in list(example_payloads)[:3] if n != draft.get("name")][:2]
    picked = st.multiselect("Scenarios (2-4)", options, default=default, max_selections=4, key="funding_compare")
    row = st.columns(2)
    compare_month = row[0].number_input("Survive past month", 1, 600, 36, key="funding_compare_month")
    exit_value = row[1].number_input("Exit value for payouts ($)", 0.0, None, 100e6, step=1e7, key="funding_exit")
    if len(picked) < 2:
        st.info("Pick at least two scenarios.")
    else:
        payloads = []
        for option in picked:
            if option == "Current draft":
                payloads.append(draft)
            elif option.startswith("Saved: "):
                payloads.append(scenario_to_dict(store.load_scenario(option.removeprefix("Saved: "))))
            else:
                payloads.append(example_payloads[option.removeprefix("Example: ")])
        try:
            rows = cached_comparison(json.dumps(payloads, sort_keys=True), int(compare_month), float(exit_value))
        except ScenarioError as exc:
            st.error(f"Comparison failed. {exc}")
            rows = []
        if rows:
            labels = [f"{i + 1}. {r['name']}" for i, r in enumerate(rows)]
            charts = [
                ("Funding support: runway months bought per point of dilution", "runway_months_per_dilution_point"),
                ("Resource integration: compute $ covered by credits", "compute_covered_by_credits"),
                ("Brand: founder payout effect at the exit value ($)", "brand_payout_effect"),
                ("Risk: survival probability", "survival_probability"),
            ]
            grid = st.columns(2)
            for number, (title, key) in enumerate(charts):
                fig = go.Figure(go.Bar(x=labels, y=[r[key] or 0 for r in rows], marker_color="#4c78a8"))
                fig.update_layout(title=title, height=300, margin={"t": 50, "b": 30})
                grid[number % 2].plotly_chart(fig, width="stretch")
            fig = go.Figure(go.Bar(x=labels, y=[r["expected_founder_payout"] for r in rows], marker_color="#54a24b"))
            fig.update_layout(title="Risk: expected founder payout (0 on paths that die)", height=300)
            st.plotly_chart(fig, width="stretch")
            table = pd.DataFrame(rows)
            table.insert(0, "scenario", labels)
            st.dataframe(table.drop(columns=["name"]), width="stretch", hide_index=True)

# ---------------------------------------------------------------- saved
with saved_tab:
    with st.form("funding_save"):
        save_name = st.text_input("Save the current draft as", value=draft.get("name", "Scenario"))
        overwrite = st.checkbox("Replace a saved scenario with this name")
        if st.form_submit_button("Save"):
            try:
                store.save_scenario(save_name, draft, overwrite=overwrite)
            except ScenarioError as exc:
                st.error(f"Nothing saved. {exc}")
            else:
                st.session_state["funding_note"] = f"Saved {save_name.strip()!r}."
                st.rerun()
    if saved_names:
        target = st.selectbox("Saved scenario", saved_names, key="funding_target")
        row = st.columns([2, 1, 1, 1])
        new_name = row[0].text_input("New name", key="funding_new_name")
        if row[1].button("Rename"):
            try:
                store.rename_scenario(target, new_name)
            except ScenarioError as exc:
                st.error(f"Not renamed. {exc}")
            else:
                st.rerun()
        if row[2].button("Duplicate"):
            try:
                store.duplicate_scenario(target, new_name.strip() or None)
            except ScenarioError as exc:
                st.error(f"Not duplicated. {exc}")
            else:
                st.rerun()
        if row[3].button("Delete"):
            store.delete_scenario(target)
            st.rerun()
        st.download_button(
            "Export as JSON", store.export_scenario_json(target), file_name=f"{target}.json", mime="application/json"
        )
    else:
        st.caption("No saved scenarios yet.")
    upload = st.file_uploader("Import a scenario JSON", type=["json"])
    if upload is not None and st.button("Import"):
        try:
            imported = store.import_scenario_json(upload.getvalue())
        except ScenarioError as exc:
            st.error(f"Nothing imported. {exc}")
        else:
            st.session_state["funding_note"] = f"Imported {imported.name!r}."
            st.rerun()
