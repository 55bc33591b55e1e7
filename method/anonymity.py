"""Ballot pseudonyms: a ballot is stored under an HMAC of (round, person) with a server-side key.

Without the key, nobody with only the database can tell whose ballot is whose; with it, the bot
can find a member's own ballot to show it back to that member alone. The key itself is kept by
``bot/ballot_key.py``.
"""

from __future__ import annotations

import base64
import functools
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

SCORE_BLOCK = 32  # a sealed score: one length for every score
REASON_BLOCK = 1024  # a sealed reason (or none): one length, a 200-character reason fits


@functools.lru_cache(maxsize=8)
def _cipher(key: bytes) -> AESGCM:
    """The cipher for a ballot secret, made once (it costs more than sealing a cell)."""
    return AESGCM(hmac.new(key, b"kopgroep:draft", hashlib.sha256).digest())


def seal_text(key: bytes, context: str, text: str | None, block: int = REASON_BLOCK) -> str:
    """A text (or None) sealed for one row (``context`` names it), padded to a multiple of ``block``."""
    plain = json.dumps(text, ensure_ascii=False).encode()
    plain += b" " * (-len(plain) % block)
    nonce = os.urandom(12)
    return base64.b64encode(nonce + _cipher(key).encrypt(nonce, plain, context.encode())).decode()


def open_text(key: bytes, context: str, sealed: str) -> str | None:
    """The text of ``seal_text``; ValueError when it was sealed with another key or for another row."""
    raw = base64.b64decode(sealed)
    try:
        plain = _cipher(key).decrypt(raw[:12], raw[12:], context.encode())
    except InvalidTag:
        raise ValueError("text sealed with another key or for another row") from None
    found = json.loads(plain)
    return None if found is None else str(found)


def _cell(kind: str, round_id: int, telegram_id: int, theme_id: int) -> str:
    return f"{kind}:{round_id}:{telegram_id}:{theme_id}"


def seal_score(key: bytes, round_id: int, telegram_id: int, theme_id: int, score: int) -> str:
    """One score (1-3), sealed for the member's cell of that theme (the commonest seal: kept lean)."""
    nonce = os.urandom(12)
    plain = str(score).encode().ljust(SCORE_BLOCK)
    context = _cell("score", round_id, telegram_id, theme_id).encode()
    return base64.b64encode(nonce + _cipher(key).encrypt(nonce, plain, context)).decode()


def open_score(key: bytes, round_id: int, telegram_id: int, theme_id: int, sealed: str) -> int:
    raw = base64.b64decode(sealed)
    try:
        plain = _cipher(key).decrypt(raw[:12], raw[12:], _cell("score", round_id, telegram_id, theme_id).encode())
    except InvalidTag:
        raise ValueError("score sealed with another key or for another row") from None
    return int(plain)


def seal_reason(key: bytes, round_id: int, telegram_id: int, theme_id: int, reason: str | None) -> str:
    """The reason beside a cell's score, sealed; every cell has one, ``None`` when no reason was
    given, so a reader cannot tell when a member added one."""
    if reason is None:
        return _no_reason(key, round_id, telegram_id, theme_id)
    return seal_text(key, _cell("reason", round_id, telegram_id, theme_id), reason, REASON_BLOCK)


@functools.lru_cache(maxsize=4096)
def _no_reason(key: bytes, round_id: int, telegram_id: int, theme_id: int) -> str:
    """A cell's sealed "no reason", made once per cell: a new cell takes it once, so no two rows
    ever hold the same ciphertext (each cell's own round, member and theme are sealed in)."""
    return seal_text(key, _cell("reason", round_id, telegram_id, theme_id), None, REASON_BLOCK)


def open_reason(key: bytes, round_id: int, telegram_id: int, theme_id: int, sealed: str) -> str | None:
    return open_text(key, _cell("reason", round_id, telegram_id, theme_id), sealed)
