"""Sample contexts for membership and read-only texts (joining refused, a closed trajectory)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from tests.texts.samples_core import TRAJECTORY

_CLOSED = replace(TRAJECTORY, closed_at=datetime(2026, 12, 1, 16, 0, tzinfo=UTC))

SAMPLES: dict[str, list[dict[str, object]]] = {
    "joining/not_in_group": [{}],
    "joining/check_failed": [{}],
    "common/closed": [
        {"trajectory": _CLOSED, "private": False},
        {"trajectory": _CLOSED, "private": True},
        {"trajectory": TRAJECTORY, "private": False},
    ],
}
