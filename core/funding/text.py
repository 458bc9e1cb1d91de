"""Money, percentages and the one-sentence headline, worded the same on the page, in the CLI and in JSON."""

from __future__ import annotations

import math


def money(value: float | None) -> str:
    """$518, $3.4k, $1.2M, $2.5B; '-' before negative amounts; 'n/a' for None."""
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if round(value / limit, 1) >= 1:
            return f"{sign}${_one_decimal(value / limit)}{suffix}"
    return f"{sign}${value:,.0f}"


def _one_decimal(value: float) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value: float | None, decimals: int = 0) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{100 * value:.{decimals}f}%"


def months_text(value: float | None, beyond: int) -> str:
    return f"{beyond}+ months" if value is None else f"{value:.1f} months"
