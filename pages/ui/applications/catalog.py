"""Applications, Catalog tab: the ranked table, the score breakdown chart and one card per scenario."""

import pandas as pd
import plotly.express as px
import streamlit as st

from core.applications.catalog import LIST_FIELDS, feasibility
from core.formatting import compact
from pages.ui.applications.shared import FIELD_LABELS, link_buttons, show_details
from pages.ui.common import escape_markdown as md
from pages.ui.common import inert_html


def show(shown: list[dict], all_scenarios: list[dict], weights, weights_line: str) -> None:
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
            width="stretch",
            column_config={
                **FIELD_LABELS,
                "feasibility_score": st.column_config.ProgressColumn("Feasibility", min_value=0, max_value=100,
                                                                     format="%.0f"),
                "typical_params": st.column_config.NumberColumn("Typical parameters", format="compact"),
                "data_availability": st.column_config.NumberColumn("Data (1-5)"),
            },
        )  # fmt: skip

        contributions = pd.DataFrame(
            [
                {"scenario": inert_html(s["name"]), "criterion": row["label"], "points of score": row["contribution"]}
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
            category_orders={"scenario": [inert_html(s["name"]) for s in shown]},
        )
        chart.update_layout(height=max(360, 28 * len(shown) + 140), xaxis_range=[0, 100], yaxis_title="")
        st.plotly_chart(chart, width="stretch")

        st.subheader("Scenario cards")
        grid = st.columns(3)
        for index, scenario in enumerate(shown):
            with grid[index % 3].container(border=True):
                st.markdown(f"**{md(scenario['name'])}**")
                st.caption(f"{md(scenario['sector'])} · {scenario['horizon']} · {scenario['maturity']}")
                st.markdown(
                    f"Feasibility **{scenario['feasibility_score']:.0f}**/100 · "
                    f"{compact(scenario['typical_params'])} params · {md(scenario['typical_model'])}"
                )
                st.markdown(
                    f"Regulatory risk :{'red' if scenario['regulatory_risk'] == 'high' else 'orange' if scenario['regulatory_risk'] == 'medium' else 'green'}-badge[{scenario['regulatory_risk']}] "  # noqa: E501
                    f"Privacy :blue-badge[{scenario['privacy_risk']}] "
                    f"Explainability :violet-badge[{scenario['explainability_need']}]"
                )
                st.caption("e.g. " + md(", ".join(scenario["example_products"][:3])))
                link_buttons(scenario, f"card_{scenario['id']}")
                st.button("Details", key=f"details_{scenario['id']}", on_click=show_details, args=(scenario["name"],))
