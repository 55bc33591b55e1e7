"""SMART goals (step 6): drafts written part by part, proposals, the moderator's decisions, the overview.

Every change is checked here against the database, whatever a button said: the theme is chosen in
its trajectory, the person is a joined member (or a moderator) of it, a draft is the person's own,
and only a moderator decides. The SMART check itself is pure (method/goals/smart.py); it is passed in
so the flags are stored in the same transaction as the part they judge.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage import dream_summary, dreams
from storage.convert import trajectory_record
from storage.models import Goal, Membership, Person, Theme, Trajectory
from storage.people import JOINED, LEFT
from storage.records import GoalOutcome, GoalOverview, GoalRecord, GoalTheme

MAX_PART = 1000  # characters in one answer
MAX_DREAMS_SHOWN = 5  # processed dream images per theme in the overview
PARTS = ("specific", "indicator", "baseline", "target", "owner", "means", "deadline", "milestones")

Check = Callable[[Mapping[str, str | None]], list[str]]


def _name(person: Person | None) -> str | None:
    return None if person is None else " ".join(p for p in (person.first_name, person.last_name) if p)


def _record(session: Session, row: Goal) -> GoalRecord:
    theme = session.get_one(Theme, row.theme_id)
    author = session.get(Person, row.author_id) if row.author_id is not None else None
    return GoalRecord(
        id=row.id,
        trajectory_id=row.trajectory_id,
        theme_id=row.theme_id,
        theme_name=theme.name,
        theme_position=theme.position,
        number=row.number,
        author_id=row.author_id,
        author_name=_name(author),
        status=row.status,
        **{part: getattr(row, part) for part in PARTS},
        flags=tuple(json.loads(row.flags or "[]")),
        kept_as_is=row.kept_as_is,
        returned=row.returned_at is not None,
    )


def role(session: Session, trajectory_id: int, telegram_id: int) -> tuple[Person, str] | None:
    """(person, "moderator" | "member") for a moderator or a joined member of the trajectory."""
    row = session.execute(
        select(Person, Membership)
        .join(Membership, Membership.person_id == Person.id)
        .where(Person.telegram_id == telegram_id, Membership.trajectory_id == trajectory_id)
    ).first()
    if row is None:
        return None
    person, membership = row
    if membership.role == "moderator" and membership.status != LEFT:
        return person, "moderator"
    if membership.status == JOINED:
        return person, "member"
    return None


def is_moderator(session: Session, trajectory_id: int, telegram_id: int) -> bool:
    found = role(session, trajectory_id, telegram_id)
    return found is not None and found[1] == "moderator"


def start(session: Session, theme_id: int, telegram_id: int) -> GoalOutcome:
    """A new draft for a chosen theme, or the person's unfinished draft for it (nothing is lost)."""
    theme = session.get(Theme, theme_id)
    if theme is None:
        return GoalOutcome("not_found")
    found = role(session, theme.trajectory_id, telegram_id)
    if found is None:
        return GoalOutcome("not_member")
    if theme.status != "chosen":
        return GoalOutcome("not_chosen")
    person, _ = found
    draft = session.scalar(
        select(Goal)
        .where(Goal.theme_id == theme_id, Goal.author_id == person.id, Goal.status == "draft")
        .order_by(Goal.id)
        .limit(1)
    )
    if draft is not None:
        return GoalOutcome("resumed", _record(session, draft))
    # Numbers are per trajectory; the row lock keeps two members from taking the same one.
    session.get_one(Trajectory, theme.trajectory_id, with_for_update=True)
    number = (session.scalar(select(func.max(Goal.number)).where(Goal.trajectory_id == theme.trajectory_id)) or 0) + 1
    row = Goal(trajectory_id=theme.trajectory_id, theme_id=theme_id, number=number, author_id=person.id, flags="[]")
    session.add(row)
    session.flush()
    return GoalOutcome("ok", _record(session, row))


def get(session: Session, goal_id: int) -> GoalRecord | None:
    row = session.get(Goal, goal_id)
    return row and _record(session, row)


def _editable(session: Session, goal_id: int, telegram_id: int) -> tuple[str, Goal | None]:
    """The goal when this person may change it: the author while it is a draft, a moderator until dropped."""
    row = session.get(Goal, goal_id)
    if row is None:
        return "not_found", None
    found = role(session, row.trajectory_id, telegram_id)
    if found is None:
        return "not_member", None
    person, their_role = found
    if row.status == "dropped":
        return "decided", None
    if row.status == "draft" and row.author_id == person.id:
        return "ok", row
    if their_role == "moderator" and row.status in ("proposed", "approved"):
        return "ok", row
    return "not_allowed", None


def may_edit(session: Session, goal_id: int, telegram_id: int) -> GoalOutcome:
    status, row = _editable(session, goal_id, telegram_id)
    return GoalOutcome(status, row and _record(session, row))


def save_part(session: Session, goal_id: int, telegram_id: int, part: str, value: str, check: Check) -> GoalOutcome:
    """Store one answer and the SMART check of the goal as it now stands."""
    if part not in PARTS:
        raise ValueError(part)
    status, row = _editable(session, goal_id, telegram_id)
    if row is None:
        return GoalOutcome(status)
    setattr(row, part, value[:MAX_PART])
    row.flags = json.dumps(check({name: getattr(row, name) for name in PARTS}))
    row.kept_as_is = False
    session.flush()
    return GoalOutcome("ok", _record(session, row))


