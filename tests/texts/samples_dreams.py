"""Sample contexts for the dream-image templates (step 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from method.dates import Moment
from method.dreams.commands import Edit
from storage.records import (
    DreamCollectionRecord,
    DreamImageRecord,
    DreamProgress,
    DreamProposalRecord,
    DreamTheme,
    MemberDreams,
    NextSession,
    ProcessingView,
    SummaryItem,
    SummaryTheme,
    TelegramUser,
    TrajectoryRecord,
)

STARTS = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
TRAJECTORY = TrajectoryRecord(
    1, -5001, "Kopgroep", "Gemeente <Zottegem>", "nl", "Europe/Brussels", "tok", "dream_images", True
)
BARE = TrajectoryRecord(2, -5002, "Kopgroep OCMW", None, "en", "Europe/Brussels", "tok2", "dream_images", True)
THEMES = (
    DreamTheme(11, 1, "Duurzaam aankopen", "duurzaam-aankopen"),
    DreamTheme(12, 2, "Toegankelijkheid & <taal>", None),
    DreamTheme(13, 3, "Gezondheid, leefomgeving en biodiversiteit", "gezondheid-leefomgeving-biodiversiteit"),
)
EXAMPLES = {11: "Sociale en milieucriteria opnemen.", 12: "Documenten <vereenvoudigen>.", 13: "Fietsenstallingen."}
SESSION = NextSession(5, 1, STARTS, 0)
SESSION_WITH_END = NextSession(5, 1, STARTS, 1, STARTS + timedelta(minutes=90))
WEEKDAY_MISMATCH = Moment(None, "weekday", weekday_given=1, day=date(2026, 12, 10))  # "dinsdag 10 december"
OPEN = DreamCollectionRecord(1, 1, datetime(2026, 11, 26, 10, 0, tzinfo=UTC), (72, 24), None)
PUBLISHED = DreamCollectionRecord(1, 1, OPEN.started_at, (72, 24), datetime(2026, 12, 9, 18, 0, tzinfo=UTC))


def image(id_: int, number: int, theme: int, text: str, **changes: object) -> DreamImageRecord:
    values: dict[str, object] = dict(
        id=id_,
        trajectory_id=1,
        theme_id=theme,
        person_id=1,
        number=number,
        text=text,
        processed_text=None,
        merged_into_id=None,
        parent_id=None,
        removed=False,
        published=False,
        author="Anne <A>",
    )
    values.update(changes)
    return DreamImageRecord(**values)  # type: ignore[arg-type]


IMAGES = (
    image(1, 1, 11, "Kraantjeswater in plaats van flessenwater"),
    image(
        2,
        2,
        11,
        "Het personeel geeft het <goede> voorbeeld",
        processed_text="Het gemeentepersoneel geeft het goede voorbeeld",
    ),
    image(3, 3, 11, "Hergebruiken van materialen", parent_id=2),
    image(4, 4, 12, "Geen ambtenarentaal meer", author=None),
    image(5, 5, 11, "Kraantjeswater i.p.v. flessen", merged_into_id=1),
    image(6, 6, 13, "Iets naast het thema", removed=True),
)


def member(**changes: object) -> MemberDreams:
    values: dict[str, object] = dict(
        trajectory=TRAJECTORY,
        person_id=1,
        language="nl",
        themes=THEMES,
        images={11: IMAGES[:3], 12: IMAGES[3:4], 13: ()},
        done=frozenset({12}),
        collection=OPEN,
        next_session=SESSION,
    )
    values.update(changes)
    return MemberDreams(**values)  # type: ignore[arg-type]


def view(**changes: object) -> ProcessingView:
    values: dict[str, object] = dict(
        trajectory=TRAJECTORY,
        themes=THEMES,
        images=IMAGES,
        proposals=(),
        collection=OPEN,
        next_session=SESSION,
    )
    values.update(changes)
    return ProcessingView(**values)  # type: ignore[arg-type]


def processing(**changes: object) -> dict[str, object]:
    values: dict[str, object] = dict(
        view=view(),
        names=False,
        active_ids={1, 2, 3, 4},
        merged={1: [5]},
        numbers={i.id: i.number for i in IMAGES},
    )
    values.update(changes)
    return values


PROGRESS = DreamProgress(
    themes=THEMES,
    members=6,
    done=2,
    images=14,
    per_theme={11: 6, 12: 5, 13: 3},
    unreachable=("Bart",),
    not_joined=("Chris <C>",),
    collection=OPEN,
    next_session=SESSION,
)
PROPOSAL = DreamProposalRecord(1, IMAGES[0], IMAGES[3], 0.91, "open")
SUMMARY = (
    SummaryTheme(
        1,
        "Duurzaam aankopen",
        (
            SummaryItem("Sociale en milieucriteria <opnemen>"),
            SummaryItem("Het personeel geeft het goede voorbeeld:", ("kraantjeswater", "hergebruik")),
        ),
    ),
    SummaryTheme(2, "Toegankelijkheid", ()),
)
QUESTION = "Wat zou je graag zien gebeuren rond dit thema, als alles kan en mag?"

SAMPLES: dict[str, list[dict[str, object]]] = {
    "dreams/template": [
        {"view": member(), "examples": EXAMPLES, "question": QUESTION},
        {
            "view": member(next_session=None, images={11: (), 12: (), 13: ()}, done=frozenset(), themes=THEMES[:1]),
            "examples": EXAMPLES,
            "question": QUESTION,
        },
        {"view": member(collection=PUBLISHED, trajectory=BARE), "examples": EXAMPLES, "question": QUESTION},
    ],
    "dreams/theme": [
        {
            "view": member(),
            "theme": THEMES[0],
            "images": IMAGES[:3],
            "example": EXAMPLES[11],
            "question": QUESTION,
            "shown": 20,
        },
        {
            "view": member(),
            "theme": THEMES[1],
            "images": (),
            "example": EXAMPLES[12],
            "question": QUESTION,
            "shown": 20,
        },
        {
            "view": member(),
            "theme": THEMES[0],
            "images": IMAGES[:3],
            "example": EXAMPLES[11],
            "question": QUESTION,
            "shown": 2,
        },
    ],
    "dreams/saved": [
        {"status": status, "theme": THEMES[1], "count": count, "limit": 1000}
        for status, count in (
            ("ok", 1),
            ("ok", 3),
            ("duplicate", 2),
            ("too_many", 50),
            ("empty", 0),
            ("long", 0),
            ("closed", 0),
            ("not_chosen", 0),
            ("not_member", 0),
        )
    ],
    "dreams/which_theme": [{}],
    "dreams/edit_prompt": [{"image": IMAGES[1], "number": 2, "theme": THEMES[0]}],
    "dreams/edited": [
        {"status": status, "image": IMAGES[1], "limit": 1000}
        for status in ("ok", "empty", "long", "closed", "not_found")
    ],
    "dreams/all_done": [{"view": member()}, {"view": member(next_session=None)}],
    "dreams/none": [{"trajectory": TRAJECTORY}, {"trajectory": None}],
    "dreams/document_read": [
        {"problem": None, "added": 4, "kept": 1, "refused": 1, "missing": ["Mobiliteit <x>"]},
        {"problem": None, "added": 1, "kept": 0, "refused": 0, "missing": []},
        {"problem": None, "added": 0, "kept": 0, "refused": 0, "missing": []},
    ]
    + [
        {"problem": p, "added": 0, "kept": 0, "refused": 0, "missing": []}
        for p in ("not_docx", "too_big", "unreadable", "not_ours", "closed", "not_member")
    ],
    "dreams/started": [
        {"themes": THEMES, "next_session": SESSION, "failed": ["Bart <b>"], "not_joined": ["Chris"]},
        {"themes": THEMES[:1], "next_session": None, "failed": [], "not_joined": []},
    ],
    "dreams/status": [
        {"progress": PROGRESS, "moments": (STARTS, STARTS)},
        {"progress": DreamProgress(THEMES, 3, 1, 1, {11: 1, 12: 0, 13: 0}, (), (), PUBLISHED, None), "moments": ()},
    ],
    "dreams/problem": [
        {"code": code}
        for code in ("no_chosen", "not_started", "published", "no_session", "bad_hours", "private_closed", "other")
    ],
    "dreams/date_problem": [
        {"problem": "past", "planned": None, "day": None, "example": ""},
        {"problem": "no_time", "planned": None, "day": STARTS, "example": "10/12"},
        {"problem": "empty", "planned": SESSION, "day": None, "example": ""},
        {"problem": "empty", "planned": None, "day": None, "example": ""},
        {"problem": "unclear", "planned": None, "day": None, "example": ""},
        {"problem": "weekday", "planned": None, "day": None, "example": "", "moment": WEEKDAY_MISMATCH},
    ],
    "dreams/next_session": [
        {"session": SESSION, "before": None, "collecting": True, "moments": (STARTS, STARTS), "weekday": "donderdag", "assumed": None},
        {"session": SESSION, "before": STARTS, "collecting": False, "moments": (), "weekday": "Thursday", "assumed": None},
        {"session": SESSION, "before": None, "collecting": True, "moments": (), "weekday": "donderdag", "assumed": None},
        {"session": SESSION_WITH_END, "before": None, "collecting": True, "moments": (STARTS,), "weekday": "donderdag", "assumed": "evening"},
    ],
    "dreams/reminder_hours": [
        {"hours": (72, 24), "moments": (STARTS, STARTS), "session": SESSION},
        {"hours": (36, 2, 1), "moments": (), "session": SESSION},
        {"hours": (), "moments": (), "session": None},
    ],
    "dreams/reminded": [
        {"sent": 3, "done": 2, "recent": 1, "failed": ["Bart"]},
        {"sent": 1, "done": 1, "recent": 0, "failed": []},
        {"sent": 0, "done": 0, "recent": 0, "failed": []},
    ],
    "dreams/reminder": [
        {
            "trajectory": TRAJECTORY,
            "starts_at": STARTS,
            "missing": ((THEMES[0], 2), (THEMES[1], 0), (THEMES[2], 1)),
            "days_left": 3,
            "hours_left": 72,
        },
        {"trajectory": BARE, "starts_at": STARTS, "missing": ((THEMES[0], 0),), "days_left": 0, "hours_left": 5},
        {"trajectory": BARE, "starts_at": None, "missing": ((THEMES[0], 0),), "days_left": 0, "hours_left": 0},
    ],
    "dreams/unreachable": [
        {"names": ["Bart", "Chris <c>"], "what": "reminder", "trajectory": TRAJECTORY},
        {"names": ["Bart"], "what": "template", "trajectory": BARE},
    ],
    "dreams/processing": [
        processing(),
        processing(names=True, view=view(collection=PUBLISHED)),
        processing(view=view(images=()), active_ids=set(), merged={}, numbers={}),
    ],
    "dreams/processing_sent": [
        {"moderator": TelegramUser(1001, "Anne"), "proposals": 2},
        {"moderator": TelegramUser(1001, "Anne <x>"), "proposals": 0},
    ],
    "dreams/proposal": [
        {"proposal": PROPOSAL, "index": 1, "total": 3, "themes": {t.id: t.name for t in THEMES}, "decided": False},
        {"proposal": None, "index": 0, "total": 0, "themes": {}, "decided": True},
        {"proposal": None, "index": 0, "total": 0, "themes": {}, "decided": False},
    ],
    "dreams/edit_result": [
        {"edit": edit, "status": status, "limit": 1000}
        for edit, status in (
            (Edit("merge", (3, 7)), "ok"),
            (Edit("group", (7, 3)), "ok"),
            (Edit("rephrase", (3,), "Nieuw"), "ok"),
            (Edit("rephrase", (3,), None), "ok"),
            (Edit("remove", (7,)), "ok"),
            (Edit("restore", (7,)), "ok"),
            (Edit("merge", (3, 99)), "unknown"),
            (Edit("merge", (3, 3)), "same"),
            (Edit("merge", (3, 5)), "inactive"),
            (Edit("group", (7, 3)), "other_theme"),
            (Edit("group", (7, 3)), "nested"),
            (Edit("rephrase", (3,), "x"), "long"),
            (Edit("rephrase", (3,), "x"), "not_text"),
            (Edit("remove", (3,)), "other"),
        )
    ],
    "dreams/step_pick": [{"missing": None}, {"missing": 7}],
    "dreams/step_image": [
        {"image": image(7, 7, 11, "Fietsen <b>"), "theme": "Mobiliteit & co", "merged_into": None, "parent": None},
        {"image": image(7, 7, 11, "Fietsen", processed_text="Meer fietsen"), "theme": "M", "merged_into": 3, "parent": None},
        {"image": image(7, 7, 11, "Fietsen", removed=True), "theme": "M", "merged_into": None, "parent": None},
        {"image": image(7, 7, 11, "Fietsen", parent_id=3), "theme": "M", "merged_into": None, "parent": 3},
    ],
    "dreams/step_target": [
        {"image": image(7, 7, 11, "Fietsen"), "action": action, "none": none}
        for action in ("merge", "group")
        for none in (False, True)
    ],
    "dreams/step_rephrase": [{"image": image(7, 7, 11, "Fietsen <i>")}],
    "dreams/publish_confirm": [{"count": 12}, {"count": 1}],
    "dreams/summary": [
        {"trajectory": TRAJECTORY, "themes": SUMMARY, "next_session": SESSION},
        {"trajectory": BARE, "themes": SUMMARY[1:], "next_session": None},
    ],
    "dreams/published": [{}],
}
