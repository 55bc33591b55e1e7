"""ballots and anonymous answers held under seal, written at the close (or /volgende) unlinked

Revision ID: 0016_anonymity
Revises: 0015_screen
Create Date: 2026-12-04 18:30:00.000000

While a round is open, a member's scores are sealed in ``draft_score`` (person-side); the ballot
table gets the round's ballots when it closes, under random ids. Anonymous dialogue answers wait
sealed in ``anonymous_answer`` and are counted per member in ``answer_count``; answers given
before lose their author (counted first). On PostgreSQL the ids
become 64-bit without a sequence; on SQLite ``INTEGER PRIMARY KEY`` already holds 64 bits.
Ballots already stored keep their ids (their rounds are closed, or close as before).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_anonymity"
down_revision = "0015_screen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_score",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_draft_score_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["voting_round.id"], name=op.f("fk_draft_score_round_id_voting_round"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_draft_score_theme_id_theme"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("round_id", "person_id", "theme_id", name=op.f("pk_draft_score")),
    )
    op.create_table(
        "anonymous_answer",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"], ["dialogue.id"], name=op.f("fk_anonymous_answer_dialogue_id_dialogue"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_anonymous_answer_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["question.id"], name=op.f("fk_anonymous_answer_question_id_question"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymous_answer")),
    )
    with op.batch_alter_table("anonymous_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_anonymous_answer_dialogue_id"), ["dialogue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_anonymous_answer_person_id"), ["person_id"], unique=False)
    op.create_table(
        "answer_count",
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"], ["dialogue.id"], name=op.f("fk_answer_count_dialogue_id_dialogue"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_answer_count_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dialogue_id", "person_id", name=op.f("pk_answer_count")),
    )
    # Anonymous answers given before: counted for /deelname, then no longer tied to their author.
    op.execute(
        "INSERT INTO answer_count (dialogue_id, person_id, answers) SELECT dialogue_id, person_id, count(*) "
        "FROM contribution WHERE anonymous AND person_id IS NOT NULL GROUP BY dialogue_id, person_id"
    )
    op.execute("UPDATE contribution SET person_id = NULL WHERE anonymous")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("score", "ballot_id", type_=sa.BigInteger(), existing_nullable=False)
        op.alter_column("ballot", "id", type_=sa.BigInteger(), existing_nullable=False, server_default=None)
        op.execute("DROP SEQUENCE IF EXISTS ballot_id_seq")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Random ids do not fit a 32-bit column: only an installation without new ballots goes back.
        op.execute("CREATE SEQUENCE IF NOT EXISTS ballot_id_seq OWNED BY ballot.id")
        op.execute("SELECT setval('ballot_id_seq', COALESCE((SELECT max(id) FROM ballot), 0) + 1, false)")
        op.alter_column(
            "ballot",
            "id",
            type_=sa.Integer(),
            existing_nullable=False,
            server_default=sa.text("nextval('ballot_id_seq')"),
        )
        op.alter_column("score", "ballot_id", type_=sa.Integer(), existing_nullable=False)
    op.drop_table("answer_count")
    with op.batch_alter_table("anonymous_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_anonymous_answer_person_id"))
        batch_op.drop_index(batch_op.f("ix_anonymous_answer_dialogue_id"))
    op.drop_table("anonymous_answer")
    op.drop_table("draft_score")
