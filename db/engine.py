"""Engine and sessions. SQLite gets WAL, a busy timeout and foreign keys; migrations run on first use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core.config import database_url
from db.schema import database_is_current

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000

_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_lock = threading.RLock()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url)
            if parsed.get_backend_name() == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            _engines[url] = engine
        return engine


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest Alembic revision; stored rows are kept."""
    from alembic import command
    from alembic.config import Config

    engine = get_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def init_db(url: str | None = None) -> Engine:
    """Migrate and seed once per process and database; every entry point calls this before touching data."""
    url = url or database_url()
    engine = get_engine(url)
    if url not in _ready:
        with _lock:
            if url not in _ready:
                # One stdlib query answers the common start (schema at head, seeds applied) without Alembic.
                if not database_is_current(url):
                    from db.seed import seed_all

                    migrate(url)
                    with Session(engine) as session, session.begin():
                        seed_all(session)
                _ready.add(url)
    return engine


def reset_cache() -> None:
    """Forget engines and readiness, so tests can point DATABASE_URL somewhere new."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _ready.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A migrated, seeded session that commits on success and rolls back on any error."""
    engine = init_db(url)
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        with session.begin():
            yield session
