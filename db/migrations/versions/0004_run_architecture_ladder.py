"""training runs: model architecture and scaling-ladder membership

Revision ID: 0004
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("architecture", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("ladder", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("training_runs", schema=None) as batch_op:
        batch_op.drop_column("ladder")
        batch_op.drop_column("architecture")
