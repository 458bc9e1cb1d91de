"""The Funding page driven with Streamlit AppTest: renders, pre-fills from query params, validates, saves."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.funding import store as store
from db.engine import session_scope
from db.models import SavedEstimate
from tests import apptest


def open_page(**query) -> AppTest:
    return apptest.open_page("pages/funding.py", **query)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def number_input(at: AppTest, label: str):
    return next(n for n in at.number_input if n.label == label)


def test_page_renders_plan_cap_table_risk_and_comparison():
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Funding"
    assert not at.error
    assert metric(at, "Runway").endswith("months")
    assert "%" in metric(at, "P(out of cash before month)")
    assert len(at.get("plotly_chart")) >= 6
    assert [t.label for t in at.tabs] == ["Plan", "Cap table & exits", "Risk", "Four advantages", "Saved scenarios"]


def test_editing_cash_changes_the_runway():
    at = open_page()
    at.selectbox(key="funding_source").set_value("Example: YC post-money SAFE guide, example 1")
    at.button[0].click().run()
    assert metric(at, "Runway") == "72.0 months"
    number_input(at, "Starting cash ($)").set_value(2_200_000.0)
    next(b for b in at.button if b.label == "Apply").click().run()
    assert not at.exception and not at.error
    assert metric(at, "Runway") == "82.0 months"


def test_bad_input_names_the_field_and_changes_nothing():
    at = open_page()
    before = metric(at, "Runway")
    next(t for t in at.text_input if t.label == "Month 0 (YYYY-MM)").set_value("2025-13")
    next(b for b in at.button if b.label == "Apply").click().run()
    assert any("start_month" in e.value for e in at.error)
    assert metric(at, "Runway") == before
    assert at.session_state["funding_draft"]["start_month"] == "2025-01"


def test_query_params_prefill_the_compute_cost():
    at = open_page(training_cost_usd="120000", training_months="2", serving_monthly_usd="5000", scenario="7B run")
    assert not at.exception
    assert any("7B run" in i.value for i in at.info)
    assert number_input(at, "Training run ($)").value == 120_000
    assert number_input(at, "Training months").value == 2
    assert number_input(at, "Serving $/month").value == 5_000


def test_query_param_estimate_imports_a_saved_gpu_budget():
    with session_scope() as session:
        session.add(
            SavedEstimate(
                name="Llama-ish 8B",
                outputs={"training_cost_usd": 310_000, "training_wall_days": 20, "serving_monthly_cost_usd": None},
            )
        )
    at = open_page(estimate="Llama-ish 8B")
    assert not at.exception
    assert number_input(at, "Training run ($)").value == 310_000
    assert number_input(at, "Training months").value == 1
    missing = open_page(estimate="nope")
    assert any("estimate" in e.value for e in missing.error)


def test_save_rename_and_delete_from_the_page():
    at = open_page()
    next(t for t in at.text_input if t.label == "Save the current draft as").set_value("My plan")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert store.scenario_names() == ["My plan"]
    at.text_input(key="funding_new_name").set_value("Renamed plan")
    next(b for b in at.button if b.label == "Rename").click().run()
    assert store.scenario_names() == ["Renamed plan"]
    next(b for b in at.button if b.label == "Duplicate").click().run()
    assert any("already exists" in e.value for e in at.error)  # the new-name box still says "Renamed plan"
    at.text_input(key="funding_new_name").set_value("")
    next(b for b in at.button if b.label == "Duplicate").click().run()
    assert store.scenario_names() == ["Renamed plan", "Renamed plan (copy)"]
    next(b for b in at.button if b.label == "Delete").click().run()
    assert len(store.scenario_names()) == 1


@pytest.mark.parametrize("count", [2, 4])
def test_comparison_of_two_to_four_scenarios(count):
    at = open_page()
    options = at.multiselect(key="funding_compare").options
    at.multiselect(key="funding_compare").set_value(options[:count]).run()
    assert not at.exception and not at.error
    table = at.dataframe[-1].value
    assert len(table) == count
    assert {"survival_probability", "runway_months_per_dilution_point", "compute_covered_by_credits"} <= set(table)
