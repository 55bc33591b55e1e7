"""Reminders before the next session: rows first, claimed by whichever instance ticks.

A reminder goes ``pending`` → ``claimed`` (an instance took it, :func:`claim_due`) →
``sending`` (checked and about to go out, :func:`prepare`) → ``sent`` | ``failed``; or to
``dropped`` when it is no longer useful at send time (the session started, the member is done or
left, a later reminder supersedes it). Claiming uses ``SELECT ... FOR UPDATE SKIP LOCKED``, so
instances sharing one PostgreSQL database never take the same row (SQLite ignores the clause; it
runs one instance per file; storage/claims.py). A claim older than :data:`CLAIM_TIMEOUT` belongs to an instance that
died before it sent anything and is taken again; a row left in ``sending`` that long may or may
not have reached Telegram and becomes ``failed`` (outcome ``unknown``), never sent twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from storage import claims
from storage.convert import trajectory_record
from storage.models import (
    DreamCollection,
    DreamDone,
    DreamImage,
    Meeting,
    Membership,
    Person,
    Reminder,
    Theme,
    Trajectory,
)
from storage.people import JOINED
from storage.records import DreamTheme, NextSession, ReminderDecision, ReminderJob

AUTO, MANUAL = "auto", "manual"
CLAIM_TIMEOUT = claims.CLAIM_TIMEOUT  # storage/claims.py: the same rule for every row sent once
# A member gets no second reminder for the same session within this time (moments that were
# changed, a moderator who presses twice).
MIN_GAP = {AUTO: timedelta(hours=6), MANUAL: timedelta(minutes=10)}
DEFAULT_HOURS = (72, 24)


def parse_hours(text: str | None) -> tuple[int, ...]:
    """The stored moments ("72,24") as hours, largest first."""
    if not text:
        return ()
    return tuple(sorted({int(part) for part in text.split(",") if part.strip().isdigit()}, reverse=True))


# --- the next session -------------------------------------------------------------------------


def _planned(session: Session, trajectory_id: int, now: datetime) -> Meeting | None:
    return session.scalar(
        select(Meeting)
        .where(Meeting.trajectory_id == trajectory_id, Meeting.opened_at.is_(None), Meeting.starts_at > now)
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def _next_session(row: Meeting | None) -> NextSession | None:
    if row is None or row.starts_at is None:
        return None
    return NextSession(row.id, row.trajectory_id, row.starts_at, row.ics_sequence, row.ends_at)


def next_session(session: Session, trajectory_id: int, now: datetime) -> NextSession | None:
    """The planned session still to come (not opened with /sessie yet)."""
    return _next_session(_planned(session, trajectory_id, now))


def plan_session(
    session: Session, trajectory_id: int, starts_at: datetime, now: datetime, ends_at: datetime | None = None
) -> tuple[NextSession, datetime | None]:
    """Record the next session, or move the planned one; returns it and its former start.

    Moving it bumps the calendar sequence and replaces the reminders that were still pending;
    those already sent stay, so nobody gets the same reminder twice. A new end alone (the same
    start) only updates the invitation.
    """
    row = _planned(session, trajectory_id, now)
    before = None
    if row is None:
        row = Meeting(trajectory_id=trajectory_id, starts_at=starts_at, ends_at=ends_at, opened_at=None, ics_sequence=0)
        session.add(row)
        session.flush()
    elif row.starts_at != starts_at:
        before = row.starts_at
        row.starts_at = starts_at
        row.ends_at = ends_at
        row.ics_sequence += 1
        _drop_pending(session, row.id)
    elif row.ends_at != ends_at:
        row.ends_at = ends_at
        row.ics_sequence += 1
    sync(session, trajectory_id, now)
    planned = _next_session(row)
    assert planned is not None
    return planned, before


def _drop_pending(session: Session, meeting_id: int) -> None:
    session.execute(
        delete(Reminder).where(Reminder.meeting_id == meeting_id, Reminder.kind == AUTO, Reminder.state == "pending")
    )


def set_hours(session: Session, trajectory_id: int, hours: tuple[int, ...], now: datetime) -> bool:
    """New reminder moments (hours before the session); False when no collection runs."""
    collection = session.scalar(select(DreamCollection).where(DreamCollection.trajectory_id == trajectory_id))
    if collection is None:
        return False
    collection.reminder_hours = ",".join(str(h) for h in sorted(set(hours), reverse=True))
    planned = _planned(session, trajectory_id, now)
    if planned is not None:
        _drop_pending(session, planned.id)
    sync(session, trajectory_id, now)
    return True


def sync(session: Session, trajectory_id: int, now: datetime) -> int:
    """Make sure every joined member has a row for every moment still to come; returns how many
    rows are pending. Idempotent (the unique key swallows what exists), so any instance may call it."""
    collection = session.scalar(select(DreamCollection).where(DreamCollection.trajectory_id == trajectory_id))
    planned = _planned(session, trajectory_id, now)
    if collection is None or collection.published_at is not None or planned is None or planned.starts_at is None:
        return 0
    members = session.scalars(
        select(Membership.person_id).where(Membership.trajectory_id == trajectory_id, Membership.status == JOINED)
    ).all()
    rows = [
        {
            "trajectory_id": trajectory_id,
            "meeting_id": planned.id,
            "person_id": person_id,
            "kind": AUTO,
            "due_at": due,
            "state": "pending",
        }
        for person_id in members
        for hours in parse_hours(collection.reminder_hours)
        if (due := planned.starts_at - timedelta(hours=hours)) > now
    ]
    _insert_ignoring_duplicates(session, rows)
    return (
        session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.meeting_id == planned.id, Reminder.state == "pending")
        )
        or 0
    )


def _insert_ignoring_duplicates(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(Reminder).values(rows).on_conflict_do_nothing())


def pending_moments(session: Session, trajectory_id: int, now: datetime) -> tuple[datetime, ...]:
    """The moments automatic reminders are still planned for (for the moderator's overview)."""
    planned = _planned(session, trajectory_id, now)
    if planned is None:
        return ()
    return tuple(
        session.scalars(
            select(Reminder.due_at)
            .where(Reminder.meeting_id == planned.id, Reminder.kind == AUTO, Reminder.state == "pending")
            .distinct()
            .order_by(Reminder.due_at)
        )
    )


# --- claiming and sending -------------------------------------------------------------------------


def _job(row: Reminder) -> ReminderJob:
    return ReminderJob(row.id, row.trajectory_id, row.meeting_id, row.person_id, row.kind, row.due_at)


def claim_due(session: Session, now: datetime, instance_id: str, limit: int = 50) -> list[ReminderJob]:
    """Take up to ``limit`` due reminders for this instance, in one transaction.

    Rows another instance holds locked are skipped, not waited for; rows it claimed are no longer
    ``pending``. A stale claim (the instance died before sending) is taken over.
    """
    return [_job(row) for row in claims.claim_due(session, Reminder, now, instance_id, limit)]


def create_manual(session: Session, trajectory_id: int, now: datetime, instance_id: str) -> list[ReminderJob]:
    """/herinner: a reminder now for every joined member, claimed at once by this instance.

    With no session still to come, it belongs to the last session held since collecting started,
    so it is dropped (nothing is sent after that session started)."""
    planned = _planned(session, trajectory_id, now)
    collection = session.scalar(select(DreamCollection).where(DreamCollection.trajectory_id == trajectory_id))
    if planned is None and collection is not None:
        planned = session.scalar(
            select(Meeting)
            .where(
                Meeting.trajectory_id == trajectory_id,
                Meeting.starts_at > collection.started_at,
                Meeting.starts_at <= now,
            )
            .order_by(Meeting.starts_at.desc())
            .limit(1)
        )
    members = session.scalars(
        select(Membership.person_id).where(Membership.trajectory_id == trajectory_id, Membership.status == JOINED)
    ).all()
    meeting_id = planned.id if planned else None
    taken = set(
        session.scalars(
            select(Reminder.person_id).where(
                Reminder.trajectory_id == trajectory_id,
                Reminder.meeting_id == meeting_id,
                Reminder.kind == MANUAL,
                Reminder.due_at == now,
            )
        )
    )
    rows = []
    for person_id in members:
        if person_id in taken:
            continue  # the same moment twice (a double press): one row
        row = Reminder(
            trajectory_id=trajectory_id,
            meeting_id=meeting_id,
            person_id=person_id,
            kind=MANUAL,
            due_at=now,
            state="claimed",
            claimed_at=now,
            claimed_by=instance_id,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return [_job(row) for row in rows]


def prepare(session: Session, reminder_id: int, instance_id: str, now: datetime) -> ReminderDecision:
    """At send time: drop what is no longer useful, else mark it ``sending`` and say what to write."""
    row = session.scalar(select(Reminder).where(Reminder.id == reminder_id).with_for_update())
    if row is None or row.state != "claimed" or row.claimed_by != instance_id:
        return ReminderDecision("skip", "taken")
    trajectory = session.get_one(Trajectory, row.trajectory_id)
    person = session.get_one(Person, row.person_id)
    themes = chosen_themes(session, row.trajectory_id)
    done = set(
        session.scalars(
            select(DreamDone.theme_id).where(
                DreamDone.person_id == row.person_id, DreamDone.theme_id.in_([t.id for t in themes])
            )
        )
    )
    meeting = session.get(Meeting, row.meeting_id) if row.meeting_id is not None else None
    reason = _why_not(session, row, trajectory, themes, done, meeting, now)
    name = " ".join(part for part in (person.first_name, person.last_name) if part)
    if reason is None and not person.reachable:
        row.state, row.outcome = "failed", "unreachable"
        return ReminderDecision(
            "unreachable", "unreachable", person.telegram_id, name, trajectory=trajectory_record(trajectory)
        )
    if reason is not None:
        row.state, row.outcome = "dropped", reason
        return ReminderDecision("drop", reason)
    row.state, row.claimed_at = "sending", now
    counts = dict(
        session.execute(
            select(DreamImage.theme_id, func.count())
            .where(DreamImage.person_id == row.person_id, DreamImage.trajectory_id == row.trajectory_id)
            .group_by(DreamImage.theme_id)
        ).all()
    )
    return ReminderDecision(
        "send",
        telegram_id=person.telegram_id,
        name=name,
        language=person.language or trajectory.language,
        trajectory=trajectory_record(trajectory),
        starts_at=meeting.starts_at if meeting is not None else None,
        missing=tuple((theme, counts.get(theme.id, 0)) for theme in themes if theme.id not in done),
        total_themes=len(themes),
    )


def _why_not(
    session: Session,
    row: Reminder,
    trajectory: Trajectory,
    themes: list[DreamTheme],
    done: set[int],
    meeting: Meeting | None,
    now: datetime,
) -> str | None:
    """Why this reminder should not go out now, or None."""
    collection = session.scalar(select(DreamCollection).where(DreamCollection.trajectory_id == row.trajectory_id))
    if not trajectory.active or collection is None or collection.published_at is not None or not themes:
        return "closed"
    if meeting is not None and (
        meeting.opened_at is not None or (meeting.starts_at is not None and meeting.starts_at <= now)
    ):
        return "session_started"
    status = session.scalar(
        select(Membership.status).where(
            Membership.trajectory_id == row.trajectory_id, Membership.person_id == row.person_id
        )
    )
    if status != JOINED:
        return "left"
    if all(theme.id in done for theme in themes):
        return "done"
    if row.kind == AUTO and row.meeting_id is not None:
        later = session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.meeting_id == row.meeting_id,
                Reminder.person_id == row.person_id,
                Reminder.kind == AUTO,
                Reminder.due_at > row.due_at,
                Reminder.due_at <= now,
                Reminder.state.in_(("pending", "claimed")),
            )
        )
        if later:
            return "superseded"  # back after downtime: only the latest due moment goes out
    cutoff = now - MIN_GAP.get(row.kind, MIN_GAP[AUTO])
    recent = session.scalar(
        select(func.count())
        .select_from(Reminder)
        .where(
            Reminder.trajectory_id == row.trajectory_id,
            Reminder.person_id == row.person_id,
            Reminder.id != row.id,
            or_(and_(Reminder.state == "sent", Reminder.sent_at > cutoff), Reminder.state == "sending"),
        )
    )
    if recent:
        return "recent"
    return None


