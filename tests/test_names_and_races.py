"""Names compare case- and Unicode-insensitively in every store (on SQLite and PostgreSQL); a same-name race and
eight processes starting on an empty data home end cleanly; migration 0003 keys the rows an older release stored."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from core.applications import catalog
from core.compute import gpus, store
from core.funding import store as funding_store
from core.funding.analysis import example_scenario
from core.funding.model import ScenarioError
from core.text import name_key
from db.engine import session_scope
from db.models import Hardware
from tests.conftest import PROJECT_ROOT


def test_name_key_folds_case_unicode_forms_and_spaces():
    assert name_key("ÉCOLE  AI") == name_key("école ai") == name_key("E\u0301cole AI") == "école ai"
    assert name_key("Ｈ100 SXM") == name_key("h100 sxm")
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("H100 SXM") != name_key("H100 PCIe")


def test_gpus_are_found_edited_and_refused_in_any_case(database_url):
    with pytest.raises(gpus.CatalogError, match=r"^name: 'h100 sxm' is already in the catalog"):
        gpus.add_hardware({"name": "h100 sxm", "bf16_dense_tflops": 1, "memory_gb": 1})
    gpus.add_hardware({"name": "ÉCOLE AI", "bf16_dense_tflops": 10, "memory_gb": 16})
    assert gpus.get_hardware("école ai").name == "ÉCOLE AI"
    assert gpus.update_hardware("école ai", memory_gb=32).memory_gb == 32
    with pytest.raises(gpus.CatalogError, match="already in the catalog"):
        gpus.update_hardware("école ai", name="H100 sxm")
    assert gpus.update_hardware("école ai", name="École AI").name == "École AI"  # a new spelling of its own name
    gpus.delete_hardware("ÉCOLE ai")
    assert gpus.get_hardware("École AI") is None


def _estimate():
    from core.compute.estimate import estimate_training, example_training_inputs

    inputs = example_training_inputs()
    return inputs.as_dict(), estimate_training(inputs)


def test_saved_estimates_are_one_name_in_any_case(database_url):
    inputs, result = _estimate()
    store.save_estimate("ÉCOLE AI", inputs, result)
    with pytest.raises(store.EstimateStoreError, match="exists"):
        store.save_estimate("école ai", inputs, result)
    assert store.get_estimate("école ai")["name"] == "ÉCOLE AI"
    store.save_estimate("école AI", inputs, result, overwrite=True)
    assert [e["name"] for e in store.list_estimates()] == ["école AI"]
    assert funding_store.compute_from_saved_estimate("ECOLE AI".replace("E", "É", 1)).estimate == "école AI"
    store.delete_estimate("ÉCOLE AI")
    assert store.list_estimates() == []


def test_funding_scenarios_are_found_renamed_and_deleted_in_any_case(database_url):
    scenario = example_scenario()
    funding_store.create_scenario("ÉCOLE AI", scenario)
    with pytest.raises(ScenarioError, match=r"^name: a scenario called 'école ai' already exists"):
        funding_store.create_scenario("école ai", scenario)
    assert funding_store.load_scenario("école ai").name == "ÉCOLE AI"
    assert funding_store.duplicate_scenario("école ai") == "ÉCOLE AI (copy)"
    with pytest.raises(ScenarioError, match="already exists"):
        funding_store.rename_scenario("école ai", "écOLE ai (COPY)")
    funding_store.rename_scenario("école ai", "École AI")
    funding_store.delete_scenario("ÉCOLE AI")
    assert funding_store.scenario_names() == ["ÉCOLE AI (copy)"]


def test_application_scenarios_are_one_name_in_any_case(database_url):
    seeded = catalog.list_scenarios()[0]
    record = {**seeded, "name": "ÉCOLE AI"}
    catalog.create_scenario(record)
    with pytest.raises(catalog.ScenarioError, match="already exists"):
        catalog.create_scenario({**record, "name": "école ai"})
    assert catalog.get_scenario("école ai")["name"] == "ÉCOLE AI"
    assert catalog.update_scenario("école ai", {**record, "maturity": "pilot"})["maturity"] == "pilot"
    assert catalog.delete_scenario("école ai") is True
    with pytest.raises(catalog.ScenarioError, match="appears twice"):
        catalog.parse_import(json.dumps([record, {**record, "name": "école  AI"}]), "json")


def test_a_same_name_race_answers_already_exists(database_url, monkeypatch):
    """The other process commits between this one's check and its insert: the unique key refuses the second row."""
    scenario, (inputs, result) = example_scenario(), _estimate()
    seeded = catalog.list_scenarios()[0]
    gpus.add_hardware({"name": "Race GPU", "bf16_dense_tflops": 1, "memory_gb": 1})
    store.save_estimate("Race", inputs, result)
    funding_store.create_scenario("Race", scenario)
    catalog.create_scenario({**seeded, "name": "Race"})
    monkeypatch.setattr(gpus, "_stored", lambda session, name: None)
    monkeypatch.setattr(store, "_stored", lambda session, name: None)
    monkeypatch.setattr(funding_store, "_row", lambda session, name: None)
    monkeypatch.setattr(catalog, "_find", lambda session, name: None)
    with pytest.raises(gpus.CatalogError, match="already in the catalog"):
        gpus.add_hardware({"name": "RACE gpu", "bf16_dense_tflops": 1, "memory_gb": 1})
    with pytest.raises(store.EstimateStoreError, match="exists"):
        store.save_estimate("race", inputs, result)
    with pytest.raises(ScenarioError, match="already exists"):
        funding_store.create_scenario("RACE", scenario)
    with pytest.raises(catalog.ScenarioError, match="already exists"):
        catalog.create_scenario({**seeded, "name": "race"})
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Hardware).where(Hardware.name_key == "race gpu")) == 1


