"""Copy every table of one ModelRunway database into an empty one (a founder's SQLite file onto the team's
PostgreSQL server). The target is migrated and filled in one transaction, so a failed copy leaves it empty."""

from __future__ import annotations

from sqlalchemy import JSON, Connection, Table, bindparam, func, inspect, select, text

from db.engine import get_engine, init_db, schema_transaction, upgrade
from db.models import Base

BATCH_ROWS = 1_000


class CopyError(ValueError):
    """The copy cannot start or did not match; the message is one line for the user."""


def _count(connection: Connection, table: Table) -> int:
    return connection.scalar(select(func.count()).select_from(table))


def _insert(table: Table):
    """An INSERT of every column; an optional JSON column without a value gets SQL NULL, not the JSON text null."""
    optional_json = {
        column.name: bindparam(column.name, type_=JSON(none_as_null=True))
        for column in table.columns
        if isinstance(column.type, JSON) and column.nullable
    }
    return table.insert().values(optional_json) if optional_json else table.insert()


def _copy_table(source: Connection, target: Connection, table: Table) -> None:
    ordered = select(table).order_by(*table.primary_key.columns)
    insert = _insert(table)
    batch: list[dict] = []
    for row in source.execute(ordered).mappings():
        batch.append(dict(row))
        if len(batch) == BATCH_ROWS:
            target.execute(insert, batch)
            batch = []
    if batch:
        target.execute(insert, batch)


def _restart_sequences(target: Connection, table: Table) -> None:
    """Rows came with their ids, so PostgreSQL's sequence must start after the largest one or the next insert
    collides. SQLite picks max(id) + 1 by itself."""
    if target.dialect.name != "postgresql":
        return
    for column in table.primary_key.columns:
        sequence = target.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                 {"table": table.name, "column": column.name})  # fmt: skip
        if sequence is None:
            continue
        largest = target.scalar(select(func.max(column)))
        target.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": largest or 1, "called": largest is not None},
        )


def copy_database(source_url: str, target_url: str) -> dict[str, int]:
    """Copy all rows from source into the empty target, parents before children; returns rows per table, each
    verified by counting both sides before the target commits."""
    if source_url == target_url:
        raise CopyError("the target is the database being copied")
    source_engine = init_db(source_url)
    target_engine = get_engine(target_url)
    counts: dict[str, int] = {}
    with source_engine.connect() as source, schema_transaction(target_engine) as target:
        existing = inspect(target).get_table_names()
        if existing:
            raise CopyError(
                f"the target database is not empty ({len(existing)} tables, e.g. {sorted(existing)[0]}); "
                "copy only into an empty database"
            )
        upgrade(target)
        for table in Base.metadata.sorted_tables:
            _copy_table(source, target, table)
            _restart_sequences(target, table)
        for table in Base.metadata.sorted_tables:
            expected, copied = _count(source, table), _count(target, table)
            if copied != expected:
                raise CopyError(f"{table.name}: {expected} rows in the source but {copied} copied; nothing was kept")
            counts[table.name] = copied
    return counts
