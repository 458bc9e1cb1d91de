"""`python -m db --copy-to URL`: a founder's SQLite data home moves, every row of every table, into the team's empty
database; a target that already holds tables is refused with one line and left as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from db.engine import init_db, parse_url, reset_cache, session_scope
from db.models import Base, EpochMetric, TrainingRun
from tests.conftest import PROJECT_ROOT
from tests.storage_rows import insert_sample_rows

pytestmark = pytest.mark.usefixtures("database_url")


@pytest.fixture
def target_url(database_url, tmp_path, monkeypatch):
    """The empty database to copy into; this process's own database is the data home's SQLite file again."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    reset_cache()
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'team.db'}"
    return database_url


def fill_the_data_home() -> None:
    from core.compute.estimate import estimate_training, example_training_inputs
    from core.compute.store import save_estimate
    from core.funding import store

    engine = init_db()  # seeded GPUs and application scenarios
    with engine.begin() as connection:
        insert_sample_rows(connection, number=1)
    store.create_scenario("École AI seed", {"cash": 2_500_000})
    store.delete_scenario("École AI seed")  # a gap in the ids
    store.create_scenario("Seed round", {"cash": 1_500_000})
    inputs = example_training_inputs()
    save_estimate("7B pretrain", inputs.as_dict(), estimate_training(inputs))
    with session_scope() as session:
        run = TrainingRun(status="succeeded", epochs=2, batch_size=32, seed=7)
        run.epochs_history = [
            EpochMetric(epoch=1, loss=0.4, accuracy=0.9),
            EpochMetric(epoch=2, loss=0.2, accuracy=0.95),
        ]
        session.add(run)


def all_rows(url: str) -> dict[str, list[dict]]:
    engine = create_engine(parse_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return {
                table.name: [dict(row) for row in connection.execute(table.select().order_by(*table.primary_key))
                             .mappings()]
                for table in Base.metadata.sorted_tables
            }  # fmt: skip
    finally:
        engine.dispose()


def copy_to(url: str, data_home) -> subprocess.CompletedProcess:
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "db", "--copy-to", url, "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_row_of_every_table_arrives_and_new_rows_follow_them(target_url, data_home):
    fill_the_data_home()
    source_url = f"sqlite:///{data_home / 'modelrunway.db'}"
    before = all_rows(source_url)
    assert all(before.values()), [name for name, rows in before.items() if not rows]

    result = copy_to(target_url, data_home)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == {name: len(rows) for name, rows in before.items()}
    assert "***" in report["target"] or target_url.startswith("sqlite")
    assert all_rows(target_url) == before

    os.environ["DATABASE_URL"] = target_url  # the team server from now on (monkeypatch restores the environment)
    reset_cache()
    from core.funding import store

    store.create_scenario("Series A", {"cash": 9_000_000})
    largest_copied = max(row["id"] for row in before["funding_scenarios"])
    assert {s["name"]: s["id"] for s in store.list_scenarios()}["Series A"] > largest_copied


def test_a_target_holding_tables_is_refused_and_left_alone(target_url, data_home):
    init_db()
    init_db(target_url)  # the team server already has a (seeded) schema
    before = all_rows(target_url)
    result = copy_to(target_url, data_home)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not empty" in result.stderr and "Traceback" not in result.stderr
    assert all_rows(target_url) == before


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the source is always the home's SQLite file
def test_bad_targets_and_a_missing_home_are_one_line_errors(tmp_path, data_home):
    for url, message in (("nonsense", "not a database URL"), ("postgresql://x:y@127.0.0.1:1/none", "connect")):
        init_db()
        result = copy_to(url, data_home)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr
    result = copy_to(f"sqlite:///{tmp_path / 'team.db'}", tmp_path / "empty home")
    assert result.returncode == 2 and "no database to copy" in result.stderr
    assert not (tmp_path / "team.db").exists() and not (tmp_path / "empty home").exists()
