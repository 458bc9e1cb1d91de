"""Funding page: one money format ($518, $3.4k, $1.2M), human column names, and Markdown-safe text."""

import pandas as pd

from core.funding.text import money, months_text, percent
from core.text import escape_markdown

__all__ = ["COLUMN_LABELS", "display_table", "md", "money", "months_text", "percent"]


COLUMN_LABELS = {
    # monthly plan
    "month": "Month",
    "date": "Date",
    "team": "Team",
    "compute": "Compute",
    "credits_used": "Paid by credits",
    "other": "Other costs",
    "cost_of_revenue": "Cost of revenue",
    "costs": "Total costs",
    "revenue": "Revenue",
    "arr": "ARR",
    "net_burn": "Net burn",
    "funding": "Money in (repaid out)",
    "cash": "Cash at month end",
    # cap table
    "round": "Event",
    "kind": "Kind",
    "name": "Holder",
    "shares": "Shares",
    "percent": "% fully diluted",
    "preference": "Preference",
    "series": "Class",
    "price_per_share": "Price per share",
    "total_shares": "Fully diluted shares",
    "options": "Unissued pool",
    "post_money": "Post-money",
    "company_capitalization": "Company Capitalization",
    # cushions
    "amount": "Amount",
    "cash_before_usd": "Cash just before",
    "cushion_months": "Months it can be late",
}
MONEY_COLUMNS = {
    "team",
    "compute",
    "credits_used",
    "other",
    "cost_of_revenue",
    "costs",
    "revenue",
    "arr",
    "net_burn",
    "funding",
    "cash",
    "preference",
    "post_money",
    "amount",
    "cash_before_usd",
}


def md(text: object) -> str:
    """Text shown through Markdown exactly as written (the app's one escape_markdown)."""
    return escape_markdown(text)


def display_table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows as a table for reading: chosen columns, money as $1.2M, human column names."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in MONEY_COLUMNS:
            frame[column] = [money(v) if v is not None and v == v else "" for v in frame[column]]
    return frame.rename(columns=COLUMN_LABELS)
