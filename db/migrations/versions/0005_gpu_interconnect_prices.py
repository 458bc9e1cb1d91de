"""GPU interconnect bandwidths, reserved and spot prices, supported number formats

Revision ID: 0005
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = (
    ("nvlink_gbs", sa.Float()),
    ("ib_gbs", sa.Float()),
    ("price_reserved_per_hour_usd", sa.Float()),
    ("price_spot_per_hour_usd", sa.Float()),
    ("price_tiers_note", sa.Text()),
    ("precisions", sa.String(length=120)),
)


def upgrade() -> None:
    with op.batch_alter_table("hardware", schema=None) as batch_op:
        for name, column_type in COLUMNS:
            batch_op.add_column(sa.Column(name, column_type, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hardware", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
