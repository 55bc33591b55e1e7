"""undelivered messages

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 03:00:37.117970
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "undelivered",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_undelivered_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_undelivered_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undelivered")),
    )
    with op.batch_alter_table("undelivered", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_undelivered_trajectory_id"), ["trajectory_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("undelivered", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_undelivered_trajectory_id"))

    op.drop_table("undelivered")
