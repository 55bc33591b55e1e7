"""The digest's order: random-looking but the same every time, and never the order of arrival.

Answers are sorted by a hash of the evaluation id and the answer's own text, so neither arrival
time nor database ids decide where an answer lands; showing the digest twice gives the same list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

WEAK_BELOW = 3  # with fewer answers than this to a question, an author may be recognisable


def digest_order(evaluation_id: int, question: str, texts: Iterable[str]) -> tuple[str, ...]:
    """The answers to one question in digest order."""

    def key(text: str) -> tuple[str, str]:
        seed = f"{evaluation_id}\x1f{question}\x1f{text}".encode()
        return hashlib.sha256(seed).hexdigest(), text

    return tuple(sorted(texts, key=key))


def weak_anonymity(count: int) -> bool:
    """True for 1 or 2 answers: few enough that the moderator may guess who wrote them."""
    return 0 < count < WEAK_BELOW
