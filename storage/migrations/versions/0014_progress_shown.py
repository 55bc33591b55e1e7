"""what a round's progress message shows, so an edit never repeats it

Revision ID: 0014_progress_shown
Revises: 0013_consensus
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_progress_shown"
down_revision = "0013_consensus"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voting_round") as batch:
        batch.add_column(sa.Column("progress_shown", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voting_round") as batch:
        batch.drop_column("progress_shown")
