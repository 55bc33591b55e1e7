"""voting rounds

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 00:37:20.279738
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voting_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rule_key", sa.String(length=16), nullable=False),
        sa.Column("sought", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("quorum_pct", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("close_when_all_voted", sa.Boolean(), nullable=False),
        sa.Column("deadline", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("opened_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=16), nullable=True),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("w", sa.Double(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectory.id"],
            name=op.f("fk_voting_round_trajectory_id_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voting_round")),
        sa.UniqueConstraint("trajectory_id", "number", name="uq_voting_round_trajectory_number"),
    )
    with op.batch_alter_table("voting_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voting_round_trajectory_id"), ["trajectory_id"], unique=False)

    op.create_table(
        "ballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["voting_round.id"], name=op.f("fk_ballot_round_id_voting_round"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot")),
        sa.UniqueConstraint("round_id", "pseudonym", name="uq_ballot_round_pseudonym"),
    )
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_round_id"), ["round_id"], unique=False)

    op.create_table(
        "ballot_delivery",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_ballot_delivery_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["voting_round.id"], name=op.f("fk_ballot_delivery_round_id_voting_round"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "person_id", name=op.f("pk_ballot_delivery")),
    )
    op.create_table(
        "round_result",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("mean", sa.Double(), nullable=True),
        sa.Column("median", sa.Double(), nullable=True),
        sa.Column("ones", sa.Integer(), nullable=False),
        sa.Column("twos", sa.Integer(), nullable=False),
        sa.Column("threes", sa.Integer(), nullable=False),
        sa.Column("share_threes", sa.Double(), nullable=False),
        sa.Column("share_ones", sa.Double(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["voting_round.id"], name=op.f("fk_round_result_round_id_voting_round"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_round_result_theme_id_theme"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "theme_id", name=op.f("pk_round_result")),
    )
    op.create_table(
        "round_theme",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["voting_round.id"], name=op.f("fk_round_theme_round_id_voting_round"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_round_theme_theme_id_theme"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "theme_id", name=op.f("pk_round_theme")),
    )
    op.create_table(
        "score",
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_id"], ["ballot.id"], name=op.f("fk_score_ballot_id_ballot"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], name=op.f("fk_score_theme_id_theme"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ballot_id", "theme_id", name=op.f("pk_score")),
    )
    with op.batch_alter_table("trajectory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sought", sa.Integer(), server_default="3", nullable=False))
        batch_op.add_column(sa.Column("rule_key", sa.String(length=16), server_default="default", nullable=False))
        batch_op.add_column(sa.Column("quorum_pct", sa.Integer(), server_default="67", nullable=False))
        batch_op.add_column(sa.Column("close_when_all_voted", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("trajectory", schema=None) as batch_op:
        batch_op.drop_column("close_when_all_voted")
        batch_op.drop_column("quorum_pct")
        batch_op.drop_column("rule_key")
        batch_op.drop_column("sought")

    op.drop_table("score")
    op.drop_table("round_theme")
    op.drop_table("round_result")
    op.drop_table("ballot_delivery")
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_round_id"))

    op.drop_table("ballot")
    with op.batch_alter_table("voting_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voting_round_trajectory_id"))

    op.drop_table("voting_round")
