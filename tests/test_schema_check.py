"""The stdlib check that lets a start skip Alembic: it says "current" only when Alembic and the seeds agree."""

import sqlite3
import subprocess
import sys

from alembic.config import Config
from alembic.script import ScriptDirectory

from core.config import database_url
from db.engine import MIGRATIONS_DIR, init_db, reset_cache
from db.schema import database_is_current, head_revisions, seed_keys
from db.seed import SEED_SETS
from tests.conftest import PROJECT_ROOT


def test_heads_and_seed_keys_read_from_the_files_match_alembic_and_seed_sets():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revisions() == set(ScriptDirectory.from_config(config).get_heads())
    assert seed_keys() == {f"seed:{name}" for name in SEED_SETS}


def test_only_a_migrated_and_seeded_sqlite_file_is_current(data_home, tmp_path):
    url = database_url()
    assert not database_is_current(url)  # no file yet
    assert not (data_home / "modelrunway.db").exists()  # and the check did not create one
    init_db()
    assert database_is_current(url)
    assert not database_is_current("sqlite://")
    assert not database_is_current("sqlite:///:memory:")
    assert not database_is_current("postgresql+psycopg://user@localhost/modelrunway")
    (tmp_path / "other.db").write_bytes(b"")
    assert not database_is_current(f"sqlite:///{tmp_path / 'other.db'}")  # no tables


def test_an_older_revision_or_a_missing_seed_set_sends_init_db_to_do_the_work(data_home):
    init_db()
    db_file = data_home / "modelrunway.db"
    with sqlite3.connect(db_file) as raw:
        raw.execute("DELETE FROM app_meta WHERE key = 'seed:hardware_v1'")
        raw.execute("DELETE FROM hardware WHERE name = 'H100 SXM'")
    assert not database_is_current(database_url())
    reset_cache()  # a fresh process
    init_db()
    assert database_is_current(database_url())
    with sqlite3.connect(db_file) as raw:
        assert raw.execute("SELECT count(*) FROM hardware WHERE name = 'H100 SXM'").fetchone() == (1,)
        raw.execute("UPDATE alembic_version SET version_num = '0001'")
    assert not database_is_current(database_url())


def test_a_start_on_a_current_database_imports_no_alembic(data_home):
    init_db()
    script = "import sys\nfrom db.engine import init_db\ninit_db()\nprint('alembic' in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "MODELRUNWAY_HOME": str(data_home)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "False"
