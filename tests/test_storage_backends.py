"""What must hold on SQLite and on PostgreSQL alike: every column keeps its edge values, moments come back in UTC
with their zone, a Keras seed fits, and the migrations go down and up again."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import inspect, select

from db.engine import get_engine, init_db, parse_url, session_scope
from db.models import Base, TrainingRun
from tests.storage_rows import MOMENT, insert_sample_rows, read_row

pytestmark = pytest.mark.usefixtures("database_url")


def test_every_column_of_every_table_keeps_its_edge_values():
    engine = init_db()
    with engine.begin() as connection:
        written = insert_sample_rows(connection)
    assert set(written) == set(Base.metadata.tables)
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            stored = read_row(connection, table, written[table.name])
            for name, value in written[table.name].items():
                if hasattr(value, "tzinfo"):
                    assert stored[name] == MOMENT and stored[name].tzinfo == UTC, f"{table.name}.{name}"
                else:
                    assert stored[name] == value, f"{table.name}.{name}"


def test_moments_come_back_aware_in_utc():
    from core.funding import store

    store.create_scenario("Seed", {"cash": 1})
    with session_scope() as session:
        session.add(TrainingRun(status="running", epochs=1, batch_size=32, seed=0, started_at=MOMENT))
    (saved,) = store.list_scenarios()
    assert saved["updated_at"].tzinfo == UTC
    with session_scope() as session:
        run = session.scalar(select(TrainingRun))
        assert run.started_at == MOMENT and run.started_at.utcoffset().total_seconds() == 0
        assert run.started_at.isoformat() == "2026-03-28T20:00:15.123456+00:00"


def test_a_run_keeps_any_seed_keras_accepts_and_large_counts():
    with session_scope() as session:
        session.add(TrainingRun(status="succeeded", epochs=1, batch_size=32, seed=2**32 - 1, params=70 * 10**9,
                                flops_per_sample=6 * 70 * 10**9))  # fmt: skip
    with session_scope() as session:
        run = session.scalar(select(TrainingRun))
        assert (run.seed, run.params, run.flops_per_sample) == (2**32 - 1, 70 * 10**9, 420 * 10**9)


def test_migrations_go_down_to_nothing_and_up_again():
    from alembic import command
    from alembic.config import Config

    from db.engine import MIGRATIONS_DIR, upgrade

    engine = init_db()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    with engine.begin() as connection:
        upgrade(connection)
    assert set(inspect(get_engine()).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # no database involved
def test_bare_postgresql_urls_go_through_psycopg():
    assert parse_url("postgresql://team:pw@db.internal/runway").drivername == "postgresql+psycopg"
    assert parse_url("postgres://team@localhost:5433/runway").drivername == "postgresql+psycopg"
    assert parse_url("postgresql+psycopg://team@localhost/runway").drivername == "postgresql+psycopg"
    assert parse_url("sqlite:////tmp/x.db").drivername == "sqlite"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL alters tables in place
def test_a_migration_that_rebuilds_a_parent_table_keeps_its_children():
    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from db.engine import schema_transaction
    from db.models import EpochMetric

    with session_scope() as session:
        run = TrainingRun(status="succeeded", epochs=1, batch_size=32, seed=0)
        run.epochs_history = [EpochMetric(epoch=1, loss=0.5, accuracy=0.9)]
        session.add(run)
    with schema_transaction(get_engine()) as connection:
        operations = Operations(MigrationContext.configure(connection))
        with operations.batch_alter_table("training_runs", recreate="always") as batch:
            batch.add_column(sa.Column("scratch", sa.Integer()))
    with session_scope() as session:
        assert [metric.loss for metric in session.scalar(select(TrainingRun)).epochs_history] == [0.5]
    with get_engine().connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
