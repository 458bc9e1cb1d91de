"""who runs a training, and names compared case- and Unicode-insensitively

Revision ID: 0003
Revises: 0007

training_runs gains pid, host and process_start, so a later start can mark a run whose process died as
interrupted. Every user-named table gains a unique name_key (NFKC, case-folded, single-spaced name). Existing rows
are backfilled; where two existing names fold to the same key, the later row (by id) is renamed "name (2)", so no
row is lost and the unique index can be built.
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0007"
branch_labels = None
depends_on = None

# Table and the longest name its `name` column holds.
NAMED_TABLES = {"hardware": 120, "saved_estimates": 200, "funding_scenarios": 200, "app_scenarios": 200}


def _name_key(name: str) -> str:
    # Frozen copy of core.text.name_key as of this revision: a migration must not change when the app's code does.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name or "").casefold())
    return " ".join(folded.split())


def _backfill(bind, table_name: str, max_length: int) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key"))
    rows = bind.execute(sa.select(table.c.id, table.c.name).order_by(table.c.id)).all()
    every_key = {_name_key(name) for _, name in rows}
    kept: set[str] = set()
    for row_id, name in rows:
        key, values = _name_key(name), {}
        number = 2
        while key in kept:
            suffix = f" ({number})"
            candidate = name[: max_length - len(suffix)] + suffix
            if _name_key(candidate) not in every_key:
                values["name"], key = candidate, _name_key(candidate)
                every_key.add(key)
            number += 1
        kept.add(key)
        bind.execute(table.update().where(table.c.id == row_id).values(name_key=key, **values))


def upgrade() -> None:
    with op.batch_alter_table("training_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("process_start", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    for table_name, max_length in NAMED_TABLES.items():
        op.add_column(table_name, sa.Column("name_key", sa.Text(), nullable=True))
        _backfill(bind, table_name, max_length)
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column("name_key", existing_type=sa.Text(), nullable=False)
            batch_op.create_unique_constraint(f"uq_{table_name}_name_key", ["name_key"])


def downgrade() -> None:
    for table_name in reversed(NAMED_TABLES):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_constraint(f"uq_{table_name}_name_key", type_="unique")
            batch_op.drop_column("name_key")
    with op.batch_alter_table("training_runs", schema=None) as batch_op:
        batch_op.drop_column("process_start")
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
