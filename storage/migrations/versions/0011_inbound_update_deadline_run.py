"""inbound updates, deadline runs and instance settings for several instances

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-27 03:03:54.376067
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instance_setting",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_instance_setting")),
    )
    op.create_table(
        "inbound_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("lane", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbound_update")),
    )
    with op.batch_alter_table("inbound_update", schema=None) as batch_op:
        batch_op.create_index("ix_inbound_update_done_at_lane", ["done_at", "lane", "update_id"], unique=False)

    op.create_table(
        "deadline_run",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("deadline", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"], ["voting_round.id"], name=op.f("fk_deadline_run_round_id_voting_round"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "deadline", name=op.f("pk_deadline_run")),
    )


def downgrade() -> None:
    op.drop_table("instance_setting")
    op.drop_table("deadline_run")
    with op.batch_alter_table("inbound_update", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_update_done_at_lane")

    op.drop_table("inbound_update")