def test_eight_processes_starting_on_an_empty_data_home_all_succeed(data_home):
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "db"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(8)
    ]
    results = [(process.wait(timeout=240), process.stderr.read().decode()) for process in starts]
    assert [code for code, _ in results] == [0] * 8, [err for code, err in results if code]
    with sqlite3.connect(data_home / "modelrunway.db") as raw:
        names = [row[0] for row in raw.execute("select name from hardware")]
        applied = raw.execute("select count(*) from app_meta where key like 'seed:%'").fetchone()[0]
    from db.seed import SEED_SETS, hardware_seed_rows

    assert sorted(names) == sorted(row["name"] for row in hardware_seed_rows()) and applied == len(SEED_SETS)


def test_migration_0003_keys_existing_rows_and_renames_clashes(data_home):
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from db.engine import MIGRATIONS_DIR, get_engine, init_db

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with get_engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with sqlite3.connect(data_home / "modelrunway.db") as raw:
        stamp = "'2025-01-01 00:00:00'"
        for name in ("ÉCOLE AI", "école ai", "ÉCOLE AI (2)"):
            raw.execute(
                "insert into funding_scenarios (name, payload, created_at, updated_at) "
                f"values (?, '{{}}', {stamp}, {stamp})",
                (name,),
            )
        raw.execute(
            "insert into training_runs (status, started_at, variant, framework_versions, device_count, epochs, "
            f"batch_size, seed) values ('running', {stamp}, 'fast', '{{}}', 1, 1, 32, 0)"
        )
    init_db()
    with sqlite3.connect(data_home / "modelrunway.db") as raw:
        rows = raw.execute("select name, name_key from funding_scenarios order by id").fetchall()
        assert rows == [("ÉCOLE AI", "école ai"), ("école ai (3)", "école ai (3)"), ("ÉCOLE AI (2)", "école ai (2)")]
        assert raw.execute("select status from training_runs").fetchone()[0] == "interrupted"
        head = ScriptDirectory.from_config(config).get_current_head()  # 0003 and every migration after it ran
        assert raw.execute("select version_num from alembic_version").fetchone()[0] == head
