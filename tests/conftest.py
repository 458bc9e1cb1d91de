"""Every test gets its own data home and database, so nothing touches ./data or another test's rows."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


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
