"""The ballot key: where it comes from, and the check that every instance on a database shares it.

The pseudonyms themselves are computed by ``method/anonymity.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.config import Settings

KEY_FILE = "ballot-secret"


def ballot_key(settings: Settings) -> bytes:
    """``BALLOT_SECRET``, or a random key created once in the data folder (mode 0600)."""
    if settings.ballot_secret:
        return settings.ballot_secret.encode()
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


class KeyMismatch(RuntimeError):
    """This instance's ballot key is not the one the database's ballots were stored with."""


def check_shared_key(database_url: str, key: bytes) -> None:
    """Refuse a ballot key other than the one this database was first used with.

    Instances on one database must share the key, or each would file a member's ballot under
    another pseudonym and count it twice; a lost key file would orphan the open ballots. The
    database keeps only an HMAC fingerprint of the key, which tells nothing about it.
    """
    from storage import instance_settings
    from storage.db import Database

    fingerprint = hmac.new(key, b"kopgroep ballot key check", hashlib.sha256).hexdigest()[:32]
    database = Database(database_url)
    try:
        stored = database.run_sync(instance_settings.remember, "ballot_key", fingerprint)
    finally:
        database.dispose()
    if stored != fingerprint:
        raise KeyMismatch(
            "BALLOT_SECRET differs from the key this database was first used with: every instance on one "
            "database needs the same BALLOT_SECRET (or, on one machine, the same data/ballot-secret file)"
        )
