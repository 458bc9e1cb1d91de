"""Funding, the headline above the tabs and the Plan tab: runway on cash in hand and with every raise, lowest cash,
the cushion before each raise, default alive, and the monthly cash flow."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.funding.model import MAX_HORIZON_MONTHS
from pages.ui.funding.format import display_table, md, money, months_text

MONTHLY_COLUMNS = ["month", "date", "team", "compute", "credits_used", "other", "cost_of_revenue", "costs", "revenue"]
MONTHLY_COLUMNS += ["arr", "net_burn", "funding", "cash"]


def show_headline(result: dict) -> None:
    """The one sentence that reconciles the plan and the Monte Carlo, then what needs attention."""
    warned = bool(result["warnings"]) or (result["survival_probability"] or 1.0) < 0.5
    (st.warning if warned else st.success)(md(result["headline"]))
    for line in result["warnings"]:
        st.caption(md(line))
    for line in result["assumptions"]:
        st.caption(md(f"Assumed: {line}"))


def show(result: dict, draft: dict) -> None:
    cols = st.columns(4)
    alone = result["runway_without_raises_months"]
    cols[0].metric(
        "Runway on cash in hand",
        months_text(alone, MAX_HORIZON_MONTHS),
        help="No raise or grant after month 0 (raises signed in month 0 count as cash in hand).",
    )
    zero_month = result["cash_zero_month"]
    zero = result["cash_zero_date"] or (f"month {zero_month}" if zero_month is not None else "never")
    cols[1].metric(
        "Runway if every raise closes",
        months_text(result["runway_months"], MAX_HORIZON_MONTHS),
        help=f"Every planned raise and grant on time. First month closing below zero: {zero}.",
    )
    low_when = result["lowest_cash_date"] or f"month {result['lowest_cash_month']}"
    cols[2].metric("Lowest cash", money(result["lowest_cash_usd"]), help=f"Lowest closing balance, in {low_when}.")
    cols[3].metric(
        "Default alive",
        "yes" if result["default_alive"] else "no",
        help=f"Profitable before cash in hand runs out, with no new money: {result['default_alive_reason']}.",
    )
    cushions = result["cushion_before_raises"]
    if cushions:
        st.markdown("**Cushion before each raise**: the cash left just before it lands, and how late it can be.")
        rows = [{**c, "cushion_months": _cushion_text(c["cushion_months"])} for c in cushions]
        table = display_table(rows, ["round", "month", "amount", "cash_before_usd", "cushion_months"])
        st.dataframe(table, width="stretch", hide_index=True)
    burn = result["burn_multiple"]
    st.caption(
        f"Burn multiple, months 0-11 (Sacks): {f'{burn:.2f}' if burn is not None else 'n/a'}, "
        f"{result['burn_multiple_rating']}."
    )
    monthly = pd.DataFrame(result["monthly"])
    x = monthly["date"] if monthly["date"].notna().all() else monthly["month"]
    cash_text = [money(v) for v in monthly["cash"]]
    fig = go.Figure()
    fig.add_bar(x=x, y=monthly["costs"], name="Costs", marker_color="#e45756", opacity=0.6)
    fig.add_bar(x=x, y=monthly["revenue"], name="Revenue", marker_color="#54a24b", opacity=0.8)
    fig.add_scatter(
        x=x,
        y=monthly["cash"],
        name="Cash",
        mode="lines",
        line={"width": 3, "color": "#4c78a8"},
        text=cash_text,
        hovertemplate="%{x}: %{text}<extra>Cash</extra>",
    )
    for cushion in cushions:
        if cushion["month"] < len(x):
            fig.add_vline(x=x.iloc[cushion["month"]], line_dash="dot", line_color="#72b7b2")
    fig.add_hline(y=0, line_dash="dot", line_color="grey")
    fig.update_layout(barmode="overlay", height=380, margin={"t": 30}, legend_orientation="h")
    fig.update_yaxes(tickprefix="$", tickformat="~s", title="Per month / at month end")
    st.plotly_chart(fig, width="stretch")
    st.dataframe(display_table(result["monthly"], MONTHLY_COLUMNS), width="stretch", hide_index=True, height=260)
    st.download_button(
        "Monthly table (CSV)",
        monthly.to_csv(index=False).encode(),
        file_name=f"{draft.get('name', 'scenario')}_monthly.csv",
        mime="text/csv",
    )


def _cushion_text(months: float | None) -> str:
    if months is None:
        return "forever"
    if months < 0:
        return f"runs out {-months:.1f} months before"
    return f"{months:.1f} months" + (" (under 3)" if months < 3 else "")
