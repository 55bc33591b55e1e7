"""Sample contexts for the session templates (/sessie, /notitie)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from method.dates import Moment
from method.progress import Facts, progress
from storage.records import DecisionRecord, MeetingRecord, TrajectoryRecord

TRAJECTORY = TrajectoryRecord(1, -100, "Kopgroep", "Gemeente Zottegem", "nl", "Europe/Brussels", "tok", "setup", True)
MEETING = MeetingRecord(1, 1, datetime(2026, 12, 10, 13, 0, tzinfo=UTC), None)
EARLY = progress(Facts())
LATER = progress(Facts(themes=12, meetings=1))
KINDS = ("lokale_foto", "sterktes", "zwaktes", "kandidaten", "agenda")
NAMES = {kind: kind.title() for kind in KINDS}

SAMPLES: dict[str, list[dict[str, object]]] = {
    "session/synthesis": [
        {
            "trajectory": TRAJECTORY, "meeting": MEETING, "steps": EARLY[0], "upcoming": EARLY[1], "notes": {},
            "candidates": (), "findings_strengths": [], "findings_weaknesses": [], "maturities": [],
            "agenda": ["themes", "dialogue", "voting"], "decision": None,
        },
        {
            "trajectory": TRAJECTORY, "meeting": MEETING, "steps": LATER[0], "upcoming": LATER[1],
            "notes": {"lokale_foto": "Veel gebeurt al <rond> afval", "agenda": "1. Synthese\n2. Stemronde"},
            "candidates": ("Duurzaam aankopen", "Toegankelijkheid"),
            "findings_strengths": ["Aankoop: goede procedures"], "findings_weaknesses": ["Mobiliteit: weinig data"],
            "maturities": [("Aankoop", 2.5), ("Mobiliteit", 3.0)], "agenda": ["dialogue"],
            "decision": DecisionRecord("approved", date(2026, 12, 12), None, "Akkoord <met> de thema's"),
        },
    ],
    "session/date_problem": [
        {"problem": "past"}, {"problem": "unclear"}, {"problem": "empty"},
        {"problem": "weekday", "moment": Moment(None, "weekday", weekday_given=4, day=date(2026, 12, 10))},
    ],
    "session/pin_failed": [{}],
    "session/notes": [{"kinds": KINDS, "names": NAMES, "notes": {"sterktes": "Goede <samenwerking>"}}],
    "session/note_saved": [{"name": "Agenda", "removed": False}, {"name": "Agenda", "removed": True}],
    "session/note_problem": [{"problem": "kind", "limit": 1500}, {"problem": "empty", "limit": 1500}, {"problem": "long", "limit": 1500}],
}
