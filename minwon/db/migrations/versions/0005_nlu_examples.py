"""intent examples managed from the admin page

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nlu_examples",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("intent", sa.String(length=100), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_nlu_examples_intent", "nlu_examples", ["intent"])


def downgrade() -> None:
    op.drop_index("ix_nlu_examples_intent", table_name="nlu_examples")
    op.drop_table("nlu_examples")
