"""Rows for every table the models define, each column filled to its type's edge: the longest text its length
allows (in characters, some outside ASCII), the largest integer its type holds, a non-UTC moment. Tables added
later are covered without changes here; a column type this file does not know fails loudly."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import JSON, BigInteger, Boolean, Connection, DateTime, Float, Integer, SmallInteger, String, Table
from sqlalchemy import Text as SqlText

from db.models import Base

TEXT = "Zürich ⟶ 東京 🚀 naïve café "
MOMENT = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def _text(length: int, number: int) -> str:
    prefix = f"{number}:"
    return (prefix + TEXT * (length // len(TEXT) + 1))[:length]


def sample_value(column, number: int):
    kind = column.type
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, BigInteger):
        return 2**63 - 1 - number
    if isinstance(kind, SmallInteger):
        return 2**15 - 1 - number
    if isinstance(kind, Integer):
        return 2**31 - 1 - number
    if isinstance(kind, Float):
        return 1.2345678901234567e300 + number
    if isinstance(kind, String) and not isinstance(kind, SqlText) and kind.length:
        return _text(kind.length, number)
    if isinstance(kind, String):  # Text, or a String without a length
        return _text(5_000, number)
    if isinstance(kind, JSON):
        return {"nested": [1, 2.5, "ünï", None, True], "number": number}
    if isinstance(getattr(kind, "impl", kind), DateTime):
        return MOMENT + timedelta(seconds=number)
    raise AssertionError(f"{column.table.name}.{column.name}: no sample for {kind!r}; add one to tests/storage_rows.py")


def _database_assigns(column) -> bool:
    return column.primary_key and column.autoincrement in (True, "auto") and isinstance(column.type, Integer)


def insert_sample_rows(connection: Connection, number: int = 0) -> dict[str, dict]:
    """One row in every table, parents first, children pointing at them; returns what was written per table (with
    the ids the database assigned)."""
    written: dict[str, dict] = {}
    for table in Base.metadata.sorted_tables:
        values = {}
        for column in table.columns:
            if column.foreign_keys:
                target = next(iter(column.foreign_keys)).column
                values[column.name] = written[target.table.name][target.name]
            elif not _database_assigns(column):
                values[column.name] = sample_value(column, number)
        primary_key = connection.execute(table.insert().values(values)).inserted_primary_key
        written[table.name] = {**values, **primary_key._asdict()}
    return written


def read_row(connection: Connection, table: Table, values: dict) -> dict:
    key = [column == values[column.name] for column in table.primary_key.columns]
    return dict(connection.execute(table.select().where(*key)).mappings().one())
