"""Sample contexts for the goal follow-up templates (conversations/goal_followup.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.records import TrajectoryRecord
from storage.records.followup import FollowedGoal, PlanRecord, RoundClosed, ValueReport

TRAJECTORY = TrajectoryRecord(
    1, -5001, "Kopgroep", "Gemeente <Zottegem>", "nl", "Europe/Brussels", "tok", "goals", True
)
AT = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def followed(
    number: int = 1, status: str = "on_track", unit: str | None = "%", reports: int = 1, **changes: object
) -> FollowedGoal:
    values: dict[str, object] = dict(
        goal_id=number,
        trajectory_id=1,
        number=number,
        theme_position=2,
        theme_name="Duurzame <mobiliteit>",
        specific="Meer medewerkers <fietsen> naar het werk",
        indicator="aandeel fietsers (enquête)",
        baseline="12% in 2025",
        target="30%",
        deadline="eind 2027",
        unit=unit,
        start_value=12.0,
        target_value=30.0,
        started_on=date(2026, 12, 1),
        deadline_on=date(2027, 12, 31),
        person_id=2,
        owner_name="Bart <B>",
        done=status == "done",
        reports=tuple(
            ValueReport(AT, 18.0 + i, i % 2 == 0, "Twee <stallingen>" if i == 0 else None) for i in range(reports)
        ),
        status=status,
    )
    values.update(changes)
    return FollowedGoal(**values)  # type: ignore[arg-type]


GOALS = [
    followed(1, "on_track"),
    followed(2, "behind", unit="zalen", theme_position=3, theme_name="Water"),
    followed(3, "done", unit=None, reports=2),
    followed(4, "no_report", reports=0, deadline_on=None, target_value=None, owner_name=None),
    followed(5, "unknown", target=None, target_value=None),
]
PLAN = PlanRecord(1, "quarterly", AT, AT, 4)
CLOSED = RoundClosed(7, TRAJECTORY, 2, "regular", tuple(GOALS[:3]), (1, 3), ("Chris <C>",))

SAMPLES: dict[str, list[dict[str, object]]] = {
    "followup/plan": [
        {"plan": PLAN, "started": True},
        {"plan": PlanRecord(1, "monthly", AT, None, 1), "started": False},
    ],
    "followup/ask": [
        {"goal": goal, "kind": kind, "round_kind": round_kind, "number": 2, "handed_by": handed_by}
        for goal, kind, round_kind, handed_by in (
            (GOALS[0], "ask", "regular", None),
            (GOALS[1], "reminder", "regular", None),
            (GOALS[2], "ask", "deadline", None),
            (GOALS[3], "ask", "regular", "Chris <C>"),
            (GOALS[0], "next", "regular", None),
        )
    ],
    "followup/ask_note": [{"goal": GOALS[0]}, {"goal": GOALS[2]}],
    "followup/thanks": [{"goal": goal} for goal in (GOALS[0], GOALS[1], GOALS[2], followed(1, "on_track", reports=2))],
    "followup/problem": [
        {"code": code, "goal": goal, "given": "km", "limit": 300}
        for code in (
            "not_number",
            "wrong_unit",
            "long_note",
            "not_owner",
            "not_followed",
            "done",
            "no_value",
            "nobody",
            "other",
        )
        for goal in (GOALS[0], GOALS[2])
    ]
    + [{"code": "no_goals"}],
    "followup/choose": [{"goal": GOALS[0]}],
    "followup/handed": [{"goal": GOALS[0]}, {"goal": GOALS[3]}],
    "followup/handed_to": [{"goal": GOALS[0], "by": "Chris <C>"}],
    "followup/digest": [
        {"closed": CLOSED},
        {"closed": RoundClosed(8, TRAJECTORY, 1, "deadline", (GOALS[0],), (1,), ())},
    ],
    "followup/not_answered": [{"closed": CLOSED, "names": CLOSED.missing}],
    "followup/progress": [
        {"goals": GOALS, "plan": PLAN, "previous": False},
        {"goals": GOALS[:1], "plan": PLAN, "previous": True},
        {"goals": [], "plan": None, "previous": False},
        {"goals": [], "plan": PLAN, "previous": False},
    ],
    "followup/chart_caption": [{"goals": GOALS}],
}
