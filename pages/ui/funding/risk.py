"""Funding, Risk tab: the Monte Carlo's chance of running out of cash, runway percentiles, the cash fan, and what
it draws at random."""

import plotly.graph_objects as go
import streamlit as st

from pages.ui.funding.draft import cached_risk
from pages.ui.funding.format import md, money, months_text


def show(draft: dict, payload_json: str) -> None:
    horizon = int(draft.get("horizon_months", 60))
    survival_month = st.slider(
        "Out of cash before month",
        1,
        horizon,
        min(int(draft.get("risk", {}).get("survival_month", 24)), horizon),
        key="funding_survival_month",
    )
    risk_result = cached_risk(payload_json, survival_month, horizon)
    cols = st.columns(5)
    cols[0].metric("P(out of cash before month)", f"{risk_result['p_out_of_cash_before']:.1%}")
    for col, key, label in (
        (cols[1], "runway_p10", "P10"),
        (cols[2], "runway_p50", "P50"),
        (cols[3], "runway_p90", "P90"),
    ):
        value = risk_result[key]
        col.metric(f"Runway {label}", months_text(value, horizon))
    cols[4].metric(
        "Expected founder payout",
        money(risk_result["expected_founder_payout"]),
        help="At the survival month, over all paths (0 where the company died).",
    )
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
    fig.add_scatter(
        x=months,
        y=risk_result["cash_p50"],
        name="P50",
        line={"width": 3, "color": "#4c78a8"},
        text=[money(v) for v in risk_result["cash_p50"]],
        hovertemplate="month %{x}: %{text}<extra>P50</extra>",
    )
    fig.update_layout(height=360, xaxis_title="Month", yaxis_title="Cash (0 once out)", margin={"t": 30})
    fig.update_yaxes(tickprefix="$", tickformat="~s")
    st.plotly_chart(fig, width="stretch")
    runways = risk_result["runway"]
    finite = runways[runways < float("inf")]
    hist = go.Figure(go.Histogram(x=finite, nbinsx=40, marker_color="#e45756"))
    hist.update_layout(height=280, xaxis_title="Runway (months)", yaxis_title="Paths", margin={"t": 30})
    st.plotly_chart(hist, width="stretch")
    st.markdown("**What is random**")
    st.markdown("\n".join(f"- {md(line)}" for line in risk_result["random_inputs"]))
    failed = risk_result["raises_failed_share"]
    if failed:
        st.caption("Paths where each raise never closed: " + md(", ".join(f"{n} {v:.0%}" for n, v in failed.items())))
    st.caption(
        f"{risk_result['paths']:,} paths in {risk_result['elapsed_ms']:.0f} ms; "
        f"{len(runways) - len(finite):,} never run out within {horizon} months."
    )
