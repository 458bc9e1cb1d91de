"""training runs: model architecture and scaling-ladder membership

Revision ID: 0004
Revises: 0003

Plain ADD COLUMN, never a batch rebuild: rebuilding training_runs on SQLite would cascade-delete its per-epoch and
per-class rows while foreign keys are on.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("training_runs", sa.Column("architecture", sa.String(length=64), nullable=True))
    op.add_column("training_runs", sa.Column("ladder", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("training_runs", "ladder")
    op.drop_column("training_runs", "architecture")
