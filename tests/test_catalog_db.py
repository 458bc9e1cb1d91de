"""The stored catalog: seeding once per database, CRUD, imports that change nothing when bad, restore, the CLI, and
the compute budget handed to the GPU-budget and funding pages."""

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from core.applications.catalog import (
    FIELDS,
    ScenarioError,
    compute_budget,
    create_scenario,
    delete_scenario,
    export_json,
    funding_query,
    get_scenario,
    gpu_budget_query,
    import_scenarios,
    list_scenarios,
    restore_seeded,
    update_scenario,
)
from db.engine import init_db, migrate, reset_cache, session_scope
from db.models import AppMeta, AppScenario, Hardware
from db.seed import app_scenario_seed_rows, seed_all
from tests.conftest import PROJECT_ROOT, database_env
from tests.test_catalog import valid

pytestmark = pytest.mark.usefixtures("database_url")  # each test runs on SQLite and on PostgreSQL

SEED_COUNT = len(app_scenario_seed_rows())


def count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(AppScenario))


def test_fresh_database_is_seeded_once():
    assert count() == SEED_COUNT
    with session_scope() as session:
        assert session.get(AppMeta, "seed:app_scenarios_v1") is not None
        assert seed_all(session) == []  # already applied: nothing runs again
    reset_cache()
    assert count() == SEED_COUNT
    assert all(s["is_seed"] for s in list_scenarios())


def test_user_edits_and_deletions_survive_a_restart_and_restore_brings_the_seed_back():
    update_scenario("Coding assistants", {**get_scenario("Coding assistants"), "typical_params": 7e9})
    assert delete_scenario("Drug discovery") is True
    create_scenario(valid())
    reset_cache()  # a new process: migrations and seeding run again
    assert get_scenario("coding assistants")["typical_params"] == 7e9
    assert get_scenario("Drug discovery") is None
    assert count() == SEED_COUNT
    assert restore_seeded() == SEED_COUNT
    assert get_scenario("Coding assistants")["typical_params"] == 1.5e10
    assert get_scenario("Drug discovery")["is_seed"] is True
    assert get_scenario("Contract copilot")["is_seed"] is False
    assert count() == SEED_COUNT + 1


def test_upgrading_an_older_database_adds_the_catalog_and_keeps_user_data(data_home):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from db.engine import MIGRATIONS_DIR, get_engine
    from db.seed import hardware_seed_rows

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with get_engine().begin() as connection:  # the schema and seed of the release before the catalog
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    old_columns = ("name", "vendor", "bf16_dense_tflops", "fp32_tflops", "memory_gb", "bandwidth_tbs", "tdp_w",
                   "price_per_hour_usd", "price_note", "spec_source")  # fmt: skip
    with get_engine().begin() as connection:
        for row in hardware_seed_rows():
            values = {key: row[key] for key in old_columns}
            connection.execute(
                text(f"INSERT INTO hardware ({', '.join(old_columns)}, is_seed, updated_at) "
                     f"VALUES ({', '.join(':' + key for key in old_columns)}, TRUE, CURRENT_TIMESTAMP)"),
                values,
            )  # fmt: skip
        connection.execute(text("INSERT INTO app_meta (key, value) VALUES ('seed:hardware_v1', 'applied')"))
        connection.execute(text("UPDATE hardware SET price_per_hour_usd = 9.99 WHERE name = 'H100 SXM'"))
    init_db()
    with session_scope() as session:
        h100 = session.scalar(select(Hardware).where(Hardware.name == "H100 SXM"))
        assert h100.price_per_hour_usd == 9.99  # the user's edit stays
        assert (h100.nvlink_gbs, h100.price_spot_per_hour_usd) == (900, 1.49)  # new columns filled where empty
        assert "bf16" not in session.scalar(select(Hardware).where(Hardware.name == "T4")).precisions
    assert count() == SEED_COUNT
    update_scenario("Speech recognition", {**get_scenario("Speech recognition"), "maturity": "growing"})
    migrate()  # running the upgrade again is harmless to edits
    reset_cache()
    assert get_scenario("Speech recognition")["maturity"] == "growing"


def test_crud_errors_name_the_field():
    create_scenario(valid())
    with pytest.raises(ScenarioError, match=r"^name: a scenario called 'CONTRACT COPILOT' already exists"):
        create_scenario(valid(name="CONTRACT COPILOT"))
    with pytest.raises(ScenarioError, match=r"^name: a scenario called 'Coding assistants' already exists"):
        update_scenario("Contract copilot", valid(name="Coding assistants"))
    with pytest.raises(ScenarioError, match=r"^typical_params:"):
        update_scenario("Contract copilot", valid(typical_params=0))
    with pytest.raises(ScenarioError, match=r"^name: no scenario called 'Nope'"):
        update_scenario("Nope", valid())
    assert delete_scenario("Nope") is False
    renamed = update_scenario("Contract copilot", valid(name="Contract copilot 2", regulatory_risk="high"))
    assert renamed["regulatory_risk"] == "high" and get_scenario("Contract copilot") is None


def test_a_bad_import_changes_nothing():
    before = list_scenarios()
    rows = [
        {**get_scenario("Coding assistants"), "typical_params": 3e9},  # an update
        valid(name="New one"),
        valid(name="Broken", typical_params=-5),
    ]
    with pytest.raises(ScenarioError, match=r"^row 3 'Broken': typical_params:"):
        import_scenarios(json.dumps(rows), "json")
    assert list_scenarios() == before


