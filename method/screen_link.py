"""The presenter view's link: an unguessable, signed token that names one stored link row.

A token is ``<link id>.<random part>.<signature>``: 16 random bytes make it unguessable, and an
HMAC over the id and the random part (keyed from the server's secret) makes an altered or
made-up token fail before the database is asked. The database keeps only a SHA-256 of the
random part, so someone who can read it cannot rebuild a working link either. Whether a link
still works (stopped, expired, the trajectory closed) is the stored row's business
(storage/screen.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

_RANDOM_BYTES = 16
_SIGNATURE_BYTES = 16
_TOKEN = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$")


@dataclass(frozen=True)
class TokenParts:
    """What a well-signed token carries: the link's id and the hash of its random part."""

    link_id: int
    secret_hash: str


def screen_key(secret: bytes) -> bytes:
    """The key for screen links, derived from the server's secret (the ballot key): a link's
    signature then never doubles as anything a ballot pseudonym could be compared with."""
    return hmac.new(secret, b"kopgroep screen link", hashlib.sha256).digest()


def new_secret() -> str:
    """The random part of a new link (URL-safe, 22 characters)."""
    return _b64(secrets.token_bytes(_RANDOM_BYTES))


def secret_hash(secret: str) -> str:
    """What the database keeps of a link's random part."""
    return hashlib.sha256(secret.encode()).hexdigest()


def make_token(key: bytes, link_id: int, secret: str) -> str:
    return f"{link_id}.{secret}.{_signature(key, link_id, secret)}"


def read_token(key: bytes, token: str) -> TokenParts | None:
    """The parts of a token signed with ``key``; None for anything altered or malformed."""
    found = _TOKEN.match(token)
    if found is None:
        return None
    link_id, secret, signature = int(found.group(1)), found.group(2), found.group(3)
    if not hmac.compare_digest(signature, _signature(key, link_id, secret)):
        return None
    return TokenParts(link_id, secret_hash(secret))


def _signature(key: bytes, link_id: int, secret: str) -> str:
    digest = hmac.new(key, f"screen:{link_id}:{secret}".encode(), hashlib.sha256).digest()
    return _b64(digest[:_SIGNATURE_BYTES])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
