"""channel requests: replies remembered per request, for channels that retry (Kakao)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_requests",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_channel_requests_created_at", "channel_requests", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_channel_requests_created_at", table_name="channel_requests")
    op.drop_table("channel_requests")
