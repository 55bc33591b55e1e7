"""Sample contexts for the screen templates (/scherm)."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.records import PersonRecord, TrajectoryRecord

TRAJECTORY = TrajectoryRecord(1, -100, "Kopgroep", "Gemeente <Zottegem>", "nl", "Europe/Brussels", "tok", "setup", True)
UNNAMED = TrajectoryRecord(1, -100, "Kopgroep MVO", None, "nl", "Europe/Brussels", "tok", "setup", True)
ANNE = PersonRecord(1, 11, "Anne", None, None, None, True, 1)
URL = "http://127.0.0.1:8080/scherm/12.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUV"
EXPIRES = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)

SAMPLES: dict[str, list[dict[str, object]]] = {
    "screen/link": [
        {"url": URL, "trajectory": TRAJECTORY, "expires_at": EXPIRES, "local": True},
        {"url": "https://kopgroep.regio.be/scherm/1.a.b", "trajectory": UNNAMED, "expires_at": EXPIRES, "local": False},
    ],
    "screen/sent": [{"moderator": ANNE}],
    "screen/unreachable": [{"moderator": ANNE}],
    "screen/stopped": [{"count": 0}, {"count": 1}, {"count": 3}],
    "screen/usage": [{}],
    "screen/off": [{}],
}
