"""Applications, Compare tab: two to four scenarios side by side, with their radar and score charts."""

import pandas as pd
import plotly.express as px
import streamlit as st

from core.applications.catalog import FIELDS, LIST_FIELDS, compute_budget, feasibility
from core.formatting import compact, money
from pages.ui.applications.shared import FIELD_LABELS, radar
from pages.ui.common import inert_html


def show(by_name: dict[str, dict], shown: list[dict], weights) -> None:
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
            column["typical_params"] = compact(scenario["typical_params"])
            column["training_tokens"] = compact(scenario["training_tokens"])
            column["feasibility_score"] = f"{scenario['feasibility_score']:.0f}"
            ok = budget["status"] == "ok"
            column["training_cost_usd"] = money(budget["training_cost_usd"]) if ok else "pick a GPU"
            column["serving_monthly_usd"] = money(budget["serving_monthly_usd"]) if ok else "pick a GPU"
            rows[scenario["name"]] = column
        st.dataframe(pd.DataFrame(rows).astype(str).rename(index=FIELD_LABELS), width="stretch")
        cols = st.columns(2)
        cols[0].plotly_chart(radar(chosen), width="stretch")
        compared = pd.DataFrame(
            [
                {"scenario": inert_html(s["name"]), "criterion": row["label"], "points of score": row["contribution"]}
                for s in chosen
                for row in feasibility(s, weights)["breakdown"]
            ]
        )
        cols[1].plotly_chart(
            px.bar(compared, x="scenario", y="points of score", color="criterion",
                   title="Feasibility score by criterion").update_layout(yaxis_range=[0, 100]),
            width="stretch",
        )  # fmt: skip
