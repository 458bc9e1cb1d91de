"""Links from strangers: absurd numbers in a page's query parameters get an error box naming the field, never a
traceback, and change nothing."""

import pytest

from tests.apptest import open_page, plain


@pytest.mark.parametrize(
    "query, field",
    [
        ({"params": "1e200"}, "params"),
        ({"params": "nan"}, "params"),
        ({"tokens": "1e308"}, "tokens"),
        ({"active_params": "-5"}, "active_params"),
    ],
)
def test_gpu_budget_links(query, field):
    at = open_page("pages/gpu_budget.py", timeout=120, **query)
    assert not at.exception
    assert any(plain(error.value).startswith(field) for error in at.error), [e.value for e in at.error]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"training_cost_usd": "1e308", "training_months": "2"}, "training_cost_usd"),
        ({"training_cost_usd": "1000", "training_months": "1e308"}, "estimate.outputs"),
        ({"training_cost_usd": "1000", "serving_monthly_usd": "nan"}, "estimate.outputs"),
        ({"estimate": "no such estimate"}, "estimate"),
    ],
)
def test_funding_links(query, field):
    at = open_page("pages/funding.py", timeout=180, **query)
    assert not at.exception
    messages = [plain(error.value) for error in at.error]
    assert any(field in message for message in messages), messages
