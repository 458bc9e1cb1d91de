"""The one compact format every headline figure goes through."""

from __future__ import annotations

import pytest

from core.formatting import compact, money, months, number, percent, seconds


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2_275_431, "$2.28M"), (97_560, "$97.6k"), (999.6, "$1k"), (999_600, "$1M"), (950, "$950"),
        (12.5, "$12.50"), (0.00123, "$0.0012"), (0, "$0"), (-40_000, "-$40k"), (3.2e9, "$3.2B"),
        (None, "n/a"), (float("inf"), "n/a"), (float("nan"), "n/a"),
    ],
)  # fmt: skip
def test_money(value, text):
    assert money(value) == text


def test_counts_percent_months_and_seconds():
    assert compact(97_560) == "97.6k" and compact(1.3e11) == "130B" and compact(2e12) == "2T"
    assert compact(0.5) == "0.5" and compact(-1_234) == "-1.23k" and compact(1e15) == "1,000T"
    assert number(126_700, "GPU-hours") == "127k GPU-hours" and number(None, "GPU-hours") == "n/a"
    assert percent(0.4213) == "42.1%" and percent(None) == "n/a"
    assert months(14.23) == "14.2 months" and months(1.0) == "1.0 month" and months(None, 600) == "600+ months"
    assert seconds(0.25) == "250 ms" and seconds(12.34) == "12.3 s" and seconds(600) == "10.0 min"
    assert seconds(3 * 86400) == "3 days"
