"""Saved funding scenarios: create, rename, duplicate, delete, JSON export/import, and GPU-budget estimates."""

from __future__ import annotations

import json

import pytest

from core.funding import store as store
from core.funding.analysis import example_scenario
from core.funding.model import ScenarioError
from db.engine import session_scope
from db.models import SavedEstimate

pytestmark = pytest.mark.usefixtures("database_url")  # each test runs on SQLite and on PostgreSQL


def test_create_rename_duplicate_delete():
    store.create_scenario("Seed", example_scenario())
    assert store.scenario_names() == ["Seed"]
    with pytest.raises(ScenarioError, match="name: a scenario called 'Seed' already exists"):
        store.create_scenario("Seed", example_scenario())
    store.rename_scenario("Seed", "Seed v2")
    assert store.load_scenario("Seed v2").name == "Seed v2"
    copy = store.duplicate_scenario("Seed v2")
    assert copy == "Seed v2 (copy)"
    assert store.duplicate_scenario("Seed v2") == "Seed v2 (copy 2)"
    assert store.load_scenario(copy).rounds == store.load_scenario("Seed v2").rounds
    with pytest.raises(ScenarioError, match="already exists"):
        store.rename_scenario(copy, "Seed v2")
    store.delete_scenario(copy)
    assert store.scenario_names() == ["Seed v2", "Seed v2 (copy 2)"]
    with pytest.raises(ScenarioError, match="name: no saved scenario"):
        store.delete_scenario("missing")


def test_empty_name_is_rejected():
    with pytest.raises(ScenarioError, match="^name:"):
        store.create_scenario("   ", {"cash": 1})
    assert store.scenario_names() == []


def test_export_then_import_round_trips():
    original = store.create_scenario("Plan", example_scenario())
    text = store.export_scenario_json("Plan")
    imported = store.import_scenario_json(text, name="Plan imported")
    assert imported.model_dump(exclude={"name"}) == original.model_dump(exclude={"name"})
    assert json.loads(store.export_scenario_json("Plan imported"))["name"] == "Plan imported"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"cash": 1, "rounds": [{"kind": "priced", "amount": 1, "pre_money": -3}]}', "rounds[0].pre_money"),
        ('{"cash": "plenty"}', "cash"),
        ("{not json", "file"),
        ("[1, 2]", "scenario"),
    ],
)
def test_bad_import_names_the_field_and_changes_nothing(text, field):
    store.create_scenario("Keep", {"cash": 5})
    before = store.list_scenarios()
    with pytest.raises(ScenarioError) as excinfo:
        store.import_scenario_json(text, name="Keep", overwrite=True)
    assert str(excinfo.value).startswith(field)
    assert store.list_scenarios() == before


def test_saved_gpu_estimates_become_compute_costs():
    with session_scope() as session:
        session.add(
            SavedEstimate(
                name="7B pretrain",
                kind="training",
                inputs={"params": 7e9},
                outputs={"training_cost_usd": 250_000.0, "training_wall_days": 70, "serving_monthly_cost_usd": 9000},
            )
        )
    assert [e["name"] for e in store.list_estimates()] == ["7B pretrain"]
    compute = store.compute_from_saved_estimate("7B pretrain", start_month=2)
    assert compute.training_months == 3 and compute.training_start_month == 2
    assert compute.serving_monthly_usd == 9000 and compute.serving_from == 5
    with pytest.raises(ScenarioError, match="estimate"):
        store.compute_from_saved_estimate("nope")
