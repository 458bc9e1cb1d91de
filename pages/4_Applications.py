"""Applications: where large models pay off, what each takes, a feasibility score with the founder's own weights, and
one click to the compute estimate or a funding plan for any scenario."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.applications.catalog import (
    CRITERIA,
    CRITERION_HELP,
    FIELDS,
    HORIZONS,
    LIST_FIELDS,
    MATURITY_LEVELS,
    RISK_LEVELS,
    FeasibilityWeights,
    Scenario,
    ScenarioError,
    compute_budget,
    create_scenario,
    criterion_scores,
    delete_scenario,
    export_csv,
    export_json,
    feasibility,
    filter_scenarios,
    funding_query,
    gpu_budget_query,
    import_scenarios,
    list_scenarios,
    rank,
    restore_seeded,
    update_scenario,
)
from pages.common import PAGES_DIR, setup_page

setup_page("Applications", icon="🧭")
st.title("Applications")
st.caption(
    "Where large models pay off today and where they are emerging: the model, data, compute, rules and market each "
    "application needs, scored for feasibility with weights you choose. Regulations and products named are public "
    "and checkable; data availability (1-5) and the typical training tokens are editorial estimates you can edit."
)

GPU_BUDGET_PAGE = "pages/2_GPU_Budget.py"
FUNDING_PAGE = "pages/3_Funding.py"
TAB_NAMES = ["Catalog", "Scenario detail", "Compare", "Edit", "Import / export"]

flash = st.session_state.pop("app_flash", None)
if flash:
    st.success(flash)


def page_exists(page: str) -> bool:
    return (PAGES_DIR.parent / page).is_file()


def money(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def count(value: float) -> str:
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:.3g} {suffix}"
    return f"{value:.3g}"


def show_details(name: str) -> None:
    st.session_state["app_detail_name"] = name
    st.session_state["app_tab"] = "Scenario detail"


def link_buttons(scenario: dict, key: str) -> None:
    """'Estimate compute' and 'Plan funding' for one scenario; each opens its page pre-filled."""
    cols = st.columns(2)
    gpu_ready, funding_ready = page_exists(GPU_BUDGET_PAGE), page_exists(FUNDING_PAGE)
    if cols[0].button(
        "Estimate compute",
        key=f"gpu_{key}",
        icon="🧮",
        disabled=not gpu_ready,
        help="Open the GPU-budget page with this scenario's typical model"
        if gpu_ready
        else "Arrives with the GPU-budget page",
    ):
        st.switch_page(GPU_BUDGET_PAGE, query_params=gpu_budget_query(scenario))
    if cols[1].button(
        "Plan funding",
        key=f"fund_{key}",
        icon="💰",
        disabled=not funding_ready,
        help="Start a funding scenario with this compute budget" if funding_ready else "Arrives with the funding page",
    ):
        st.switch_page(FUNDING_PAGE, query_params=funding_query(scenario))


def radar(scenarios: list[dict]) -> go.Figure:
    labels = list(CRITERIA.values())
    figure = go.Figure()
    for scenario in scenarios:
        points = list(criterion_scores(scenario).values())
        figure.add_scatterpolar(r=points + points[:1], theta=labels + labels[:1], fill="toself", name=scenario["name"])
    figure.update_layout(
        polar={"radialaxis": {"range": [0, 5], "tickvals": [1, 2, 3, 4, 5]}},
        title="Criterion points (1 = hard for a startup, 5 = easy)",
        legend={"orientation": "h"},
    )
    return figure


# ---- weights and filters -----------------------------------------------------------------------------------------

with st.sidebar:
    st.subheader("Feasibility weights")
    st.caption("How much each criterion counts in the 0-100 score; only the ratios matter.")
    raw_weights = {
        name: st.slider(label, 0.0, 5.0, 1.0, 0.5, key=f"weight_{name}", help=CRITERION_HELP[name])
        for name, label in CRITERIA.items()
    }
try:
    weights = FeasibilityWeights(**raw_weights)
except ScenarioError as exc:
    st.warning(f"{exc}; scoring with equal weights instead.")
    weights = FeasibilityWeights()
shares = weights.shares()
weights_line = " · ".join(
    f"{CRITERIA[name]} {getattr(weights, name):g} ({shares[name]:.0%})" for name in CRITERIA
)  # fmt: skip

all_scenarios = list_scenarios()
sectors = sorted({s["sector"] for s in all_scenarios})
cols = st.columns([2, 2, 1, 1, 2])
search = cols[0].text_input("Search", key="app_search", placeholder="e.g. GDPR, fraud, Whisper")
chosen_sectors = cols[1].multiselect("Sector", sectors, key="app_sectors")
chosen_horizons = cols[2].multiselect("Horizon", HORIZONS, key="app_horizons")
chosen_risks = cols[3].multiselect("Regulatory risk", RISK_LEVELS, key="app_risks")
chosen_maturities = cols[4].multiselect("Maturity", MATURITY_LEVELS, key="app_maturities")
shown = rank(
    filter_scenarios(all_scenarios, search, chosen_sectors, chosen_horizons, chosen_risks, chosen_maturities),
    weights,
)
by_name = {s["name"]: s for s in rank(all_scenarios, weights)}

st.session_state.setdefault("app_tab", TAB_NAMES[0])
catalog_tab, detail_tab, compare_tab, edit_tab, io_tab = st.tabs(TAB_NAMES, key="app_tab", on_change="rerun")

# ---- catalog -----------------------------------------------------------------------------------------------------

with catalog_tab:
    st.markdown(f"**{len(shown)} of {len(all_scenarios)} scenarios**, best feasibility first. Weights: {weights_line}.")
    if not shown:
        st.info("No scenario matches these filters.")
    else:
        table = pd.DataFrame(shown)
        for field in LIST_FIELDS:
            table[field] = table[field].map(", ".join)
        st.dataframe(
            table,
            hide_index=True,
            column_order=["feasibility_score", "name", "sector", "horizon", "typical_model", "typical_params",
                          "regulatory_risk", "privacy_risk", "explainability_need", "maturity", "data_availability",
                          "example_products"],
            column_config={
                "feasibility_score": st.column_config.ProgressColumn("Feasibility", min_value=0, max_value=100,
                                                                     format="%.0f"),
                "typical_params": st.column_config.NumberColumn("Typical params", format="%.3g"),
                "data_availability": st.column_config.NumberColumn("Data (1-5)"),
            },
        )  # fmt: skip

        contributions = pd.DataFrame(
            [
                {"scenario": s["name"], "criterion": row["label"], "points of score": row["contribution"]}
                for s in shown
                for row in feasibility(s, weights)["breakdown"]
            ]
        )
        chart = px.bar(
            contributions,
            x="points of score",
            y="scenario",
            color="criterion",
            orientation="h",
            title="Feasibility score: the points each weighted criterion adds",
            category_orders={"scenario": [s["name"] for s in shown]},
        )
        chart.update_layout(height=max(360, 28 * len(shown) + 140), xaxis_range=[0, 100], yaxis_title="")
        st.plotly_chart(chart, width="stretch")

        st.subheader("Scenario cards")
        grid = st.columns(3)
        for index, scenario in enumerate(shown):
            with grid[index % 3].container(border=True):
                st.markdown(f"**{scenario['name']}**")
                st.caption(f"{scenario['sector']} · {scenario['horizon']} · {scenario['maturity']}")
                st.markdown(
                    f"Feasibility **{scenario['feasibility_score']:.0f}**/100 · "
                    f"{count(scenario['typical_params'])} params · {scenario['typical_model']}"
                )
                st.markdown(
                    f"Regulatory risk :{'red' if scenario['regulatory_risk'] == 'high' else 'orange' if scenario['regulatory_risk'] == 'medium' else 'green'}-badge[{scenario['regulatory_risk']}] "  # noqa: E501
                    f"Privacy :blue-badge[{scenario['privacy_risk']}] "
                    f"Explainability :violet-badge[{scenario['explainability_need']}]"
                )
                st.caption("e.g. " + ", ".join(scenario["example_products"][:3]))
                link_buttons(scenario, f"card_{scenario['id']}")
                st.button("Details", key=f"details_{scenario['id']}", on_click=show_details, args=(scenario["name"],))

# ---- detail ------------------------------------------------------------------------------------------------------

with detail_tab:
    names = list(by_name)
    if not names:
        st.info("The catalog is empty: add a scenario or restore the seeded ones on the Edit tab.")
    else:
        if st.session_state.get("app_detail_name") not in by_name:
            st.session_state["app_detail_name"] = shown[0]["name"] if shown else names[0]
        scenario = by_name[st.selectbox("Scenario", names, key="app_detail_name")]
        result = feasibility(scenario, weights)
        st.subheader(scenario["name"])
        st.caption(
            f"{scenario['sector']} · horizon: {scenario['horizon']} · maturity: {scenario['maturity']}"
            + (" · seeded" if scenario["is_seed"] else " · added by you")
        )
        st.write(scenario["description"])
        budget = compute_budget(scenario)
        metrics = st.columns(4)
        metrics[0].metric("Feasibility", f"{result['score']:.0f} / 100", help=f"Weights: {weights_line}")
        metrics[1].metric("Typical model size", f"{count(scenario['typical_params'])} params")
        metrics[2].metric(
            "Training compute",
            money(budget["training_cost_usd"]),
            help=f"{budget['training_flops']:.3g} FLOPs = 6 × {scenario['typical_params']:.3g} params × "
            f"{scenario['training_tokens']:.3g} tokens; {budget['gpu_hours']:,.0f} {budget['gpu']} GPU-hours at "
            f"${budget['price_per_hour_usd']:.2f}/h ({budget['method']}); range "
            f"{money(budget['training_cost_usd_low'])}–{money(budget['training_cost_usd_high'])}",
        )
        metrics[3].metric("Serving", f"{money(budget['serving_monthly_usd'])}/month", help=budget["serving_note"])
        link_buttons(scenario, "detail")

        left, right = st.columns(2)
        with left:
            st.markdown(f"**Tasks:** {', '.join(scenario['tasks'])}")
            st.markdown(f"**Typical model:** {scenario['typical_model']}")
            st.markdown(f"**Data needs** (availability {scenario['data_availability']}/5): {scenario['data_needs']}")
            st.markdown(f"**Compute profile:** {scenario['compute_profile']}")
            st.markdown(
                f"**Risk:** regulatory {scenario['regulatory_risk']}, privacy {scenario['privacy_risk']}, "
                f"explainability need {scenario['explainability_need']}"
            )
            st.markdown("**Rules that apply:**\n" + "\n".join(f"- {rule}" for rule in scenario["regulations"]))
            st.markdown("**Example products:** " + ", ".join(scenario["example_products"]))
            st.markdown("**Key risks:**\n" + "\n".join(f"- {risk}" for risk in scenario["key_risks"]))
        with right:
            st.plotly_chart(radar([scenario]), width="stretch")
            breakdown = pd.DataFrame(result["breakdown"])
            breakdown["rule"] = breakdown["criterion"].map(CRITERION_HELP)
            st.dataframe(
                breakdown[["label", "points", "weight", "weight_share", "contribution", "rule"]],
                hide_index=True,
                column_config={
                    "label": "Criterion",
                    "points": st.column_config.NumberColumn("Points (1-5)", format="%.2f"),
                    "weight_share": st.column_config.NumberColumn("Share of weight", format="percent"),
                    "contribution": st.column_config.NumberColumn("Adds to score", format="%.1f"),
                },
            )
            st.caption("Score = 100 × Σ weight × (points − 1) / 4 ÷ Σ weight.")

# ---- compare -----------------------------------------------------------------------------------------------------

with compare_tab:
    names = list(by_name)
    st.session_state.setdefault("app_compare", [s["name"] for s in shown[:3]] or names[:3])
    picked = st.multiselect("Scenarios to compare (2-4)", names, key="app_compare", max_selections=4)
    if len(picked) < 2:
        st.info("Pick two to four scenarios.")
    else:
        chosen = [by_name[name] for name in picked]
        rows = {}
        for scenario in chosen:
            budget = compute_budget(scenario)
            column = {
                "feasibility_score": "",
                "training_cost_usd": "",
                "serving_monthly_usd": "",
                **{field: scenario[field] for field in FIELDS if field != "name"},
            }
            for field in LIST_FIELDS:
                column[field] = "; ".join(column[field])
            column["typical_params"] = f"{scenario['typical_params']:.3g}"
            column["training_tokens"] = f"{scenario['training_tokens']:.3g}"
            column["feasibility_score"] = f"{scenario['feasibility_score']:.0f}"
            column["training_cost_usd"] = money(budget["training_cost_usd"])
            column["serving_monthly_usd"] = money(budget["serving_monthly_usd"])
            rows[scenario["name"]] = column
        st.dataframe(pd.DataFrame(rows).astype(str), width="stretch")
        cols = st.columns(2)
        cols[0].plotly_chart(radar(chosen), width="stretch")
        compared = pd.DataFrame(
            [
                {"scenario": s["name"], "criterion": row["label"], "points of score": row["contribution"]}
                for s in chosen
                for row in feasibility(s, weights)["breakdown"]
            ]
        )
        cols[1].plotly_chart(
            px.bar(compared, x="scenario", y="points of score", color="criterion",
                   title="Feasibility score by criterion").update_layout(yaxis_range=[0, 100]),
            width="stretch",
        )  # fmt: skip

# ---- edit --------------------------------------------------------------------------------------------------------


def scenario_form(key: str, current: dict | None) -> dict | None:
    """The fields of one scenario; returns the raw values when submitted."""
    current = current or {}

    def pick(options: tuple[str, ...], field: str) -> int:
        return options.index(current[field]) if current.get(field) in options else 0

    with st.form(f"form_{key}"):
        cols = st.columns(3)
        values = {
            "name": cols[0].text_input("name", current.get("name", ""), key=f"{key}_name"),
            "sector": cols[1].text_input("sector", current.get("sector", ""), key=f"{key}_sector"),
            "horizon": cols[2].selectbox("horizon", HORIZONS, pick(HORIZONS, "horizon"), key=f"{key}_horizon"),
            "typical_model": cols[0].text_input(
                "typical_model", current.get("typical_model", ""), key=f"{key}_typical_model"
            ),
            "typical_params": cols[1].text_input(
                "typical_params",
                f"{current['typical_params']:.6g}" if current else "",
                key=f"{key}_typical_params",
                placeholder="7e9 or 7B",
            ),
            "training_tokens": cols[2].text_input(
                "training_tokens",
                f"{current['training_tokens']:.6g}" if current else "",
                key=f"{key}_training_tokens",
                placeholder="empty = 20 × params",
            ),
            "regulatory_risk": cols[0].selectbox(
                "regulatory_risk", RISK_LEVELS, pick(RISK_LEVELS, "regulatory_risk"), key=f"{key}_regulatory_risk"
            ),
            "privacy_risk": cols[1].selectbox(
                "privacy_risk", RISK_LEVELS, pick(RISK_LEVELS, "privacy_risk"), key=f"{key}_privacy_risk"
            ),
            "explainability_need": cols[2].selectbox(
                "explainability_need",
                RISK_LEVELS,
                pick(RISK_LEVELS, "explainability_need"),
                key=f"{key}_explainability_need",
            ),
            "maturity": cols[0].selectbox(
                "maturity", MATURITY_LEVELS, pick(MATURITY_LEVELS, "maturity"), key=f"{key}_maturity"
            ),
            "data_availability": cols[1].slider(
                "data_availability", 1, 5, int(current.get("data_availability", 3)), key=f"{key}_data_availability"
            ),
        }
        for field in ("description", "data_needs", "compute_profile"):
            values[field] = st.text_area(field, current.get(field, ""), key=f"{key}_{field}", height=80)
        cols = st.columns(2)
        for index, field in enumerate(LIST_FIELDS):
            values[field] = cols[index % 2].text_area(
                f"{field} (one per line)", "\n".join(current.get(field, [])), key=f"{key}_{field}", height=110
            )
        submitted = st.form_submit_button("Save", type="primary")
    return values if submitted else None


with edit_tab:
    mode = st.radio(
        "Action", ["Add a scenario", "Edit a scenario", "Delete a scenario"], horizontal=True, key="app_mode"
    )
    if mode == "Add a scenario":
        values = scenario_form("add", None)
        if values is not None:
            try:
                created = create_scenario(Scenario.from_mapping(values))
            except ScenarioError as exc:
                st.error(f"Nothing was saved. {exc}")
            else:
                st.session_state["app_flash"] = f"Added {created['name']!r}."
                st.rerun()
    elif not by_name:
        st.info("The catalog is empty.")
    elif mode == "Edit a scenario":
        target = by_name[st.selectbox("Scenario to edit", list(by_name), key="app_edit_target")]
        values = scenario_form(f"edit_{target['id']}", target)
        if values is not None:
            try:
                saved = update_scenario(target["name"], Scenario.from_mapping(values))
            except ScenarioError as exc:
                st.error(f"Nothing was saved. {exc}")
            else:
                st.session_state["app_flash"] = f"Saved {saved['name']!r}."
                st.rerun()
    else:
        target_name = st.selectbox("Scenario to delete", list(by_name), key="app_delete_target")
        sure = st.checkbox(f"Yes, delete {target_name!r}", key="app_delete_sure")
        if st.button("Delete", disabled=not sure, key="app_delete"):
            delete_scenario(target_name)
            st.session_state["app_flash"] = f"Deleted {target_name!r}. Restore the seeded scenarios to undo."
            st.rerun()
    st.divider()
    st.markdown("**Seeded scenarios**: put every shipped scenario back as shipped; scenarios you added stay.")
    if st.button("Restore seeded scenarios", key="app_restore"):
        count = restore_seeded()
        st.session_state["app_flash"] = f"Restored {count} seeded scenarios."
        st.rerun()

# ---- import / export ---------------------------------------------------------------------------------------------

with io_tab:
    st.markdown(f"Export the {len(shown)} scenarios the filters show, or import a file in the same format.")
    cols = st.columns(2)
    cols[0].download_button(
        "Export JSON", export_json(shown), "app_scenarios.json", "application/json", key="app_export_json"
    )
    cols[1].download_button("Export CSV", export_csv(shown), "app_scenarios.csv", "text/csv", key="app_export_csv")
    st.caption(
        "Columns: " + ", ".join(FIELDS) + ". In CSV, list fields separate items with ' | '. Import adds new names "
        "and replaces scenarios with the same name; a file with any bad row changes nothing."
    )
    upload = st.file_uploader("Import a CSV or JSON file", type=["csv", "json"], key="app_upload")
    if st.button("Import", disabled=upload is None, key="app_import") and upload is not None:
        try:
            counts = import_scenarios(upload.getvalue(), upload.name.rsplit(".", 1)[-1])
        except ScenarioError as exc:
            st.error(f"Nothing was imported. {exc}")
        else:
            st.session_state["app_flash"] = (
                f"Imported {upload.name}: {counts['created']} added, {counts['updated']} replaced."
            )
            st.rerun()
