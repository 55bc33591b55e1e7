"""Migrations: they build exactly the models' schema, on both databases, and go down again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from storage.migrate import downgrade, upgrade
from storage.models import Base
from tests.conftest import table_names


def test_schema_matches_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        # Only our tables: the shared test database may hold others.
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, kind, _: kind != "table" or name in Base.metadata.tables},
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_is_idempotent_and_reversible(database_url: str) -> None:
    upgrade(database_url)  # already at head: nothing to do
    assert {"trajectory", "person", "membership", "prompt"} <= table_names(database_url)
    downgrade(database_url, "base")
    assert not {"trajectory", "person", "membership", "prompt"} & table_names(database_url)
    upgrade(database_url)
    assert {"trajectory", "person", "membership", "prompt"} <= table_names(database_url)
