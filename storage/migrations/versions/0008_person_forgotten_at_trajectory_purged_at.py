"""person forgotten_at, trajectory purged_at

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-27 03:04:05.105376
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forgotten_at", storage.models.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("trajectory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", storage.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trajectory", schema=None) as batch_op:
        batch_op.drop_column("purged_at")

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("forgotten_at")
