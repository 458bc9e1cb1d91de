"""Engine and sessions. SQLite gets WAL, a busy timeout and foreign keys; migrations run on first use, one process
at a time (a file lock beside the database), so several processes starting on an empty data home all succeed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core.config import data_home, database_url
from db.schema import database_is_current

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000

_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_lock = threading.RLock()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # The timeout first: switching to WAL needs a moment of exclusive access another starting process may hold.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
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


def lock_path(url: str) -> Path:
    """The lock file beside a SQLite database; for a server database, in the data home."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(f"{parsed.database}.lock")
    return data_home() / "modelrunway.db.lock"


@contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """Held while a process migrates and seeds: another process starting at the same moment waits, then finds the
    schema current and the seed sets applied."""
    path = lock_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: SQLite's busy timeout and idempotent seeding are all there is
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def init_db(url: str | None = None) -> Engine:
    """Migrate and seed once per process and database, mark runs whose process died as interrupted; every entry
    point calls this before touching data."""
    url = url or database_url()
    engine = get_engine(url)
    if url not in _ready:
        with _lock:
            if url not in _ready:
                # One stdlib query answers the common start (schema at head, seeds applied) without Alembic.
                if not database_is_current(url):
                    with migration_lock(url):
                        if not database_is_current(url):  # another process may have done it while this one waited
                            from db.seed import seed_all

                            migrate(url)
                            with Session(engine) as session, session.begin():
                                seed_all(session)
                _sweep_stale_runs(engine)
                _ready.add(url)
    return engine


def _sweep_stale_runs(engine: Engine) -> None:
    from core.lab.runs import sweep_stale_runs

    with Session(engine) as session, session.begin():
        sweep_stale_runs(session)


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
