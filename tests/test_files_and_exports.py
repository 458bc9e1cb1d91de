"""Files in and out: the app's own CSV exports re-import (long fields, formula-like cells) and cannot run as
spreadsheet formulas; foreign encodings and deep JSON are refused with a message naming the file."""

import csv
import io
import json

import pytest

from core.applications import catalog
from core.compute import store
from core.funding import store as funding_store
from core.funding.analysis import example_scenario
from core.funding.model import ScenarioError, scenario_from_json, scenario_to_dict
from core.text import defuse_csv_cell, undefuse_csv_cell


def seeded():
    return catalog.seeded_scenarios()[0].to_dict()


def test_defused_cells_read_back_exactly():
    for value in ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "plain", "'plain", ""):
        defused = defuse_csv_cell(value)
        assert not str(defused).startswith(("=", "+", "-", "@", "\t", "\r"))
        assert undefuse_csv_cell(defused) == value
    assert defuse_csv_cell(-2.5) == -2.5


def test_catalog_csv_export_is_inert_and_round_trips_long_and_formula_fields():
    scenario = {**seeded(), "name": "=cmd|' /C calc'!A0", "description": "-" + "long " * 40_000,
                "tasks": ["@risk", "plain"]}  # fmt: skip
    exported = catalog.export_csv([scenario])
    [back] = catalog.parse_import(exported, "csv")  # beyond the csv module's default 128 KiB a field
    assert back.to_dict() == catalog.Scenario.from_mapping(scenario).to_dict()
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["name"].startswith("'=") and row["description"].startswith("'-") and row["tasks"].startswith("'@")
    assert len(row["description"]) > 128 * 1024


def test_saved_estimates_csv_is_inert():
    from core.compute.estimate import estimate_training, example_training_inputs

    inputs = example_training_inputs()
    store.save_estimate("=1+1", inputs.as_dict(), estimate_training(inputs))
    row = next(csv.DictReader(io.StringIO(store.export_csv(store.list_estimates()))))
    assert row["name"] == "'=1+1" and float(row["training_cost_usd"]) > 0


def test_catalog_import_refuses_foreign_encodings_deep_json_and_broken_csv():
    with pytest.raises(catalog.ScenarioError, match="^file: not UTF-8"):
        catalog.parse_import("name\nÉcole\n".encode("latin-1"), "csv")
    with pytest.raises(catalog.ScenarioError, match="^file: JSON nested too deeply"):
        catalog.parse_import("[" * 50_000 + "]" * 50_000, "json")
    oversized = '"' + "x" * (catalog.MAX_CSV_FIELD_BYTES + 1) + '"'
    with pytest.raises(catalog.ScenarioError, match="^file: not readable CSV .*field larger than field limit"):
        catalog.parse_import(",".join(catalog.FIELDS) + "\n" + oversized + "\n", "csv")


def test_funding_files_refuse_foreign_encodings_and_deep_json():
    text = json.dumps(scenario_to_dict(example_scenario()), ensure_ascii=False).replace("Seed VC", "École")
    with pytest.raises(ScenarioError, match="^file: not UTF-8"):
        funding_store.import_scenario_json(text.encode("latin-1"))
    assert funding_store.import_scenario_json(text.encode("utf-8")).name == "École"
    with pytest.raises(ScenarioError, match="^file: JSON nested too deeply"):
        scenario_from_json('{"costs": ' + "[" * 50_000 + "]" * 50_000 + "}")


def test_five_thousand_scenarios_import_in_one_go():
    rows = [{**seeded(), "name": f"Imported {index}"} for index in range(5000)]
    assert catalog.import_scenarios(json.dumps(rows), "json") == {"created": 5000, "updated": 0}
    rows[0]["maturity"] = "pilot"
    assert catalog.import_scenarios(json.dumps(rows[:10]), "json") == {"created": 0, "updated": 10}
    assert catalog.get_scenario("imported 0")["maturity"] == "pilot"
    assert len(catalog.list_scenarios()) == 5000 + len(catalog.seeded_scenarios())
