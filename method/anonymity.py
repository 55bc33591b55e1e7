"""Ballot pseudonyms: a ballot is stored under an HMAC of (round, person) with a server-side key.

Without the key, nobody with only the database can tell whose ballot is whose; with it, the bot
can find a member's own ballot to show it back to that member alone. The key itself is kept by
``bot/ballot_key.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def pseudonym(key: bytes, round_id: int, person_id: int) -> str:
    """A stable, non-reversible name for one person's ballot in one round."""
    return hmac.new(key, f"ballot:{round_id}:{person_id}".encode(), hashlib.sha256).hexdigest()[:32]


# --- a ballot being filled in --------------------------------------------------------------
# While a round is open, a member's scores live only in their own delivery row, sealed with a key
# derived from the ballot secret (AES-GCM, the row's round and person as associated data, so a
# sealed draft cannot be moved to another row). The ballot table gets its rows only when the
# round closes, all in one transaction and in a random order: nothing in the ballot table says
# when, or in which order, anyone voted.

DRAFT_BLOCK = 512  # sealed drafts are padded to a multiple of this, so their length says little


def _draft_key(key: bytes) -> bytes:
    return hmac.new(key, b"kopgroep:draft", hashlib.sha256).digest()


def _context(round_id: int, person_id: int) -> bytes:
    return f"draft:{round_id}:{person_id}".encode()


def seal_text(key: bytes, context: str, text: str) -> str:
    """A text sealed for one row (``context`` names it), padded to a multiple of ``DRAFT_BLOCK``."""
    plain = json.dumps(text).encode()
    plain += b" " * (-len(plain) % DRAFT_BLOCK)
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(_draft_key(key)).encrypt(nonce, plain, context.encode())).decode()


def open_text(key: bytes, context: str, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    try:
        plain = AESGCM(_draft_key(key)).decrypt(raw[:12], raw[12:], context.encode())
    except InvalidTag:
        raise ValueError("text sealed with another key or for another row") from None
    return str(json.loads(plain))


def seal_draft(key: bytes, round_id: int, person_id: int, scores: dict[int, int], reasons: dict[int, str]) -> str:
    """The draft's scores and reasons, sealed (base64 text for a Text column)."""
    plain = json.dumps(
        {"s": {str(k): v for k, v in scores.items()}, "r": {str(k): v for k, v in reasons.items()}}
    ).encode()
    plain += b" " * (-len(plain) % DRAFT_BLOCK)
    nonce = os.urandom(12)
    sealed = AESGCM(_draft_key(key)).encrypt(nonce, plain, _context(round_id, person_id))
    return base64.b64encode(nonce + sealed).decode()


def open_draft(key: bytes, round_id: int, person_id: int, sealed: str | None) -> tuple[dict[int, int], dict[int, str]]:
    """(scores, reasons) of a sealed draft; empty for none. Raises ValueError for a draft that
    was not sealed with this key for this row."""
    if not sealed:
        return {}, {}
    raw = base64.b64decode(sealed)
    try:
        plain = AESGCM(_draft_key(key)).decrypt(raw[:12], raw[12:], _context(round_id, person_id))
    except InvalidTag:
        raise ValueError("draft sealed with another key or for another row") from None
    data = json.loads(plain)
    return {int(k): int(v) for k, v in data["s"].items()}, {int(k): str(v) for k, v in data["r"].items()}
