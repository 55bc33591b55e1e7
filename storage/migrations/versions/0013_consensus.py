"""Krippendorff's alpha of each voting round, frozen at close

Revision ID: 0013_consensus
Revises: 0012_meeting_end
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_consensus"
down_revision = "0012_meeting_end"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voting_round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alpha", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voting_round", schema=None) as batch_op:
        batch_op.drop_column("alpha")
