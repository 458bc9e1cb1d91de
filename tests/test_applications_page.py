"""AppTest of the Applications page: filters, weights, detail, comparison, editing, import, and the links out."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.applications.catalog import get_scenario, list_scenarios
from db.seed import app_scenario_seed_rows
from tests.apptest import open_page, plain
from tests.test_catalog import valid

SEED_COUNT = len(app_scenario_seed_rows())


def page() -> AppTest:
    at = open_page("pages/applications.py")
    assert not at.exception, at.exception
    return at


def catalog_table(at):
    return at.dataframe[0].value


def save_button(at, form_key: str):
    return next(b for b in at.button if b.label == "Save" and b.proto.form_id == f"form_{form_key}")


def test_page_lists_every_scenario_best_first_and_filters():
    at = page()
    assert at.title[0].value == "Applications"
    table = catalog_table(at)
    assert len(table) == SEED_COUNT
    assert list(table["feasibility_score"]) == sorted(table["feasibility_score"], reverse=True)
    assert at.markdown[0].value.startswith(f"**{SEED_COUNT} of {SEED_COUNT} scenarios**")
    assert "Weights: Data availability 1 (25%)" in at.markdown[0].value
    assert len([b for b in at.button if b.label == "Estimate compute"]) == SEED_COUNT + 1  # every card + detail

    at.multiselect(key="app_sectors").set_value(["Finance"]).run()
    assert set(catalog_table(at)["name"]) == {
        "Credit scoring and underwriting",
        "Financial risk control and fraud detection",
    }
    at.multiselect(key="app_sectors").set_value([]).run()
    at.text_input(key="app_search").input("HIPAA").run()
    assert all("HIPAA" in row for row in catalog_table(at)["regulations"])
    at.multiselect(key="app_risks").set_value(["low"]).run()
    assert not at.exception
    assert any("No scenario matches" in info.value for info in at.info)


def test_weights_change_the_scores_and_are_shown():
    at = page()
    before = catalog_table(at).set_index("name")["feasibility_score"]
    for name in ("data_availability", "compute_cost", "market_maturity"):
        at.slider(key=f"weight_{name}").set_value(0.0)
    at.run()
    after = catalog_table(at).set_index("name")["feasibility_score"]
    assert "Regulatory headroom 1 (100%)" in at.markdown[0].value
    assert after["Credit scoring and underwriting"] == 0 < before["Credit scoring and underwriting"]
    assert after["Coding assistants"] == 100 > before["Coding assistants"]
    at.slider(key="weight_regulatory_risk").set_value(0.0).run()
    assert any("at least one weight" in warning.value for warning in at.warning)
    assert catalog_table(at).set_index("name")["feasibility_score"].equals(before)


def test_detail_shows_the_score_breakdown_and_the_compute_budget():
    at = page()
    at.selectbox(key="app_detail_name").set_value("Credit scoring and underwriting").run()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Feasibility"] == "38 / 100"  # worked example in test_catalog
    assert metrics["Typical model size"] == "8B params"
    assert metrics["Training compute"].startswith("$") and metrics["Serving"].endswith("/month")
    breakdown = next(df.value for df in at.dataframe if "contribution" in df.value.columns)
    assert breakdown["contribution"].sum() == pytest.approx(38.11, abs=0.01)


def test_card_details_button_opens_the_detail_tab():
    at = page()
    at.button(key=f"details_{get_scenario('Drug discovery')['id']}").click().run()
    assert at.selectbox(key="app_detail_name").value == "Drug discovery"
    assert at.session_state["app_tab"] == "Scenario detail"


def test_compare_puts_scenarios_side_by_side():
    at = page()
    picked = ["Speech recognition", "Credit scoring and underwriting", "Coding assistants"]
    at.multiselect(key="app_compare").set_value(picked).run()
    table = next(df.value for df in at.dataframe if list(df.value.columns) == picked)
    assert table.loc["Regulatory risk"].tolist() == ["medium", "high", "low"]  # rows carry human labels
    assert "Training cost" in table.index and "training_cost_usd" not in table.index
    at.multiselect(key="app_compare").set_value(picked[:1]).run()
    assert any("two to four" in info.value for info in at.info)


def test_adding_a_scenario_validates_and_saves():
    at = page()
    at.radio(key="app_mode").set_value("Add a scenario").run()
    for field in ("name", "sector", "typical_model"):
        at.text_input(key=f"add_{field}").input(valid()[field])
    for field in ("description", "data_needs", "compute_profile"):
        at.text_area(key=f"add_{field}").input(valid()[field])
    for field in ("tasks", "regulations", "example_products", "key_risks"):
        at.text_area(key=f"add_{field}").input("\n".join(valid()[field]))
    at.text_input(key="add_typical_params").input("-8B")
    save_button(at, "add").click().run()
    assert [plain(e.value) for e in at.error] == [
        "Nothing was saved. typical_params: must be a positive number such as 7e9 or 7B, got '-8B'"
    ]
    assert len(list_scenarios()) == SEED_COUNT
    at.text_input(key="add_typical_params").input("8B")
    save_button(at, "add").click().run()
    assert not at.error and plain(at.success[0].value) == "Added 'Contract copilot'."
    assert get_scenario("Contract copilot")["typical_params"] == 8e9
    assert len(catalog_table(at)) == SEED_COUNT + 1


def test_editing_deleting_and_restoring():
    at = page()
    at.radio(key="app_mode").set_value("Edit a scenario").run()
    at.selectbox(key="app_edit_target").set_value("Speech recognition").run()
    key = f"edit_{get_scenario('Speech recognition')['id']}"
    at.selectbox(key=f"{key}_maturity").set_value("growing")
    save_button(at, key).click().run()
    assert plain(at.success[0].value) == "Saved 'Speech recognition'."
    assert get_scenario("Speech recognition")["maturity"] == "growing"

    at.radio(key="app_mode").set_value("Delete a scenario").run()
    at.selectbox(key="app_delete_target").set_value("Drug discovery").run()
    assert at.button(key="app_delete").disabled
    at.checkbox(key="app_delete_sure").check().run()
    at.button(key="app_delete").click().run()
    assert get_scenario("Drug discovery") is None and len(catalog_table(at)) == SEED_COUNT - 1

    at.button(key="app_restore").click().run()
    assert plain(at.success[0].value) == f"Restored {SEED_COUNT} seeded scenarios."
    assert get_scenario("Drug discovery") is not None
    assert get_scenario("Speech recognition")["maturity"] == "mainstream"


def test_import_of_a_bad_file_changes_nothing_and_names_the_row():
    at = page()
    rows = [valid(name="Fine"), valid(name="Bad", regulatory_risk="extreme")]
    at.file_uploader(key="app_upload").set_value(("mine.json", json.dumps(rows).encode(), "application/json")).run()
    at.button(key="app_import").click().run()
    assert plain(at.error[0].value).startswith("Nothing was imported. row 2 'Bad': regulatory_risk: must be one of")
    assert len(list_scenarios()) == SEED_COUNT

    at.file_uploader(key="app_upload").set_value(("mine.json", json.dumps(rows[:1]).encode(), "application/json"))
    at.run()
    at.button(key="app_import").click().run()
    assert plain(at.success[0].value) == "Imported mine.json: 1 added, 0 replaced."
    assert get_scenario("Fine") is not None


@pytest.mark.parametrize(
    ("button", "title"),
    [("gpu_detail", "GPU Budget"), ("fund_detail", "Funding")],
)
def test_links_open_the_pre_filled_pages(button, title):
    at = page()
    at.selectbox(key="app_detail_name").set_value("Coding assistants").run()
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == title
    params = dict(at.query_params)
    assert params["scenario"] == "Coding assistants"
    if button == "gpu_detail":
        assert float(params["params"]) == 1.5e10 and float(params["tokens"]) == 5e10
    else:
        assert float(params["training_cost_usd"]) > 0 and float(params["serving_monthly_usd"]) > 0
    assert not at.error, [e.value for e in at.error]
