"""Apply Alembic migrations from code (``kopgroep db upgrade`` and at start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# First key of the PostgreSQL advisory lock held while migrating (bot/inbox.py uses 0x4B47 for lanes).
MIGRATION_LOCK = 0x4B48


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at ``database_url`` up to ``revision``."""
    from storage.db import _ensure_sqlite_folder

    if database_url.startswith("sqlite"):
        _ensure_sqlite_folder(database_url)
        command.upgrade(alembic_config(database_url), revision)
        return
    # Several instances starting at once: one migrates, the others wait and then find nothing to do.
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:space, 0)"), {"space": MIGRATION_LOCK})
            lock.commit()
            try:
                command.upgrade(alembic_config(database_url), revision)
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:space, 0)"), {"space": MIGRATION_LOCK})
                lock.commit()
    finally:
        engine.dispose()


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
