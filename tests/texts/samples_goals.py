"""Sample contexts for the SMART-goal templates (step 6)."""

from __future__ import annotations

import dataclasses

from storage.records import GoalOverview, GoalRecord, GoalTheme, TrajectoryRecord

TRAJECTORY = TrajectoryRecord(
    1, -5001, "Kopgroep", "Gemeente <Zottegem>", "nl", "Europe/Brussels", "tok", "goals", True
)
BARE = TrajectoryRecord(2, -5002, "Kopgroep OCMW", None, "en", "Europe/Brussels", "tok2", "goals", True)


def goal(number: int = 1, status: str = "draft", flags: tuple[str, ...] = (), **parts: str | None) -> GoalRecord:
    values: dict[str, object] = dict(
        specific="Meer medewerkers <fietsen> naar het werk",
        indicator="aandeel fietsers (enquête)",
        baseline="12%",
        target="30%",
        owner="personeelsdienst & managementteam",
        means="15.000 euro",
        deadline="eind 2027",
        milestones="-",
    )
    values.update(parts)
    return GoalRecord(
        id=number,
        trajectory_id=1,
        theme_id=11,
        theme_name="Duurzame <mobiliteit>",
        theme_position=2,
        number=number,
        author_id=1,
        author_name="Bart <B>",
        status=status,
        flags=flags,
        kept_as_is=bool(flags) and status != "draft",
        **values,  # type: ignore[arg-type]
    )


FLAGGED = ("vague_verb", "no_baseline", "vague_owner")
EMPTY = goal(
    4, specific=None, indicator=None, baseline=None, target=None, owner=None, means=None, deadline=None, milestones=None
)
OVERVIEW = GoalOverview(
    TRAJECTORY,
    (
        GoalTheme(
            11,
            2,
            "Duurzame <mobiliteit>",
            tuple(f"Droombeeld {i} <x>" for i in range(1, 8)),
            (goal(1, "approved"), goal(2, "proposed", FLAGGED), goal(3, "dropped", ("no_date",))),
        ),
        GoalTheme(12, 3, "Toegankelijkheid", ("Klare taal",), ()),
        GoalTheme(13, 5, "Biodiversiteit", (), ()),
    ),
)
SHORT = {code: code.replace("_", " ") for code in (*FLAGGED, "no_date")}
FLAG_TEXTS = ["Vaag werkwoord <zoals> verbeteren", "Geen startwaarde"]

SAMPLES: dict[str, list[dict[str, object]]] = {
    "goals/overview": [
        {
            "overview": OVERVIEW,
            "short": SHORT,
            "shown": 5,
            "drafts": [goal(7)],
            "pending": [goal(2, "proposed")],
            "private": True,
        },
        {
            "overview": OVERVIEW,
            "short": SHORT,
            "shown": 5,
            "drafts": [],
            "pending": [goal(2), goal(3)],
            "private": True,
        },
        {
            "overview": GoalOverview(BARE, OVERVIEW.themes[1:]),
            "short": {},
            "shown": 5,
            "drafts": [],
            "pending": [],
            "private": False,
        },
    ],
    "goals/intro": [
        {
            "goal": goal(),
            "trajectory": TRAJECTORY,
            "dreams": ("Kraantjeswater <x>", "Fietsen"),
            "shown": 5,
            "resumed": False,
        },
        {"goal": goal(), "trajectory": BARE, "dreams": (), "shown": 5, "resumed": True},
    ],
    "goals/question": [
        {
            "goal": EMPTY,
            "part": part,
            "letter": letter,
            "current": current,
            "after": after,
            "flags": flags,
            "limit": 1000,
        }
        for letter, part, current, after, flags in (
            ("S", "specific", None, None, []),
            ("M", "indicator", None, "S", FLAG_TEXTS),
            ("M", "baseline", "12 <%>", None, []),
            ("M", "target", "-", None, []),
            ("A", "owner", None, "M", []),
            ("R", "means", None, "A", FLAG_TEXTS[:1]),
            ("T", "deadline", None, "R", []),
            ("T", "milestones", None, None, []),
        )
    ],
    "goals/summary": [
        {"goal": g, "flags": flags, "heading": heading}
        for g, flags, heading in (
            (goal(), [], "review"),
            (goal(flags=FLAGGED), FLAG_TEXTS, "review"),
            (goal(2, "proposed", FLAGGED), FLAG_TEXTS, "review"),
            (goal(2, "proposed", FLAGGED), FLAG_TEXTS, "proposed"),
            (goal(2, "proposed", ()), [], "submitted"),
            (goal(2, "approved", ()), [], "submitted"),
            (goal(2, "dropped", FLAGGED), FLAG_TEXTS, "decided"),
            (EMPTY, [], "review"),
        )
    ]
    + [
        {"goal": dataclasses.replace(goal(2, "draft", FLAGGED), returned=True), "flags": FLAG_TEXTS, "heading": "returned", "delivered": delivered}
        for delivered in (True, False)
    ],
    "goals/returned": [{"goal": dataclasses.replace(goal(2, "draft", FLAGGED), returned=True), "flags": FLAG_TEXTS}],
    "goals/problem": [
        {"code": code, "limit": 1000}
        for code in (
            "no_chosen",
            "not_member",
            "not_chosen",
            "not_found",
            "not_text",
            "empty",
            "long",
            "decided",
            "not_allowed",
            "other",
        )
    ],
    "goals/submitted": [
        {"goal": goal(2, "proposed"), "unreached": 0},
        {"goal": goal(2, "proposed"), "unreached": 1},
        {"goal": goal(2, "approved"), "unreached": 0},
    ],
    "goals/decided": [{"goal": goal(2, "approved")}, {"goal": goal(2, "dropped")}],
    "goals/discarded": [{"goal": goal(3)}],
}
