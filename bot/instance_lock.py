"""One bot process per SQLite file: a second one would fight over the file and over updates.

PostgreSQL is the database for several instances; on SQLite ``kopgroep run`` takes an exclusive
lock on ``<database file>.lock`` and refuses to start when another process holds it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url


class AlreadyRunning(RuntimeError):
    """Another bot process uses the same SQLite file."""


def lock_sqlite(database_url: str) -> IO[str] | None:
    """Hold the lock for the life of the process (keep the returned handle); None for PostgreSQL."""
    if not database_url.startswith("sqlite"):
        return None
    database = make_url(database_url).database
    if not database or database == ":memory:":
        return None
    path = Path(database).with_name(Path(database).name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise AlreadyRunning(
            f"another kopgroep process already uses {database}; SQLite takes one instance "
            "(use PostgreSQL for several)"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