def finish(
    session: Session, reminder_id: int, instance_id: str, state: str, now: datetime, outcome: str | None = None
) -> bool:
    """Record how sending went: ``sent``, ``failed``, or ``pending`` again (a passing network error)."""
    return claims.finish(session, Reminder, reminder_id, instance_id, state, now, outcome)


def mark_unreachable(session: Session, person_id: int) -> None:
    """Telegram refused a private message: the person blocked the bot or never opened the chat."""
    person = session.get(Person, person_id)
    if person is not None:
        person.reachable = False


def moderators(session: Session, trajectory_id: int) -> list[tuple[int, str, bool]]:
    """(telegram id, language, reachable) of the trajectory's moderators."""
    trajectory = session.get_one(Trajectory, trajectory_id)
    rows = session.execute(
        select(Person.telegram_id, Person.language, Person.reachable)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.trajectory_id == trajectory_id, Membership.role == "moderator", Membership.status != "left")
        .order_by(Person.id)
    ).all()
    return [(telegram_id, language or trajectory.language, reachable) for telegram_id, language, reachable in rows]


def chosen_themes(session: Session, trajectory_id: int) -> list[DreamTheme]:
    """The chosen themes of a trajectory, in their order."""
    rows = session.execute(
        select(Theme.id, Theme.position, Theme.name, Theme.source_code)
        .where(Theme.trajectory_id == trajectory_id, Theme.status == "chosen")
        .order_by(Theme.position)
    ).all()
    return [DreamTheme(*row) for row in rows]


def states(session: Session, trajectory_id: int | None = None) -> list[tuple[int, str, str, datetime, str, str | None]]:
    """(person id, kind, state, due, claimed by, outcome) of every reminder: for tests and support."""
    query = select(
        Reminder.person_id, Reminder.kind, Reminder.state, Reminder.due_at, Reminder.claimed_by, Reminder.outcome
    )
    if trajectory_id is not None:
        query = query.where(Reminder.trajectory_id == trajectory_id)
    return [tuple(row) for row in session.execute(query.order_by(Reminder.due_at, Reminder.person_id, Reminder.id))]
