"""Money, percentages and months in the funding wording: core.formatting's one compact format, so the page, the CLI,
the JSON headline and the plan say "$1.2M" and "600+ months" the same way."""

from __future__ import annotations

from core import formatting
from core.formatting import money

__all__ = ["money", "months_text", "percent"]


def percent(value: float | None, decimals: int = 0) -> str:
    """Whole percentages unless asked: '28%'."""
    return formatting.percent(value, decimals)


def months_text(value: float | None, beyond: int) -> str:
    """'16.3 months', or '600+ months' when the money outlasts the horizon."""
    return formatting.months(value, beyond)
