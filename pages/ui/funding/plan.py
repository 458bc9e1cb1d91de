"""Funding, Plan tab: runway, cash-zero month, default alive, burn multiple, and the monthly cash flow."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def show(result: dict, draft: dict) -> None:
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
