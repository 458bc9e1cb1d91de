"""Applications, Scenario detail tab: one scenario's needs, rules, risks, score breakdown and compute budget."""

import pandas as pd
import streamlit as st

from core.applications.catalog import CRITERION_HELP, compute_budget, feasibility
from core.formatting import compact, money
from pages.ui.applications.shared import link_buttons, radar
from pages.ui.common import escape_markdown as md


def show(by_name: dict[str, dict], shown: list[dict], weights, weights_line: str) -> None:
    names = list(by_name)
    if not names:
        st.info("The catalog is empty: add a scenario or restore the seeded ones on the Edit tab.")
    else:
        if st.session_state.get("app_detail_name") not in by_name:
            st.session_state["app_detail_name"] = shown[0]["name"] if shown else names[0]
        scenario = by_name[st.selectbox("Scenario", names, key="app_detail_name")]
        result = feasibility(scenario, weights)
        st.subheader(md(scenario["name"]))
        st.caption(
            f"{md(scenario['sector'])} · horizon: {scenario['horizon']} · maturity: {scenario['maturity']}"
            + (" · seeded" if scenario["is_seed"] else " · added by you")
        )
        st.markdown(md(scenario["description"]))
        budget = compute_budget(scenario)
        metrics = st.columns(4)
        metrics[0].metric("Feasibility", f"{result['score']:.0f} / 100", help=f"Weights: {weights_line}")
        metrics[1].metric("Typical model size", f"{compact(scenario['typical_params'])} params")
        if budget["status"] == "ok":
            metrics[2].metric(
                "Training compute",
                money(budget["training_cost_usd"]),
                help=f"{budget['training_flops']:.3g} FLOPs (6 × {scenario['typical_params']:.3g} params × "
                f"{scenario['training_tokens']:.3g} tokens, plus attention); {budget['gpu_hours']:,.0f} "
                f"{md(budget['gpu'])} GPU-hours at ${budget['price_per_hour_usd']:.2f}/h ({budget['method']}); range "
                f"{money(budget['training_cost_usd_low'])}–{money(budget['training_cost_usd_high'])}",
            )
            metrics[3].metric(
                "Serving", f"{money(budget['serving_monthly_usd'])}/month",
                help=f"{md(budget['serving_note'])}; range {money(budget['serving_monthly_usd_low'])}–"
                f"{money(budget['serving_monthly_usd_high'])}",
            )  # fmt: skip
        else:
            metrics[2].metric("Training compute", "pick a GPU")
            metrics[3].metric("Serving", "pick a GPU")
            st.warning(md(budget["message"]))
        link_buttons(scenario, "detail")

        left, right = st.columns(2)
        with left:
            st.markdown(f"**Tasks:** {md(', '.join(scenario['tasks']))}")
            st.markdown(f"**Typical model:** {md(scenario['typical_model'])}")
            st.markdown(
                f"**Data needs** (availability {scenario['data_availability']}/5): {md(scenario['data_needs'])}"
            )
            st.markdown(f"**Compute profile:** {md(scenario['compute_profile'])}")
            st.markdown(
                f"**Risk:** regulatory {scenario['regulatory_risk']}, privacy {scenario['privacy_risk']}, "
                f"explainability need {scenario['explainability_need']}"
            )
            st.markdown("**Rules that apply:**\n" + "\n".join(f"- {md(rule)}" for rule in scenario["regulations"]))
            st.markdown("**Example products:** " + md(", ".join(scenario["example_products"])))
            st.markdown("**Key risks:**\n" + "\n".join(f"- {md(risk)}" for risk in scenario["key_risks"]))
        with right:
            st.plotly_chart(radar([scenario]), width="stretch")
            breakdown = pd.DataFrame(result["breakdown"])
            st.dataframe(
                breakdown[["label", "points", "weight", "weight_share", "contribution"]],
                hide_index=True,
                width="stretch",
                column_config={
                    "label": "Criterion",
                    "weight": st.column_config.NumberColumn("Weight", format="%g"),
                    "points": st.column_config.NumberColumn("Points (1-5)", format="%.2f"),
                    "weight_share": st.column_config.NumberColumn("Share of weight", format="percent"),
                    "contribution": st.column_config.NumberColumn("Adds to score", format="%.1f"),
                },
            )
            st.caption(
                "Score = 100 × Σ weight × (points − 1) / 4 ÷ Σ weight. Points: "
                + "; ".join(f"{row['label']}: {CRITERION_HELP[row['criterion']]}" for row in result["breakdown"])
                + "."
            )
