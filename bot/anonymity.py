"""Ballot pseudonyms: a ballot is stored under an HMAC of (round, person) with a server-side key.

Without the key, nobody with only the database can tell whose ballot is whose; with it, the bot
can find a member's own ballot to show it back to that member alone.
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


def pseudonym(key: bytes, round_id: int, person_id: int) -> str:
    """A stable, non-reversible name for one person's ballot in one round."""
    return hmac.new(key, f"ballot:{round_id}:{person_id}".encode(), hashlib.sha256).hexdigest()[:32]