def submit(session: Session, goal_id: int, telegram_id: int, now: datetime) -> GoalOutcome:
    """The author is done: a member's goal is proposed, a moderator's own is approved at once.

    Remaining flags stay on the goal (kept as is). Returns ``proposed`` or ``approved``.
    """
    status, row = _editable(session, goal_id, telegram_id)
    if row is None:
        return GoalOutcome(status)
    if row.status != "draft":
        return GoalOutcome("decided", _record(session, row))
    if any(getattr(row, part) is None for part in PARTS):
        return GoalOutcome("incomplete", _record(session, row))
    row.kept_as_is = row.flags not in ("", "[]")
    row.returned_at = None
    if is_moderator(session, row.trajectory_id, telegram_id):
        row.status, row.decided_at = "approved", now
    else:
        row.status = "proposed"
    session.flush()
    return GoalOutcome(row.status, _record(session, row))


def decide(session: Session, goal_id: int, telegram_id: int, action: str, now: datetime) -> GoalOutcome:
    """A moderator approves a proposed goal, or drops a proposed or approved one."""
    row = session.get(Goal, goal_id)
    if row is None:
        return GoalOutcome("not_found")
    if not is_moderator(session, row.trajectory_id, telegram_id):
        return GoalOutcome("not_allowed")
    allowed = ("proposed",) if action == "approve" else ("proposed", "approved")
    returned = row.status == "draft" and row.returned_at is not None
    if row.status not in allowed and not (action == "drop" and returned):
        return GoalOutcome("decided", _record(session, row))
    row.status = "approved" if action == "approve" else "dropped"
    row.kept_as_is = row.flags not in ("", "[]")
    row.decided_at = now
    session.flush()
    return GoalOutcome("ok", _record(session, row))


def send_back(session: Session, goal_id: int, telegram_id: int, now: datetime) -> GoalOutcome:
    """A moderator returns a proposed or approved goal to its author, who reworks it as a draft.

    Only while the author is known (a forgotten author cannot be asked); the flags stay on it.
    """
    row = session.get(Goal, goal_id)
    if row is None:
        return GoalOutcome("not_found")
    if not is_moderator(session, row.trajectory_id, telegram_id):
        return GoalOutcome("not_allowed")
    if row.status not in ("proposed", "approved"):
        return GoalOutcome("decided", _record(session, row))
    if row.author_id is None or role(session, row.trajectory_id, _telegram_id(session, row.author_id)) is None:
        return GoalOutcome("no_author", _record(session, row))
    row.status, row.decided_at, row.kept_as_is = "draft", None, False
    row.returned_at = now
    session.flush()
    return GoalOutcome("ok", _record(session, row))


def _telegram_id(session: Session, person_id: int) -> int:
    return session.get_one(Person, person_id).telegram_id


def discard(session: Session, goal_id: int, telegram_id: int) -> GoalOutcome:
    """The author stops writing: the draft goes (it was never shown to anyone). A goal sent back
    by a moderator was shown, so it stays: the author reworks it, or the moderator drops it."""
    row = session.get(Goal, goal_id)
    person = session.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if row is None or person is None or row.author_id != person.id or row.status != "draft":
        return GoalOutcome("not_found")
    if row.returned_at is not None:
        return GoalOutcome("not_allowed")
    record = _record(session, row)
    session.delete(row)
    return GoalOutcome("ok", record)


def drafts_of(session: Session, telegram_id: int) -> list[GoalRecord]:
    """A person's unfinished goals, in every group where they still take part."""
    rows = session.scalars(
        select(Goal)
        .join(Person, Person.id == Goal.author_id)
        .join(Theme, Theme.id == Goal.theme_id)
        .where(Person.telegram_id == telegram_id, Goal.status == "draft", Theme.status == "chosen")
        .order_by(Goal.id)
    )
    return [_record(session, row) for row in rows if role(session, row.trajectory_id, telegram_id) is not None]


def moderators(session: Session, trajectory_id: int) -> list[tuple[int, str | None]]:
    """(telegram id, private language) of the moderators the bot can write to."""
    rows = session.execute(
        select(Person.telegram_id, Person.language)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.trajectory_id == trajectory_id,
            Membership.role == "moderator",
            Membership.status != LEFT,
            Person.reachable.is_(True),
        )
        .order_by(Person.id)
    ).all()
    return [(telegram_id, language) for telegram_id, language in rows]


def author_chat(session: Session, goal_id: int) -> tuple[int, str] | None:
    """Where to tell the author about a decision: (telegram id, language), when reachable."""
    row = session.get(Goal, goal_id)
    author = session.get(Person, row.author_id) if row is not None and row.author_id is not None else None
    if row is None or author is None or not author.reachable:
        return None
    trajectory = session.get_one(Trajectory, row.trajectory_id)
    return author.telegram_id, author.language or trajectory.language


def overview(session: Session, trajectory_id: int, now: datetime) -> GoalOverview:
    """Per chosen theme: its processed dream images (the first few) and its goals, drafts left out."""
    trajectory = session.get_one(Trajectory, trajectory_id)
    processed = {theme.position: theme for theme in dream_summary.summary(session, trajectory_id, now)}
    themes = []
    for theme in dreams.chosen_themes(session, trajectory_id):
        rows = session.scalars(
            select(Goal)
            .where(Goal.theme_id == theme.id, or_(Goal.status != "draft", Goal.returned_at.is_not(None)))
            .order_by(Goal.number)
        )
        summary = processed.get(theme.position)
        shown = tuple(item.text for item in summary.items) if summary is not None else ()
        themes.append(
            GoalTheme(theme.id, theme.position, theme.name, shown, tuple(_record(session, row) for row in rows))
        )
    return GoalOverview(trajectory_record(trajectory), tuple(themes))


def theme_for_link(session: Session, theme_id: int) -> tuple[int, str] | None:
    """(trajectory id, theme name) of a chosen theme, for a deep link's first check."""
    theme = session.get(Theme, theme_id)
    if theme is None or theme.status != "chosen":
        return None
    return theme.trajectory_id, theme.name
