"""training-run integers that outgrow 32 bits: seed, params, flops_per_sample

Revision ID: 0006
Revises: 0002

Keras takes seeds up to 2**32 - 1 and a larger model's parameter or FLOP count passes 2**31 - 1, PostgreSQL's
INTEGER. SQLite's INTEGER already holds 64 bits, so there is nothing to change there (and rebuilding training_runs
in batch mode would cascade-delete its metrics while foreign keys are on).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (("seed", False), ("params", True), ("flops_per_sample", True))


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, nullable in COLUMNS:
        op.alter_column("training_runs", name, type_=sa.BigInteger(), existing_type=sa.Integer(),
                        existing_nullable=nullable)  # fmt: skip


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, nullable in COLUMNS:
        op.alter_column("training_runs", name, type_=sa.Integer(), existing_type=sa.BigInteger(),
                        existing_nullable=nullable)  # fmt: skip
