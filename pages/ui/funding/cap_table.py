"""Funding, Cap table & exits tab: ownership after every SAFE and priced round, and payouts at exit."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def show(result: dict) -> None:
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
