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


# --- a ballot being filled in, an anonymous answer waiting --------------------------------------
# While a round is open, each score a member gives lives only in a person-side row of its own
# (``draft_score``), sealed with a key derived from the ballot secret (AES-GCM; the row's round,
# member and theme as associated data, so a sealed cell cannot be moved to another row). The
# ballot table gets its rows only when the round closes, all in one transaction and in a random
# order: nothing in the ballot table says when, or in which order, anyone voted. Every cell is
# padded to one length, so a score and a score with its reason look alike.

BLOCK = 1024  # sealed texts are padded to a multiple of this: a cell with a 200-character reason fits one


def _seal_key(key: bytes) -> bytes:
    return hmac.new(key, b"kopgroep:draft", hashlib.sha256).digest()


def seal_text(key: bytes, context: str, text: str) -> str:
    """A text sealed for one row (``context`` names it), padded to a multiple of ``BLOCK``."""
    plain = json.dumps(text, ensure_ascii=False).encode()
    plain += b" " * (-len(plain) % BLOCK)
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(_seal_key(key)).encrypt(nonce, plain, context.encode())).decode()


def open_text(key: bytes, context: str, sealed: str) -> str:
    """The text of ``seal_text``; ValueError when it was sealed with another key or for another row."""
    raw = base64.b64decode(sealed)
    try:
        plain = AESGCM(_seal_key(key)).decrypt(raw[:12], raw[12:], context.encode())
    except InvalidTag:
        raise ValueError("text sealed with another key or for another row") from None
    return str(json.loads(plain))


def _cell(round_id: int, telegram_id: int, theme_id: int) -> str:
    return f"score:{round_id}:{telegram_id}:{theme_id}"


def seal_score(key: bytes, round_id: int, telegram_id: int, theme_id: int, score: int, reason: str | None) -> str:
    """One score (1-3) and its reason, sealed for the member's cell of that theme."""
    return seal_text(key, _cell(round_id, telegram_id, theme_id), json.dumps([score, reason], ensure_ascii=False))


def open_score(key: bytes, round_id: int, telegram_id: int, theme_id: int, sealed: str) -> tuple[int, str | None]:
    score, reason = json.loads(open_text(key, _cell(round_id, telegram_id, theme_id), sealed))
    return int(score), reason
