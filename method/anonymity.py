"""Ballot pseudonyms: a ballot is stored under an HMAC of (round, person) with a server-side key.

Without the key, nobody with only the database can tell whose ballot is whose; with it, the bot
can find a member's own ballot to show it back to that member alone. The key itself is kept by
``bot/ballot_key.py``.
"""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: bytes, round_id: int, person_id: int) -> str:
    """A stable, non-reversible name for one person's ballot in one round."""
    return hmac.new(key, f"ballot:{round_id}:{person_id}".encode(), hashlib.sha256).hexdigest()[:32]
