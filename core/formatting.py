"""One compact format for money, counts, percentages and months, so a headline figure fits its card at 390 px.

$2,275,431 reads as "$2.28M", 97,560 samples/s as "97.6k", 1.3e11 tokens as "130B". Every page, the pitch pack
and the CLI text use these; none of them formats a number by hand.
"""

from __future__ import annotations

import math

SUFFIXES = ("", "k", "M", "B", "T")
MISSING = "n/a"


def _finite(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _plain(number: float, significant: int) -> str:
    """At most `significant` significant digits, never scientific notation, no trailing zeros."""
    if number == 0:
        return "0"
    whole_digits = max(1, int(math.floor(math.log10(abs(number)))) + 1)
    decimals = max(0, significant - whole_digits)
    text = f"{number:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def compact(value, significant: int = 3) -> str:
    """97560 → '97.6k', 2.275e6 → '2.28M', 0.5 → '0.5'; None, NaN and infinities → 'n/a'."""
    number = _finite(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    if magnitude < 1000:
        rounded = float(f"{magnitude:.{significant}g}")
        if rounded < 1000:
            return sign + _plain(rounded, significant)
    group = min(len(SUFFIXES) - 1, int(math.floor(math.log10(magnitude) / 3)))
    scaled = float(f"{magnitude / 1000**group:.{significant}g}")
    if scaled >= 1000 and group < len(SUFFIXES) - 1:
        group += 1
        scaled = float(f"{magnitude / 1000**group:.{significant}g}")
    return f"{sign}{_plain(scaled, significant)}{SUFFIXES[group]}"


def money(value, significant: int = 3) -> str:
    """Dollars: '$2.28M', '$950', '$12.50', '$0.0012', '-$40k'."""
    number = _finite(value)
    if number is None:
        return MISSING
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    if magnitude >= 999.5 or magnitude == 0:
        return f"{sign}${compact(magnitude, significant)}"
    if magnitude >= 100:
        return f"{sign}${magnitude:,.0f}"
    if magnitude >= 1:
        return f"{sign}${magnitude:,.2f}"
    return f"{sign}${float(f'{magnitude:.2g}'):.{max(2, 1 - int(math.floor(math.log10(magnitude))))}f}"


def number(value, unit: str = "", significant: int = 3) -> str:
    """A count with an optional unit: '126.7k GPU-hours' style, '70B params'."""
    text = compact(value, significant)
    return f"{text} {unit}" if unit and text != MISSING else text


def percent(fraction, digits: int = 1) -> str:
    """0.4213 → '42.1%'."""
    number_ = _finite(fraction)
    return MISSING if number_ is None else f"{100 * number_:.{digits}f}%"


def months(value, beyond: int | None = None) -> str:
    """14.23 → '14.2 months'; None with a horizon → '600+ months' (the money outlasts the horizon)."""
    number_ = _finite(value)
    if number_ is None:
        return f"{beyond}+ months" if beyond else MISSING
    return f"{number_:.1f} month" + ("" if round(number_, 1) == 1 else "s")


def seconds(value) -> str:
    """Wall time: '850 ms', '12.3 s', '4.2 min', '3.1 h', '12.5 days'."""
    number_ = _finite(value)
    if number_ is None:
        return MISSING
    if number_ < 1:
        return f"{number_ * 1000:.0f} ms"
    if number_ < 120:
        return f"{number_:.1f} s"
    if number_ < 7200:
        return f"{number_ / 60:.1f} min"
    if number_ < 172800:
        return f"{number_ / 3600:.1f} h"
    return f"{compact(number_ / 86400)} days"


def money_range(low, high) -> str:
    """'$450k–$906k'; 'n/a' when either end is missing (no price)."""
    if _finite(low) is None or _finite(high) is None:
        return MISSING
    return f"{money(low)}–{money(high)}"


def duration(hours) -> str:
    """A wall-clock time in the unit that keeps it readable, never '0.0 days': '45 min', '3.4 h', '12.5 days'."""
    number_ = _finite(hours)
    if number_ is None:
        return MISSING
    minutes = number_ * 60
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if number_ < 48:
        return f"{number_:.1f} h"
    days = number_ / 24
    if days < 120:
        return f"{days:.1f} days"
    if days < 730:
        return f"{days / 30.44:.1f} months"
    return f"{days / 365.25:.1f} years"


def duration_range(low_hours, high_hours) -> str:
    return f"{duration(low_hours)} – {duration(high_hours)}"


def milliseconds(value) -> str:
    """'850 ms', '12.3 ms', '1.25 s'."""
    number_ = _finite(value)
    if number_ is None:
        return MISSING
    if number_ >= 1000:
        return f"{number_ / 1000:.2f} s"
    return f"{number_:.1f} ms" if number_ < 100 else f"{number_:.0f} ms"


def gigabytes(value) -> str:
    """'68 GB', '1.2 TB'."""
    number_ = _finite(value)
    if number_ is None:
        return MISSING
    if number_ >= 1000:
        return f"{number_ / 1000:.3g} TB"
    return f"{number_:.3g} GB"
