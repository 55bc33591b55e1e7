"""Two instances starting at once on an empty PostgreSQL database: one migrates, the other waits."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, text

from storage.migrate import upgrade
from tests.conftest import POSTGRES_SERVER, SCHEMA, table_names


def test_instances_starting_together_migrate_once(postgres_url: str) -> None:
    schema = f"{SCHEMA}_migrate"
    admin = create_engine(POSTGRES_SERVER)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = postgres_url.replace(f"search_path%3D{SCHEMA}", f"search_path%3D{schema}")
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def instance() -> None:
        start.wait()
        try:
            upgrade(url)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=instance) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert errors == []
        assert {"trajectory", "inbound_update", "deadline_run"} <= table_names(url)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()
