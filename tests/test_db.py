import pytest
from sqlalchemy import inspect, select, text

from db.engine import get_engine, init_db, reset_cache, session_scope
from db.models import Base, Hardware, TrainingRun
from db.seed import hardware_seed_rows, restore_hardware

pytestmark = pytest.mark.usefixtures("database_url")
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_migrating_an_empty_database_creates_the_schema_and_seeds(data_home, database_url):
    engine = init_db()
    assert engine.url.get_backend_name() == database_url.split("+")[0].split(":")[0]
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) | {"alembic_version"} == tables
    assert (data_home / "modelrunway.db").is_file() == database_url.startswith("sqlite")
    with engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar()
    with session_scope() as session:
        names = session.scalars(select(Hardware.name)).all()
    assert len(names) == len(hardware_seed_rows()) >= 13
    assert "H100 SXM" in names


@SQLITE_ONLY
def test_sqlite_connection_settings():
    engine = init_db()
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_seed_figures_keep_their_sources(session):
    h100 = session.scalar(select(Hardware).where(Hardware.name == "H100 SXM"))
    assert h100.bf16_dense_tflops == 989 and h100.memory_gb == 80 and h100.price_per_hour_usd == 2.69
    assert "datasheet" in h100.spec_source and h100.price_note
    tpu = session.scalar(select(Hardware).where(Hardware.name == "TPU v5e"))
    assert tpu.price_per_hour_usd is None and tpu.tdp_w is None


def test_user_data_survives_restart_and_deleted_seed_rows_stay_deleted():
    with session_scope() as session:
        session.add(TrainingRun(status="succeeded", epochs=1, batch_size=32, seed=0))
        session.delete(session.scalar(select(Hardware).where(Hardware.name == "T4")))
    reset_cache()  # a fresh process: migrations and seeding run again
    with session_scope() as session:
        assert session.scalar(select(TrainingRun)).status == "succeeded"
        assert session.scalar(select(Hardware).where(Hardware.name == "T4")) is None
        restore_hardware(session)
    with session_scope() as session:
        assert session.scalar(select(Hardware).where(Hardware.name == "T4")).price_per_hour_usd == 0.53


def test_deleting_a_run_cascades_to_its_history():
    from db.models import EpochMetric

    with session_scope() as session:
        run = TrainingRun(status="succeeded", epochs=1, batch_size=32, seed=0)
        run.epochs_history = [EpochMetric(epoch=1, loss=0.5, accuracy=0.9)]
        session.add(run)
    with session_scope() as session:
        session.delete(session.scalar(select(TrainingRun)))
    with get_engine().connect() as connection:
        assert connection.execute(text("select count(*) from epoch_metrics")).scalar() == 0


@SQLITE_ONLY
def test_database_url_overrides_the_data_home(tmp_path, monkeypatch, data_home):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    init_db()
    assert (tmp_path / "elsewhere.db").is_file()
    assert not (data_home / "modelrunway.db").exists()
