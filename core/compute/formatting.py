"""Compact numbers for headline figures, so a metric fits its card: $2.28M, 126.7k GPU-hours, 3.4 h, 45 min."""

from __future__ import annotations

import math

SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def compact(value: float | None, digits: int = 3) -> str:
    """1234567 → '1.23M'; 950 → '950'; 0.0123 → '0.0123'."""
    if value is None or not math.isfinite(value):
        return "–"
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, suffix in SUFFIXES:
        if value >= size * 0.9995:
            return f"{sign}{value / size:.{digits}g}{suffix}"
    if value >= 1:
        return f"{sign}{value:.{digits}g}"
    return f"{sign}{value:.{digits}g}" if value else "0"


def money(value: float | None, digits: int = 3) -> str:
    """$2.28M, $950, $12.3, $0.38; 'no price' when there is none."""
    if value is None:
        return "no price"
    if not math.isfinite(value):
        return "–"
    if abs(value) >= 1000:
        return f"${compact(value, digits)}"
    if abs(value) >= 100:
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def money_range(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "no price"
    return f"{money(low)}–{money(high)}"


def duration(hours: float | None) -> str:
    """A wall-clock time in the unit that keeps it readable: never '0.0 days'."""
    if hours is None or not math.isfinite(hours):
        return "–"
    minutes = hours * 60
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    days = hours / 24
    if days < 120:
        return f"{days:.1f} days"
    if days < 730:
        return f"{days / 30.44:.1f} months"
    return f"{days / 365.25:.1f} years"


def duration_range(low_hours: float | None, high_hours: float | None) -> str:
    return f"{duration(low_hours)} – {duration(high_hours)}"


def milliseconds(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def gigabytes(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 1000:
        return f"{value / 1000:.3g} TB"
    return f"{value:.3g} GB"
