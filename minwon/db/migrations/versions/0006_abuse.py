"""counsellor protection: abuse strikes, incidents, bars, breaks

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "abuse_strikes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("citizen_key", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_abuse_strikes_conversation_id", "abuse_strikes", ["conversation_id"])
    op.create_index("ix_abuse_strikes_citizen_key", "abuse_strikes", ["citizen_key"])
    op.create_index("ix_abuse_strikes_created_at", "abuse_strikes", ["created_at"])
    op.create_table(
        "abuse_incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("citizen_key", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("ticket_id", sa.String(64), nullable=True),
        sa.Column("reported_by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_abuse_incidents_conversation_id", "abuse_incidents", ["conversation_id"])
    op.create_index("ix_abuse_incidents_citizen_key", "abuse_incidents", ["citizen_key"])
    op.create_index("ix_abuse_incidents_created_at", "abuse_incidents", ["created_at"])
    op.create_table(
        "abuse_bars",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("citizen_key", sa.String(128), nullable=False),
        sa.Column("until", TZ, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("barred_by", sa.String(100), nullable=False),
        sa.Column("barred_at", TZ, nullable=False),
        sa.Column("lifted_by", sa.String(100), nullable=True),
        sa.Column("lifted_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_abuse_bars_citizen_key", "abuse_bars", ["citizen_key"])
    op.create_table(
        "counsellor_breaks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_counsellor_breaks_username", "counsellor_breaks", ["username"])


def downgrade() -> None:
    for table in ("counsellor_breaks", "abuse_bars", "abuse_incidents", "abuse_strikes"):
        op.drop_table(table)
