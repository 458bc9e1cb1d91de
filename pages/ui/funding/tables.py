"""Funding editor: the team and funding-event tables as the data editors show them, and back to scenario rows."""

import math

import pandas as pd

from core.funding.model import ScenarioError

EVENT_COLUMNS = {
    "kind": "Kind",
    "name": "Name",
    "month": "Month",
    "amount": "Amount ($)",
    "post_money_cap": "Post-money cap ($)",
    "pre_money_cap": "Pre-money cap ($)",
    "discount": "Discount (0.2 = 20%)",
    "mfn": "MFN",
    "valuation_cap": "Note cap ($, pre-money)",
    "interest_rate": "Note interest (0.08 = 8%/yr)",
    "maturity_months": "Note maturity (months)",
    "on_maturity": "At maturity",
    "pre_money": "Pre-money ($)",
    "price_per_share": "Price per share ($)",
    "investors": "Investors (name: $; …)",
    "pool_target": "Pool target (0.1 = 10%)",
    "liquidation_multiple": "Preference (x invested)",
    "participating": "Participating",
    "participation_cap": "Participation cap (x)",
    "seniority": "Seniority (higher first)",
    "pro_rata": "Pro rata",
    "shares": "Options granted",
    "months_valid": "Credits valid (months)",
}
FLAG_COLUMNS = ("mfn", "participating", "pro_rata")
ROLE_COLUMNS = {
    "role": "Role",
    "headcount": "Headcount",
    "monthly_cost": "Monthly cost per head ($)",
    "start_month": "Starts (month)",
    "end_month": "Ends (month)",
}


def none_if_nan(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def rows_from_editor(frame: pd.DataFrame, columns) -> list[dict]:
    rows = []
    for record in frame.to_dict("records"):
        row = {key: none_if_nan(record.get(key)) for key in columns}
        if all(value is None or value is False for value in row.values()):
            continue
        rows.append({key: value for key, value in row.items() if value is not None})
    return rows


def pct(value: float | None) -> float:
    return 100.0 * (value or 0.0)


def investors_text(investors: list[dict] | None) -> str:
    return "; ".join(f"{i['name']}: {i['amount']:g}" for i in investors or [])


def parse_investors(text: str, field: str) -> list[dict]:
    """'Lead: 2000000; Follow: 1e6' as [{name, amount}]; a bad entry raises ScenarioError naming the field."""
    investors = []
    for part in (p.strip() for p in str(text).split(";")):
        if not part:
            continue
        name, colon, amount = part.rpartition(":")
        try:
            value = float(amount.replace(",", "").replace("$", ""))
        except ValueError:
            value = None
        if not colon or not name.strip() or value is None:
            raise ScenarioError(f"{field}: write investors as 'name: amount; name: amount', not {part!r}")
        investors.append({"name": name.strip(), "amount": value})
    return investors


def events_frame(rounds: list[dict]) -> pd.DataFrame:
    rows = [{**r, "investors": investors_text(r.get("investors"))} for r in rounds]
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    for column in FLAG_COLUMNS:
        frame[column] = frame[column].astype("boolean").fillna(False).astype(bool)
    return frame


def events_from_editor(frame: pd.DataFrame) -> list[dict]:
    rounds = rows_from_editor(frame, EVENT_COLUMNS)
    for index, row in enumerate(rounds):
        text = row.pop("investors", "")
        if row.get("kind") == "priced" and str(text).strip():
            row["investors"] = parse_investors(text, f"rounds[{index}].investors")
    return rounds
