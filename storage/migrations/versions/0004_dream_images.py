"""dream images, reminders, the next session's calendar sequence

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 01:41:24.724948
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dream_collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("started_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reminder_hours", sa.String(length=64), server_default="72,24", nullable=False),
        sa.Column("published_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_dream_collection_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dream_collection")),
        sa.UniqueConstraint("trajectory_id", name=op.f("uq_dream_collection_trajectory_id")),
    )
    op.create_table(
        "dream_done",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("done_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_dream_done_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_dream_done_theme_id_theme"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "theme_id", name=op.f("pk_dream_done")),
    )
    op.create_table(
        "dream_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_text", sa.Text(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["dream_image.id"],
            name=op.f("fk_dream_image_merged_into_id_dream_image"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["dream_image.id"], name=op.f("fk_dream_image_parent_id_dream_image"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_dream_image_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_dream_image_theme_id_theme"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_dream_image_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dream_image")),
        sa.UniqueConstraint("trajectory_id", "number", name="uq_dream_image_trajectory_number"),
    )
    with op.batch_alter_table("dream_image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dream_image_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dream_image_theme_id"), ["theme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dream_image_trajectory_id"), ["trajectory_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_reminder_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_reminder_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"], ["trajectory.id"], name=op.f("fk_reminder_trajectory_id_trajectory"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint("meeting_id", "person_id", "kind", "due_at", name="uq_reminder_meeting_person_kind_due"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_reminder_state_due_at", ["state", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_trajectory_id"), ["trajectory_id"], unique=False)

    op.create_table(
        "dream_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decided_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_id"], ["dream_image.id"], name=op.f("fk_dream_proposal_first_id_dream_image"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["second_id"], ["dream_image.id"], name=op.f("fk_dream_proposal_second_id_dream_image"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_dream_proposal_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dream_proposal")),
        sa.UniqueConstraint("first_id", "second_id", name="uq_dream_proposal_first_second"),
    )
    with op.batch_alter_table("dream_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dream_proposal_trajectory_id"), ["trajectory_id"], unique=False)

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ics_sequence", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("ics_sequence")

    with op.batch_alter_table("dream_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dream_proposal_trajectory_id"))

    op.drop_table("dream_proposal")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_trajectory_id"))
        batch_op.drop_index("ix_reminder_state_due_at")
        batch_op.drop_index(batch_op.f("ix_reminder_person_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("dream_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dream_image_trajectory_id"))
        batch_op.drop_index(batch_op.f("ix_dream_image_theme_id"))
        batch_op.drop_index(batch_op.f("ix_dream_image_person_id"))

    op.drop_table("dream_image")
    op.drop_table("dream_done")
    op.drop_table("dream_collection")
