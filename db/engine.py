"""Engine and sessions. SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL goes through psycopg 3 and
serializes schema changes with an advisory lock. Migrations and seeding run on first use, in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.config import database_url
from db.schema import database_is_current

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Any fixed 64-bit number; every ModelRunway process migrating the same PostgreSQL database takes this lock first.
POSTGRES_MIGRATION_LOCK = 0x4D6F64656C52756E
POSTGRES_UNIQUE_VIOLATION = "23505"

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


def parse_url(url: str) -> URL:
    """The URL SQLAlchemy should use: a bare postgresql:// or postgres:// goes through psycopg 3, the driver we pin."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def get_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = parse_url(url)
            backend = parsed.get_backend_name()
            if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            # A server can restart under a long-running app; a pooled connection is checked before it is used.
            engine = create_engine(parsed, pool_pre_ping=backend != "sqlite")
            if backend == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            _engines[url] = engine
        return engine


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """SQLite has no lock a transaction can wait on before its first write, so processes take a file beside it."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        yield
        return
    import fcntl

    with open(f"{database}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction in which this process alone changes the schema: other processes wait for it to commit."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK})
            yield connection
        return
    # A batch migration rebuilds a SQLite table by dropping it; with foreign keys on, dropping training_runs would
    # cascade-delete every run's metrics. The pragma only changes outside a transaction, so it is set before it.
    with _sqlite_file_lock(engine), engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # ends SQLAlchemy's autobegun transaction; pysqlite sent no BEGIN for the pragma
        try:
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise RuntimeError(f"migration left a row in {broken[0]} pointing at a missing {broken[2]} row")
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def upgrade(connection: Connection) -> None:
    """Bring the schema on this connection to the newest Alembic revision; stored rows are kept."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest Alembic revision; stored rows are kept."""
    with schema_transaction(get_engine(url)) as connection:
        upgrade(connection)


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
                    from db.seed import seed_all

                    # Schema and seed commit together, so a process that waited on the lock sees both or neither.
                    with schema_transaction(engine) as connection:
                        upgrade(connection)
                        with Session(bind=connection) as session:
                            seed_all(session)
                _sweep_stale_runs(engine)
                _ready.add(url)
    return engine


def _sweep_stale_runs(engine: Engine) -> None:
    from core.lab.runs import sweep_stale_runs

    with Session(engine) as session, session.begin():
        sweep_stale_runs(session)


def is_unique_violation(error: IntegrityError) -> bool:
    """Whether a failed write collided with a unique key (a name another writer saved first)."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == POSTGRES_UNIQUE_VIOLATION
    return "UNIQUE constraint failed" in str(error.orig)


def write_racing_for_a_name(write: Callable[[], T], overwrite: bool, exists: Callable[[], Exception]) -> T:
    """Run `write()`. When another writer saved the same name between its look-up and its insert, raise `exists()`,
    or, when overwriting, run it again: that row is there now, so the write replaces it."""
    try:
        return write()
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        if not overwrite:
            raise exists() from None
        return write()


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
