"""ballots filled in under seal, written at the close under random ids

Revision ID: 0016_anonymity
Revises: 0015_screen
Create Date: 2026-12-04 18:30:00.000000

While a round is open, a member's scores are sealed in their own ``ballot_delivery.draft``; the
ballot table gets the round's ballots when it closes, under random ids. On PostgreSQL the ids
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
    with op.batch_alter_table("ballot_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft", sa.Text(), nullable=True))
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
    with op.batch_alter_table("ballot_delivery", schema=None) as batch_op:
        batch_op.drop_column("draft")
