"""application-scenario catalog

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=100), nullable=False),
        sa.Column("horizon", sa.String(length=16), nullable=False),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("typical_model", sa.String(length=200), nullable=False),
        sa.Column("typical_params", sa.Float(), nullable=False),
        sa.Column("training_tokens", sa.Float(), nullable=False),
        sa.Column("data_needs", sa.Text(), nullable=False),
        sa.Column("data_availability", sa.Integer(), nullable=False),
        sa.Column("compute_profile", sa.Text(), nullable=False),
        sa.Column("regulatory_risk", sa.String(length=16), nullable=False),
        sa.Column("regulations", sa.JSON(), nullable=False),
        sa.Column("privacy_risk", sa.String(length=16), nullable=False),
        sa.Column("explainability_need", sa.String(length=16), nullable=False),
        sa.Column("maturity", sa.String(length=32), nullable=False),
        sa.Column("example_products", sa.JSON(), nullable=False),
        sa.Column("key_risks", sa.JSON(), nullable=False),
        sa.Column("is_seed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("app_scenarios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_scenarios_sector"), ["sector"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("app_scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_scenarios_sector"))
    op.drop_table("app_scenarios")
