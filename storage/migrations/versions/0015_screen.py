"""links to the meeting room's presenter view

Revision ID: 0015_screen
Revises: 0014_progress_shown
Create Date: 2026-12-03 14:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0015_screen"
down_revision = "0014_progress_shown"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screen_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_screen_link_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen_link")),
    )
    with op.batch_alter_table("screen_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screen_link_trajectory_id"), ["trajectory_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("screen_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screen_link_trajectory_id"))
    op.drop_table("screen_link")
