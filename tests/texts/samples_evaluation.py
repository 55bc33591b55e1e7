"""Sample contexts for the closing evaluation and closing the trajectory (step 8)."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.records import (
    EvaluationDigest,
    EvaluationDigestQuestion,
    EvaluationProgress,
    EvaluationRecord,
    TrajectoryRecord,
)

STARTED = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
CLOSED = datetime(2027, 3, 8, 17, 30, tzinfo=UTC)
TRAJECTORY = TrajectoryRecord(1, -5001, "Kopgroep", "Gemeente <Zottegem>", "nl", "Europe/Brussels", "tok", "done", True)
BARE = TrajectoryRecord(2, -5002, "Kopgroep OCMW", None, "en", "Europe/Brussels", "tok2", "done", True)
OPEN = EvaluationRecord(1, 1, STARTED, None)
DONE = EvaluationRecord(1, 1, STARTED, CLOSED)
PROGRESS = EvaluationProgress(OPEN, 6, 2, 1, {"continuity": 3, "view": 2, "maturity": 2}, ("Dirk <D>",), ("Gert",))
QUIET = EvaluationProgress(OPEN, 1, 1, 0, {"continuity": 1, "view": 0, "maturity": 0}, (), ())
DIGEST = EvaluationDigest(
    TRAJECTORY,
    DONE,
    6,
    5,
    (
        EvaluationDigestQuestion(
            "continuity", ("Via de <b>werkgroep</b> duurzaamheid.", "In het meerjarenplan.", "Ja"), False
        ),
        EvaluationDigestQuestion("view", ("Ruimer dan milieu alleen.",), True),
        EvaluationDigestQuestion("maturity", (), False),
    ),
)
QUESTION = "Blijft MVO aandacht krijgen nu het traject afloopt? Hoe dan?"

SAMPLES: dict[str, list[dict[str, object]]] = {
    "evaluation/question": [
        {
            "trajectory": TRAJECTORY,
            "intro": True,
            "saved": None,
            "number": 1,
            "total": 3,
            "question": QUESTION,
            "limit": 2000,
        },
        {
            "trajectory": BARE,
            "intro": False,
            "saved": "answer",
            "number": 2,
            "total": 3,
            "question": "<Q>",
            "limit": 2000,
        },
        {
            "trajectory": BARE,
            "intro": False,
            "saved": "skipped",
            "number": 3,
            "total": 3,
            "question": "Q",
            "limit": 2000,
        },
        {
            "trajectory": BARE,
            "intro": True,
            "saved": "already",
            "number": 3,
            "total": 3,
            "question": "Q",
            "limit": 2000,
        },
    ],
    "evaluation/done": [
        {"trajectory": TRAJECTORY, "saved": "answer"},
        {"trajectory": BARE, "saved": "skipped"},
        {"trajectory": BARE, "saved": None},
    ],
    "evaluation/answer_problem": [
        {"code": code, "limit": 2000} for code in ("not_text", "empty", "long", "closed", "not_member")
    ],
    "evaluation/none": [{}],
    "evaluation/started": [
        {"progress": PROGRESS, "failed": ["Dirk <D>"]},
        {"progress": QUIET, "failed": []},
    ],
    "evaluation/status": [{"progress": PROGRESS}, {"progress": QUIET}],
    "evaluation/problem": [{"code": code} for code in ("usage", "not_started", "trajectory_closed")],
    "evaluation/closed": [{"digest": DIGEST, "sent": True}, {"digest": DIGEST, "sent": False}],
    "evaluation/already_closed": [{"closed_at": CLOSED, "sent": True}, {"closed_at": CLOSED, "sent": False}],
    "evaluation/digest": [
        {
            "digest": DIGEST,
            "questions": {"continuity": QUESTION, "view": "Is jouw kijk veranderd?", "maturity": "Gegroeid?"},
            "topics": {"continuity": "Aandacht", "view": "Kijk <op> MVO", "maturity": "Maturiteit"},
        }
    ],
    "evaluation/close_confirm": [
        {"progress": PROGRESS, "months": 24},
        {"progress": EvaluationProgress(None, 3, 0, 0, {}, (), ()), "months": 24},
        {"progress": EvaluationProgress(DONE, 3, 3, 0, {}, (), ()), "months": 12},
        {"progress": EvaluationProgress(DONE, 3, 3, 0, {}, (), ()), "months": 1},
    ],
    "evaluation/trajectory_closed": [
        {"closed_at": CLOSED, "months": 24, "evaluated": True},
        {"closed_at": CLOSED, "months": 6, "evaluated": False},
        {"closed_at": CLOSED, "months": 1, "evaluated": True},
    ],
    "evaluation/trajectory_already_closed": [{"closed_at": CLOSED}],
}
