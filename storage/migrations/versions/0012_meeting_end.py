"""a session's end, when the moderator gave one ("19u30-21u")

Revision ID: 0012_meeting_end
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0012_meeting_end"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("ends_at", storage.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("ends_at")
