"""goals sent back to their author; the follow-up of approved goals after the report; a group's
next trajectory (generation, previous_id)

Revision ID: 0017_followup
Revises: 0016_anonymity
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0017_followup"
down_revision = "0016_anonymity"
branch_labels = None
depends_on = None

UTC = storage.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("trajectory") as batch:
        batch.add_column(sa.Column("generation", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("previous_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_trajectory_previous_id_trajectory"), "trajectory", ["previous_id"], ["id"], ondelete="SET NULL"
        )
        batch.drop_constraint("uq_trajectory_chat_id", type_="unique")
        batch.create_unique_constraint("uq_trajectory_chat_id_generation", ["chat_id", "generation"])
    with op.batch_alter_table("goal") as batch:
        batch.add_column(sa.Column("returned_at", UTC, nullable=True))
    op.create_table(
        "followup_plan",
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_followup_plan_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("trajectory_id", name=op.f("pk_followup_plan")),
    )
    op.create_table(
        "followup_goal",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("deadline_on", sa.Date(), nullable=True),
        sa.Column("done_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_followup_goal_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_followup_goal_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_followup_goal_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("goal_id", name=op.f("pk_followup_goal")),
    )
    with op.batch_alter_table("followup_goal") as batch:
        batch.create_index(batch.f("ix_followup_goal_trajectory_id"), ["trajectory_id"], unique=False)
    op.create_table(
        "followup_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("closes_at", UTC, nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_followup_round_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_followup_round_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_round")),
    )
    with op.batch_alter_table("followup_round") as batch:
        batch.create_index("ix_followup_round_state_due_at", ["state", "due_at"], unique=False)
        batch.create_index(batch.f("ix_followup_round_trajectory_id"), ["trajectory_id"], unique=False)
    op.create_table(
        "followup_ask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", UTC, nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_followup_ask_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_followup_ask_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["followup_round.id"],
            name=op.f("fk_followup_ask_round_id_followup_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_followup_ask_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_ask")),
        sa.UniqueConstraint("round_id", "goal_id", "person_id", "kind", name="uq_followup_ask_round_goal_person_kind"),
    )
    with op.batch_alter_table("followup_ask") as batch:
        batch.create_index("ix_followup_ask_state_due_at", ["state", "due_at"], unique=False)
        batch.create_index(batch.f("ix_followup_ask_goal_id"), ["goal_id"], unique=False)
        batch.create_index(batch.f("ix_followup_ask_round_id"), ["round_id"], unique=False)
        batch.create_index(batch.f("ix_followup_ask_trajectory_id"), ["trajectory_id"], unique=False)
    op.create_table(
        "followup_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reported_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_followup_report_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_followup_report_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["followup_round.id"],
            name=op.f("fk_followup_report_round_id_followup_round"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_report")),
    )
    with op.batch_alter_table("followup_report") as batch:
        batch.create_index(batch.f("ix_followup_report_goal_id"), ["goal_id"], unique=False)


def downgrade() -> None:
    op.drop_table("followup_report")
    op.drop_table("followup_ask")
    op.drop_table("followup_round")
    op.drop_table("followup_goal")
    op.drop_table("followup_plan")
    with op.batch_alter_table("goal") as batch:
        batch.drop_column("returned_at")
    with op.batch_alter_table("trajectory") as batch:
        batch.drop_constraint("uq_trajectory_chat_id_generation", type_="unique")
        batch.create_unique_constraint("uq_trajectory_chat_id", ["chat_id"])
        batch.drop_constraint("fk_trajectory_previous_id_trajectory", type_="foreignkey")
        batch.drop_column("previous_id")
        batch.drop_column("generation")
