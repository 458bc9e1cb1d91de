"""Funding, Cap table & exits tab: ownership after every equity event, each SAFE and note at the price it converts
at, and what each class and holder is paid at an exit."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.ui.common import inert_html
from pages.ui.funding.format import display_table, money

KIND_NAMES = {
    "safe": "SAFE",
    "note": "Note",
    "priced": "Priced round",
    "options": "Option grant",
    "maturity": "Note maturity",
}


def _price_note(entry: dict) -> str:
    if entry["kind"] not in ("safe", "note"):
        return ""
    if entry.get("converted_in"):
        return f"converts in {entry['converted_in']}"
    if entry.get("price_per_share") is None:
        return "set by the next priced round"
    return "estimate at its cap, before conversion"


def _price_text(value: float | None) -> str:
    """Share prices keep their cents and fractions of a cent: $0.34, $1.11447."""
    if value is None:
        return ""
    return f"${value:,.5f}".rstrip("0").rstrip(".") if value < 1000 else money(value)


def show(result: dict, draft: dict) -> None:
    entries = result["cap_table"]
    if not entries:
        st.info("No SAFEs, notes or priced rounds in this scenario: the founders keep everything.")
        return
    ownership = []
    for entry in entries:
        for holder in entry["holders"]:
            if holder["percent"] is not None:
                event, name = inert_html(entry["round"]), inert_html(holder["name"])
                ownership.append({"event": event, "holder": name, "percent": holder["percent"]})
    frame = pd.DataFrame(ownership)
    fig = go.Figure()
    for holder, rows in frame.groupby("holder", sort=False):
        fig.add_bar(x=rows["event"], y=rows["percent"], name=holder)
    fig.update_layout(barmode="stack", height=360, yaxis_title="% fully diluted", margin={"t": 30})
    st.plotly_chart(fig, width="stretch")
    events = pd.DataFrame(
        [
            {
                "Event": e["round"],
                "Kind": KIND_NAMES.get(e["kind"], e["kind"]),
                "Month": e["month"],
                "Amount": money(e["amount"]) if e.get("amount") is not None else "",
                "Price per share": _price_text(e.get("price_per_share")),
                "Price is": _price_note(e),
                "Fully diluted shares": e["total_shares"],
                "Unissued pool": e["options"],
                "Post-money": money(e["post_money"]) if e.get("post_money") is not None else "",
                "Company Capitalization": e.get("company_capitalization"),
            }
            for e in entries
        ]
    )
    st.dataframe(events, width="stretch", hide_index=True)
    chosen = st.selectbox("Holders after", [e["round"] for e in entries], index=len(entries) - 1)
    entry = next(e for e in entries if e["round"] == chosen)
    st.dataframe(display_table(entry["holders"], ["name", "kind", "shares", "percent"]), hide_index=True)
    if entry.get("as_converted"):
        st.caption("Before a priced round a SAFE or note has no shares yet: shown as converted at its cap.")
    rounding = draft.get("rounding")
    if rounding:
        st.caption(
            f"Legal-spreadsheet rounding: every price rounded up to {rounding['price_decimals']} decimals, every "
            "share count rounded down."
        )
    else:
        st.caption("Exact arithmetic: each issue of shares rounded down, the pool top-up rounded up, prices exact.")
    show_exits(result)


def show_exits(result: dict) -> None:
    payouts = result["exit_payouts"]
    if not payouts:
        return
    st.subheader("Exit payouts")
    st.caption(
        "Notes first, then preferences by seniority (each round's multiple, participation and cap); every class "
        "converts to common when that pays it more; unconverted SAFEs convert by their own terms."
    )
    values = [p["exit_value"] for p in payouts]
    fig = go.Figure()
    for group in payouts[0]["class_payouts"]:
        amounts = [p["class_payouts"][group] for p in payouts]
        fig.add_scatter(
            x=values,
            y=amounts,
            name=inert_html(group),
            mode="lines+markers",
            stackgroup="one",
            text=[money(a) for a in amounts],
            hovertemplate="%{text}<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(height=360, margin={"t": 30}, xaxis_title="Exit value", yaxis_title="Paid to each class")
    fig.update_xaxes(tickprefix="$", tickformat="~s")
    fig.update_yaxes(tickprefix="$", tickformat="~s")
    st.plotly_chart(fig, width="stretch")
    at = st.select_slider("Paid to each holder at an exit of", options=values, value=values[3], format_func=money)
    row = next(p for p in payouts if p["exit_value"] == at)
    table = [{"name": name, "amount": amount} for name, amount in row["payouts"].items()]
    st.dataframe(
        display_table(table, ["name", "amount"]).rename(columns={"Amount": "Paid"}), hide_index=True, width="content"
    )