def test_a_good_import_adds_and_replaces_in_one_go():
    rows = [{**get_scenario("Coding assistants"), "typical_params": 3e9}, valid(name="New one")]
    assert import_scenarios(export_json(rows).encode(), "json") == {"created": 1, "updated": 1}
    assert get_scenario("Coding assistants")["typical_params"] == 3e9
    assert count() == SEED_COUNT + 1


def run_cli(*args, home):
    env = {"MODELRUNWAY_HOME": str(home), "PATH": "/usr/bin:/bin", **database_env()}
    return subprocess.run(
        [sys.executable, "-m", "core.catalog", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )


def test_cli_prints_the_seeded_catalog_as_json(tmp_path):
    result = run_cli("--json", home=tmp_path / "fresh")
    assert result.returncode == 0, result.stderr
    scenarios = json.loads(result.stdout)
    assert len(scenarios) == SEED_COUNT >= 12
    assert {"Natural language processing", "Computer vision", "Speech", "Recommendation", "Healthcare", "Finance",
            "Manufacturing", "Autonomous driving"} <= {s["sector"] for s in scenarios}  # fmt: skip
    for scenario in scenarios:
        assert list(scenario) == list(FIELDS)
        assert scenario["typical_params"] > 0
        assert all(value not in (None, "", []) for value in scenario.values()), scenario["name"]


def test_cli_filters_scores_and_refuses_bad_input(tmp_path):
    home = tmp_path / "home"
    scored = json.loads(
        run_cli(
            "--json",
            "--sector",
            "Finance",
            "--weights",
            "data_availability=0,compute_cost=0,market_maturity=0",
            home=home,
        ).stdout
    )
    assert [(s["name"], s["feasibility_score"]) for s in scored] == [
        ("Financial risk control and fraud detection", 50.0),
        ("Credit scoring and underwriting", 0.0),
    ]
    bad = run_cli("--weights", "compute_cost=-1", home=home)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0
    assert bad.stderr.startswith("error: weights.compute_cost:")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([valid(maturity="hype")]))
    result = run_cli("--import", str(broken), home=home)
    assert result.returncode == 2 and "row 1 'Contract copilot': maturity:" in result.stderr
    assert "Traceback" not in result.stderr


def test_compute_budget_uses_the_gpu_budget_estimator():
    from core.compute.estimate import TrainingInputs, estimate_serving, estimate_training, serving_inputs_for
    from core.compute.gpus import resolve_gpu

    coding = get_scenario("Coding assistants")
    budget = compute_budget(coding)
    h100 = resolve_gpu("H100 SXM")
    expected = estimate_training(TrainingInputs(params=1.5e10, tokens=5e10, gpu=h100))
    assert budget["status"] == "ok" and budget["method"].startswith("core.estimate")
    assert budget["training_cost_usd"] == pytest.approx(expected["cost_usd"])
    assert budget["training_cost_usd_low"] <= budget["training_cost_usd"] <= budget["training_cost_usd_high"]
    assert budget["training_flops"] == pytest.approx(expected["training_flops"])
    serving = estimate_serving(serving_inputs_for(1.5e10, h100))
    assert budget["serving_monthly_usd"] == pytest.approx(serving["monthly_cost_usd"])
    assert budget["training_months"] >= 1


def test_a_missing_or_unpriced_gpu_asks_to_pick_one_instead_of_guessing():
    from core.compute.gpus import delete_hardware, update_hardware

    scenario = get_scenario("Coding assistants")
    delete_hardware("H100 SXM")
    budget = compute_budget(scenario)
    assert budget["status"] == "pick_gpu" and "H100 SXM" in budget["message"]
    assert "training_cost_usd" not in budget and funding_query(scenario, budget) == {}
    update_hardware("A100 80GB SXM", price_per_hour_usd=None)
    unpriced = compute_budget(scenario, gpu="A100 80GB SXM")
    assert unpriced["status"] == "pick_gpu" and "price" in unpriced["message"]
    assert compute_budget(scenario, gpu="A100 40GB SXM")["status"] == "ok"


def test_link_parameters_follow_the_page_contracts():
    scenario = get_scenario("Machine translation")
    assert gpu_budget_query(scenario) == {
        "params": "1.3e+09",
        "tokens": "2.6e+10",
        "gpu": "H100 SXM",
        "scenario": "Machine translation",
    }
    budget = compute_budget(scenario)
    query = funding_query(scenario, budget)
    assert set(query) == {"training_cost_usd", "training_months", "serving_monthly_usd", "scenario"}
    assert float(query["training_cost_usd"]) == pytest.approx(budget["training_cost_usd"], abs=0.005)
    assert float(query["serving_monthly_usd"]) == pytest.approx(budget["serving_monthly_usd"], abs=0.005)


def test_an_estimator_bug_is_not_hidden_behind_a_budget(monkeypatch):
    import core.compute.estimate as estimate

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug in the estimator")

    monkeypatch.setattr(estimate, "estimate_training", broken)
    with pytest.raises(RuntimeError, match="a bug in the estimator"):
        compute_budget(get_scenario("Coding assistants"))
