"""Sample contexts for the next trajectory's templates (conversations/next_trajectory.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.next_trajectory import CarriedTheme, PreviousGoal, PreviousTheme, PreviousView
from storage.records import ParkedTheme, TrajectoryRecord

OLD = TrajectoryRecord(1, -5001, "Kopgroep", "Gemeente <Zottegem>", "nl", "Europe/Brussels", "tok", "closed", True)
NEW = TrajectoryRecord(2, -5001, "Kopgroep", None, "nl", "Europe/Brussels", "tok2", "setup", True)
VIEW = PreviousView(
    OLD,
    datetime(2026, 12, 20, 15, 0, tzinfo=UTC),
    (
        PreviousTheme(
            1,
            "Duurzaam <aankopen>",
            (PreviousGoal(1, "Criteria in <alle> opdrachten", "80%", "eind 2028"), PreviousGoal(2, None, None, None)),
        ),
        PreviousTheme(2, "Toegankelijkheid", ()),
    ),
    (
        CarriedTheme(1, "Mobiliteit", ParkedTheme(3, "Mobiliteit", 2, 2.25, 0.5)),
        CarriedTheme(2, "Afval <en> grondstoffen", ParkedTheme(4, "Afval", None, None, None)),
    ),
)
EMPTY = PreviousView(OLD, None, (), ())

SAMPLES: dict[str, list[dict[str, object]]] = {
    "next_trajectory/started": [
        {"view": VIEW, "trajectory": NEW},
        {"view": EMPTY, "trajectory": NEW},
        {"view": None, "trajectory": NEW},
    ],
    "next_trajectory/invitation": [{"trajectory": OLD, "view": VIEW}, {"trajectory": NEW, "view": None}],
    "next_trajectory/confirmed": [{}],
    "next_trajectory/previous": [{"view": VIEW}, {"view": EMPTY}],
    "next_trajectory/no_previous": [{}],
    "next_trajectory/unreached": [{"count": 1}, {"count": 3}],
    "next_trajectory/problem": [{"code": code} for code in ("not_closed", "not_allowed", "not_found")],
}
