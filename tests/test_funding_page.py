"""The Funding page driven with Streamlit AppTest: the headline, what is loaded, imports into a chosen scenario,
validation, saving, one money format, and the comparison without the 600-month edge."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.funding import store as store
from db.engine import session_scope
from db.models import SavedEstimate
from pages.ui.funding.format import md, money
from pages.ui.funding.tables import events_frame, events_from_editor, parse_investors
from tests import apptest

YC = "Example: YC post-money SAFE guide, example 1"


def open_page(**query) -> AppTest:
    return apptest.open_page("pages/funding.py", **query)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def number_input(at: AppTest, label: str):
    return next(n for n in at.number_input if n.label == label)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def load(at: AppTest, source: str) -> AppTest:
    at.selectbox(key="funding_source").set_value(source).run()
    return button(at, "Load").click().run()


def test_page_renders_the_headline_and_every_tab():
    at = open_page()
    assert not at.exception and not at.error
    assert at.title[0].value == "Funding"
    headline = (at.warning or at.success)[0].value
    assert (
        "on cash in hand" in headline
        and "if every raise closes on time" in headline
        and "chance of surviving" in headline
    )
    assert metric(at, "Runway on cash in hand").endswith("months")
    assert metric(at, "Runway if every raise closes") == "600+ months"
    assert metric(at, "Lowest cash") == "$405k"  # the one money format (core.formatting): $518, $3.4k, $1.2M
    assert "%" in metric(at, "P(out of cash before month)")
    assert len(at.get("plotly_chart")) >= 6
    assert [t.label for t in at.tabs] == ["Plan", "Cap table & exits", "Risk", "Four advantages", "Saved scenarios"]
    assert any("What is random" in m.value for m in at.markdown)


def test_start_from_shows_what_is_loaded_and_editing_changes_the_runway():
    at = open_page()
    assert at.selectbox(key="funding_source").value == "Example: Seed VC"
    load(at, YC)
    assert at.selectbox(key="funding_source").value == YC
    assert metric(at, "Runway if every raise closes") == "72.0 months"
    number_input(at, "Starting cash ($)").set_value(2_200_000.0)
    button(at, "Apply").click().run()
    assert not at.exception and not at.error
    assert metric(at, "Runway if every raise closes") == "82.0 months"
    assert at.selectbox(key="funding_source").value == "Draft: YC post-money SAFE guide, example 1 (edited)"


def test_cap_table_shows_each_safe_at_its_conversion_price_with_human_columns():
    at = load(open_page(), YC)
    events = next(d.value for d in at.dataframe if "Price is" in d.value.columns)
    safe_a = events[events["Event"] == "SAFE A"].iloc[0]
    assert (safe_a["Price per share"], safe_a["Price is"]) == ("$0.34", "converts in Series A")
    assert events[events["Event"] == "Series A"].iloc[0]["Post-money"] == "$20M"
    monthly = next(d.value for d in at.dataframe if "Cash at month end" in d.value.columns)
    assert monthly["Cash at month end"].iloc[11] == "$1M" and "cash" not in monthly.columns


def test_bad_input_names_the_field_and_changes_nothing():
    at = open_page()
    before = metric(at, "Runway on cash in hand")
    next(t for t in at.text_input if t.label == "Month 0 (YYYY-MM)").set_value("2025-13")
    button(at, "Apply").click().run()
    assert any("start_month" in apptest.plain(e.value) for e in at.error)
    assert metric(at, "Runway on cash in hand") == before
    assert at.session_state["funding_draft"]["start_month"] == "2025-01"


def test_a_costs_link_goes_into_the_scenario_the_user_chooses():
    at = open_page(training_cost_usd="120000", training_months="2", serving_monthly_usd="5000", scenario="7B run")
    assert not at.exception
    assert at.session_state["funding_draft"]["name"] == "Seed VC"  # nothing changes before the user chooses
    at.selectbox(key="funding_import_target").set_value(YC)
    button(at, "Import").click().run()
    assert not at.exception and not at.error
    assert at.session_state["funding_draft"]["name"] == "YC post-money SAFE guide, example 1 · 7B run"
    assert any("7B run" in apptest.plain(i.value) for i in at.info)
    assert number_input(at, "Training run ($)").value == 120_000
    assert number_input(at, "Training months").value == 2
    assert number_input(at, "Serving $/month").value == 5_000
    assert at.selectbox(key="funding_source").value.startswith("Draft: YC post-money SAFE guide")
    assert not [b for b in at.button if b.label == "Import"]


def test_a_saved_gpu_budget_goes_into_the_current_draft_or_reports_a_missing_one():
    with session_scope() as session:
        session.add(
            SavedEstimate(
                name="Llama-ish 8B",
                outputs={"training_cost_usd": 310_000, "training_wall_days": 20, "serving_monthly_cost_usd": None},
            )
        )
    at = open_page(estimate="Llama-ish 8B")
    assert at.selectbox(key="funding_import_target").value == "Current draft: Seed VC"
    button(at, "Import").click().run()
    assert number_input(at, "Training run ($)").value == 310_000
    assert number_input(at, "Training months").value == 1
    assert number_input(at, "Training starts").value == 4  # the draft's own training month is kept
    missing = open_page(estimate="nope")
    assert any("estimate" in apptest.plain(e.value) for e in missing.error)


def test_save_rename_and_delete_from_the_page():
    at = open_page()
    next(t for t in at.text_input if t.label == "Save the current draft as").set_value("My plan")
    button(at, "Save").click().run()
    assert not at.exception
    assert store.scenario_names() == ["My plan"]
    next(t for t in at.text_input if t.label == "Save the current draft as").set_value("My plan")
    button(at, "Save").click().run()  # again, as after Enter in the name box: no "already exists"
    assert not at.error and any("saved as it is" in s.value for s in at.success)
    at.text_input(key="funding_new_name").set_value("Renamed plan")
    button(at, "Rename").click().run()
    assert store.scenario_names() == ["Renamed plan"]
    button(at, "Duplicate").click().run()
    # the new-name box still says "Renamed plan"
    assert any("already exists" in apptest.plain(e.value) for e in at.error)
    at.text_input(key="funding_new_name").set_value("")
    button(at, "Duplicate").click().run()
    assert store.scenario_names() == ["Renamed plan", "Renamed plan (copy)"]
    button(at, "Delete").click().run()
    assert len(store.scenario_names()) == 1


@pytest.mark.parametrize("count", [2, 4])
def test_comparison_of_two_to_four_scenarios_never_shows_600_months(count):
    at = open_page()
    options = at.multiselect(key="funding_compare").options
    at.multiselect(key="funding_compare").set_value(options[:count]).run()
    assert not at.exception and not at.error
    table = at.dataframe[-1].value
    assert len(table.columns) == count
    assert "Survival points bought per point of dilution" in table.index
    runways = table.loc["Runway if every raise closes"].tolist()
    assert "never runs out" in runways and not any("600" in r for r in runways)
    assert all(v.startswith("$") for v in table.loc["Expected founder payout (Monte Carlo)"])


def test_event_editor_round_trips_investors_and_flags():
    rounds = [
        {"kind": "safe", "name": "Angel", "amount": 5e5, "post_money_cap": 5e6, "mfn": True},
        {
            "kind": "priced",
            "pre_money": 8e6,
            "investors": [{"name": "Lead", "amount": 2e6}, {"name": "B", "amount": 5e5}],
        },
    ]
    frame = events_frame(rounds)
    assert frame.loc[1, "investors"] == "Lead: 2e+06; B: 500000"
    back = events_from_editor(frame)
    assert back[0]["mfn"] is True and "investors" not in back[0]
    assert back[1]["investors"] == rounds[1]["investors"] and back[1]["participating"] is False
    assert parse_investors("Lead Fund: $1,500,000", "x") == [{"name": "Lead Fund", "amount": 1.5e6}]
    with pytest.raises(ValueError, match=r"rounds\[0\]\.investors"):
        events_from_editor(pd.DataFrame([{"kind": "priced", "investors": "Lead 2M"}]).reindex(columns=frame.columns))


def test_money_and_markdown_formats():
    assert [money(v) for v in (518, 3_400, 1_200_000, -25_000, 2.5e9, None)] == [
        "$518",
        "$3.4k",
        "$1.2M",
        "-$25k",
        "$2.5B",
        "n/a",
    ]
    assert md("Seed *1* [x](y) $5") == "Seed \\*1\\* \\[x\\]\\(y\\) \\$5"
