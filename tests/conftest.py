"""Every test gets its own data home and database, so nothing touches ./data or another test's rows.

Storage tests take the `database_url` fixture and run twice: on the SQLite file in the data home and on a fresh
schema in the PostgreSQL server named by MODELRUNWAY_TEST_POSTGRES_URL (`.ci/run` starts one; `.ci/postgres`
starts one by hand). Without that server the PostgreSQL cases are skipped with the reason; under CI they fail."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
POSTGRES_URL_ENV = "MODELRUNWAY_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    from db.engine import reset_cache

    home = tmp_path / "home"
    monkeypatch.setenv("MODELRUNWAY_HOME", str(home))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))  # no user's Keras cache leaks into a test
    reset_cache()
    yield home
    reset_cache()


@pytest.fixture
def session(data_home):
    from db.engine import session_scope

    with session_scope() as session:
        yield session


@pytest.fixture(params=BACKENDS)
def database_url(request, data_home, monkeypatch):
    """The URL of an empty database this test owns, the one every store and CLI in this process now uses.
    Subprocesses started with `database_env()` in their environment use it too."""
    from db.engine import reset_cache

    if request.param == "sqlite":
        yield f"sqlite:///{data_home / 'modelrunway.db'}"  # the default: no DATABASE_URL, the data home's file
        return
    with postgres_schema() as url:
        monkeypatch.setenv("DATABASE_URL", url)
        reset_cache()
        yield url
        reset_cache()


def database_env() -> dict[str, str]:
    """What a subprocess's environment needs, beyond MODELRUNWAY_HOME, to use this test's database."""
    url = os.environ.get("DATABASE_URL")
    return {"DATABASE_URL": url} if url else {}


def postgres_server_url() -> str:
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        reason = f"no PostgreSQL server: set {POSTGRES_URL_ENV} (.ci/run and .ci/postgres start one)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return server


class postgres_schema:
    """A fresh schema on the test server, first on the search path of the URL it gives; dropped afterwards."""

    def __init__(self):
        from sqlalchemy.engine import make_url

        self.server = make_url(postgres_server_url())
        self.name = f"test_{uuid.uuid4().hex[:16]}"

    def _admin(self, statement: str) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        engine = create_engine(self.server, poolclass=NullPool)
        try:
            with engine.begin() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def __enter__(self) -> str:
        self._admin(f"CREATE SCHEMA {self.name}")
        url = self.server.update_query_dict({"options": f"-csearch_path={self.name}"})
        return url.render_as_string(hide_password=False)

    def __exit__(self, *_exc) -> None:
        self._admin(f"DROP SCHEMA {self.name} CASCADE")
