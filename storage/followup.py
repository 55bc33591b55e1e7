"""Goal follow-up, the schedule: the plan, its rounds, the questions to owners, their answers.

Rows first, as for reminders (storage/reminders.py). ``start`` writes the plan and every round
still to come (regular ones at the rhythm, one per goal at its deadline). A tick opens the rounds
that are due (``open_due``: the round row is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and
its questions are written as rows, each with its one reminder), claims the questions that are due
(``claim_due``), checks each at send time (``prepare``) and records how sending went (``finish``);
a question left in ``sending`` by a dead instance may have reached Telegram and becomes ``failed``,
never sent twice. A round closes (``close_due``) when every goal asked has its answer or its time
is up; the instance that closes it posts the digest, once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from method import followup as method
from storage import claims
from storage.convert import trajectory_record
from storage.followup_progress import followed, goals, name_of
from storage.goals import role
from storage.models import (
    FollowupAsk,
    FollowupGoal,
    FollowupPlan,
    FollowupReport,
    FollowupRound,
    Goal,
    Person,
    Trajectory,
)
from storage.records.followup import AskDecision, AskJob, ReportOutcome, RoundClosed

CLAIM_TIMEOUT = claims.CLAIM_TIMEOUT  # storage/claims.py: the same rule for every row sent once
DEADLINE_HOUR = time(9, 0)  # a deadline round asks at 9:00 in the group's time zone
ASK, REMINDER = "ask", "reminder"


# --- the plan ----------------------------------------------------------------------------------


def start(session: Session, trajectory_id: int, now: datetime, cadence: str | None = None) -> bool:
    """Start the follow-up (or change its rhythm); True when it was started now. Idempotent."""
    if cadence is not None and cadence not in method.CADENCES:
        raise ValueError(cadence)
    plan = session.get(FollowupPlan, trajectory_id, with_for_update=True)
    created = plan is None
    if plan is None:
        plan = FollowupPlan(trajectory_id=trajectory_id, cadence=cadence or method.DEFAULT_CADENCE, started_at=now)
        session.add(plan)
        session.flush()
    elif cadence is not None:
        plan.cadence = cadence
    enrol(session, trajectory_id)
    _plan_rounds(session, plan, now)
    return created


def enrol(session: Session, trajectory_id: int) -> int:
    """Every approved goal is followed, its author reporting at first; returns how many were added."""
    known = set(session.scalars(select(FollowupGoal.goal_id).where(FollowupGoal.trajectory_id == trajectory_id)))
    added = 0
    for row in session.scalars(
        select(Goal).where(Goal.trajectory_id == trajectory_id, Goal.status == "approved").order_by(Goal.number)
    ):
        if row.id in known:
            continue
        session.add(
            FollowupGoal(
                goal_id=row.id,
                trajectory_id=trajectory_id,
                person_id=row.author_id,
                deadline_on=method.deadline_day(row.deadline),
            )
        )
        added += 1
    session.flush()
    return added


def _at_nine(day: date, timezone: str) -> datetime:
    return datetime.combine(day, DEADLINE_HOUR, tzinfo=ZoneInfo(timezone))


def _plan_rounds(session: Session, plan: FollowupPlan, now: datetime) -> None:
    """The regular rounds still to come at the plan's rhythm, and a round at each goal's deadline."""
    tid = plan.trajectory_id
    for row in session.scalars(
        select(FollowupRound).where(
            FollowupRound.trajectory_id == tid, FollowupRound.state == "pending", FollowupRound.kind == "regular"
        )
    ):
        session.delete(row)
    session.flush()
    followed_rows = session.scalars(
        select(FollowupGoal).where(FollowupGoal.trajectory_id == tid, FollowupGoal.done_at.is_(None))
    ).all()
    deadlines = [row.deadline_on for row in followed_rows if row.deadline_on is not None]
    for moment in method.round_moments(plan.started_at, plan.cadence, max(deadlines, default=None), now):
        session.add(FollowupRound(trajectory_id=tid, number=0, kind="regular", due_at=moment, state="pending"))
    _plan_deadlines(session, tid, now)


def _plan_deadlines(session: Session, tid: int, now: datetime) -> None:
    """A round at each followed goal's deadline still to come, once per goal."""
    trajectory = session.get_one(Trajectory, tid)
    followed_rows = session.scalars(
        select(FollowupGoal).where(FollowupGoal.trajectory_id == tid, FollowupGoal.done_at.is_(None))
    ).all()
    planned = set(
        session.scalars(
            select(FollowupRound.goal_id).where(FollowupRound.trajectory_id == tid, FollowupRound.kind == "deadline")
        )
    )
    for row in followed_rows:
        if row.deadline_on is None or row.goal_id in planned:
            continue
        due = _at_nine(row.deadline_on, trajectory.timezone)
        if due > now:
            session.add(
                FollowupRound(
                    trajectory_id=tid, number=0, kind="deadline", goal_id=row.goal_id, due_at=due, state="pending"
                )
            )
    session.flush()
    _renumber(session, tid)


def _renumber(session: Session, trajectory_id: int) -> None:
    """Rounds are numbered in the order they come; the ones held keep their number."""
    held = session.scalar(
        select(func.max(FollowupRound.number)).where(
            FollowupRound.trajectory_id == trajectory_id, FollowupRound.state != "pending"
        )
    )
    pending = session.scalars(
        select(FollowupRound)
        .where(FollowupRound.trajectory_id == trajectory_id, FollowupRound.state == "pending")
        .order_by(FollowupRound.due_at, FollowupRound.id)
    ).all()
    for index, row in enumerate(pending, start=(held or 0) + 1):
        row.number = index


def round_now(session: Session, trajectory_id: int, now: datetime) -> bool:
    """The moderator asks for a round now (the next tick opens it); False when one is open already."""
    open_round = session.scalar(
        select(FollowupRound.id)
        .where(FollowupRound.trajectory_id == trajectory_id, FollowupRound.state == "open")
        .limit(1)
    )
    if open_round is not None:
        return False
    # Its own kind, so that a new rhythm (which plans the regular rounds again) leaves it be.
    session.add(FollowupRound(trajectory_id=trajectory_id, number=0, kind="now", due_at=now, state="pending"))
    session.flush()
    _renumber(session, trajectory_id)
    return True


# --- opening rounds, claiming and sending questions -----------------------------------------------


def open_due(
    session: Session, now: datetime, instance_id: str, remind_after: timedelta, window: timedelta
) -> list[int]:
    """Open the rounds that are due: their questions become rows (each with its one reminder)."""
    rows = session.scalars(
        select(FollowupRound)
        .where(FollowupRound.state == "pending", FollowupRound.due_at <= now)
        .order_by(FollowupRound.due_at, FollowupRound.id)
        .limit(20)
        .with_for_update(skip_locked=True)
    ).all()
    opened = []
    for row in rows:
        trajectory = session.get_one(Trajectory, row.trajectory_id)
        if not trajectory.active or trajectory.purged_at is not None:
            row.state = "dropped"
            continue
        if enrol(session, row.trajectory_id):
            _plan_deadlines(session, row.trajectory_id, now)  # goals approved since: their deadline too
        query = (
            select(FollowupGoal)
            .join(Goal, Goal.id == FollowupGoal.goal_id)
            .where(
                FollowupGoal.trajectory_id == row.trajectory_id,
                FollowupGoal.done_at.is_(None),
                FollowupGoal.person_id.is_not(None),
                Goal.status == "approved",
            )
        )
        if row.kind == "deadline":
            query = query.where(FollowupGoal.goal_id == row.goal_id)
        targets = session.scalars(query).all()
        if not targets:
            row.state = "dropped"  # nothing left to ask (every goal done, or no owner)
            continue
        row.state, row.claimed_by, row.claimed_at = "open", instance_id, now
        row.closes_at = now + window
        for target in targets:
            assert target.person_id is not None
            for kind, due in ((ASK, now), (REMINDER, now + remind_after)):
                session.add(
                    FollowupAsk(
                        trajectory_id=row.trajectory_id,
                        round_id=row.id,
                        goal_id=target.goal_id,
                        person_id=target.person_id,
                        kind=kind,
                        due_at=due,
                        state="pending",
                    )
                )
        opened.append(row.id)
    session.flush()
    return opened


def job_of(row: FollowupAsk) -> AskJob:
    return AskJob(row.id, row.trajectory_id, row.round_id, row.goal_id, row.person_id, row.kind)


def claim_due(session: Session, now: datetime, instance_id: str, limit: int = 50) -> list[AskJob]:
    """Take up to ``limit`` due questions and reminders for this instance (stale claims taken over)."""
    return [job_of(row) for row in claims.claim_due(session, FollowupAsk, now, instance_id, limit)]


def answered(session: Session, goal_id: int, round_id: int) -> bool:
    return (
        session.scalar(
            select(FollowupReport.id)
            .where(FollowupReport.goal_id == goal_id, FollowupReport.round_id == round_id)
            .limit(1)
        )
        is not None
    )


def prepare(session: Session, ask_id: int, instance_id: str, now: datetime) -> AskDecision:
    """At send time: drop what is no longer useful, else mark it ``sending`` and say what to write."""
    row = session.scalar(select(FollowupAsk).where(FollowupAsk.id == ask_id).with_for_update())
    if row is None or row.state != "claimed" or row.claimed_by != instance_id:
        return AskDecision("skip", "taken")
    round_row = session.get_one(FollowupRound, row.round_id)
    target = session.get(FollowupGoal, row.goal_id)
    goal = session.get(Goal, row.goal_id)
    person = session.get_one(Person, row.person_id)
    reason = None
    if round_row.state != "open":
        reason = "closed"
    elif target is None or goal is None or goal.status != "approved":
        reason = "dropped"
    elif target.done_at is not None:
        reason = "done"
    elif target.person_id != row.person_id:
        reason = "handed"
    elif answered(session, row.goal_id, row.round_id):
        reason = "answered"
    elif role(session, row.trajectory_id, person.telegram_id) is None:
        reason = "left"
    if reason is not None:
        row.state, row.outcome = "dropped", reason
        return AskDecision("drop", reason, name=name_of(person) or "")
    trajectory = session.get_one(Trajectory, row.trajectory_id)
    name = name_of(person) or ""
    if not person.reachable:
        row.state, row.outcome = "failed", "unreachable"
        return AskDecision(
            "unreachable", "unreachable", person.telegram_id, name, trajectory=trajectory_record(trajectory)
        )
    row.state, row.claimed_at = "sending", now
    assert target is not None
    return AskDecision(
        "send",
        telegram_id=person.telegram_id,
        name=name,
        language=person.language or trajectory.language,
        goal=followed(session, target, now.date()),
        trajectory=trajectory_record(trajectory),
        round_number=round_row.number,
        round_kind=round_row.kind,
    )


def finish(
    session: Session, ask_id: int, instance_id: str, state: str, now: datetime, outcome: str | None = None
) -> bool:
    """Record how sending went: ``sent``, ``failed``, or ``pending`` again (a passing network error)."""
    return claims.finish(session, FollowupAsk, ask_id, instance_id, state, now, outcome)


# --- answers --------------------------------------------------------------------------------------


def open_round_for(session: Session, goal_id: int) -> int | None:
    """The open round that asked about this goal, if any."""
    return session.scalar(
        select(FollowupRound.id)
        .join(FollowupAsk, FollowupAsk.round_id == FollowupRound.id)
        .where(FollowupAsk.goal_id == goal_id, FollowupRound.state == "open")
        .order_by(FollowupRound.due_at.desc())
        .limit(1)
    )


def record(
    session: Session, goal_id: int, telegram_id: int, value: float | None, note: str | None, now: datetime
) -> ReportOutcome:
    """The owner's report: a value (None: "nothing changed", the last value again) and a line.

    A second report in the same round corrects the first. Reaching the target marks the goal done.
    """
    target = session.get(FollowupGoal, goal_id, with_for_update=True)
    goal = session.get(Goal, goal_id)
    person = session.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if target is None or goal is None or goal.status != "approved":
        return ReportOutcome("not_followed")
    if person is None or target.person_id != person.id or role(session, target.trajectory_id, telegram_id) is None:
        return ReportOutcome("not_owner")
    if target.done_at is not None:
        return ReportOutcome("done", followed(session, target, now.date()))
    current = followed(session, target, now.date())
    changed = value is not None
    if value is None:
        value = current.last.value if current.last is not None else current.start_value
        if value is None:
            return ReportOutcome("no_value", current)
    round_id = open_round_for(session, goal_id)
    row = None
    if round_id is not None:
        row = session.scalar(
            select(FollowupReport).where(FollowupReport.goal_id == goal_id, FollowupReport.round_id == round_id)
        )
    if row is None:
        row = FollowupReport(goal_id=goal_id, round_id=round_id, person_id=person.id, value=value, reported_at=now)
        session.add(row)
    row.value, row.changed, row.note, row.reported_at = value, changed, note, now
    session.flush()
    current = followed(session, target, now.date())
    if current.status == method.DONE:
        target.done_at = now
        session.execute(
            update(FollowupAsk)
            .where(FollowupAsk.goal_id == goal_id, FollowupAsk.state == "pending")
            .values(state="dropped", outcome="done")
        )
        current = followed(session, target, now.date())
    waiting = _still_to_answer(session, person.id, exclude=goal_id)
    return ReportOutcome("ok", current, *(waiting or (None, None)))


def set_note(session: Session, goal_id: int, telegram_id: int, note: str) -> bool:
    """The line on what happened, for the owner's latest report on the goal."""
    target = session.get(FollowupGoal, goal_id)
    person = session.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if target is None or person is None or target.person_id != person.id:
        return False
    row = session.scalar(
        select(FollowupReport)
        .where(FollowupReport.goal_id == goal_id)
        .order_by(FollowupReport.reported_at.desc(), FollowupReport.id.desc())
        .limit(1)
    )
    if row is None:
        return False
    row.note = note
    return True


def record_state(session: Session, goal_id: int, telegram_id: int, now: datetime) -> ReportOutcome:
    """Where a goal stands for its owner after a report, and what they still have to answer."""
    target = session.get(FollowupGoal, goal_id)
    person = session.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if target is None or person is None or target.person_id != person.id:
        return ReportOutcome("not_owner")
    waiting = _still_to_answer(session, person.id, exclude=goal_id)
    return ReportOutcome("ok", followed(session, target, now.date()), *(waiting or (None, None)))


def _still_to_answer(session: Session, person_id: int, exclude: int) -> tuple[int, int] | None:
    """(goal, round) of another question this person was sent in an open round and did not answer."""
    rows = session.execute(
        select(FollowupAsk.goal_id, FollowupAsk.round_id)
        .join(FollowupRound, FollowupRound.id == FollowupAsk.round_id)
        .join(FollowupGoal, FollowupGoal.goal_id == FollowupAsk.goal_id)
        .where(
            FollowupAsk.person_id == person_id,
            FollowupAsk.kind == ASK,
            FollowupAsk.state == "sent",
            FollowupAsk.goal_id != exclude,
            FollowupRound.state == "open",
            FollowupGoal.done_at.is_(None),
            FollowupGoal.person_id == person_id,
        )
        .order_by(FollowupAsk.id)
    ).all()
    for goal_id, round_id in rows:
        if not answered(session, goal_id, round_id):
            return goal_id, round_id
    return None


# --- closing rounds ---------------------------------------------------------------------------------


def close_due(session: Session, now: datetime, instance_id: str) -> list[RoundClosed]:
    """Close the open rounds whose time is up or whose every goal has its answer, once each."""
    rows = session.scalars(
        select(FollowupRound)
        .where(FollowupRound.state == "open")
        .order_by(FollowupRound.closes_at, FollowupRound.id)
        .limit(20)
        .with_for_update(skip_locked=True)
    ).all()
    closed = []
    for row in rows:
        asked = sorted(
            set(
                session.scalars(
                    select(FollowupAsk.goal_id).where(FollowupAsk.round_id == row.id, FollowupAsk.kind == ASK)
                )
            )
        )
        targets = {t.goal_id: t for t in session.scalars(select(FollowupGoal).where(FollowupGoal.goal_id.in_(asked)))}
        reported = [goal_id for goal_id in asked if answered(session, goal_id, row.id)]
        waiting = [
            goal_id
            for goal_id in asked
            if goal_id not in reported and goal_id in targets and targets[goal_id].done_at is None
        ]
        if waiting and (row.closes_at is None or row.closes_at > now):
            continue
        row.state, row.claimed_by, row.claimed_at = "closed", instance_id, now
        session.execute(
            update(FollowupAsk)
            .where(FollowupAsk.round_id == row.id, FollowupAsk.state == "pending")
            .values(state="dropped", outcome="closed")
        )
        missing = sorted(
            {
                name_of(session.get(Person, targets[goal_id].person_id)) or "?"
                for goal_id in waiting
                if targets[goal_id].person_id is not None
            }
        )
        trajectory = session.get_one(Trajectory, row.trajectory_id)
        shown = [g for g in goals(session, row.trajectory_id, now.date()) if g.goal_id in asked]
        closed.append(
            RoundClosed(
                row.id,
                trajectory_record(trajectory),
                row.number,
                row.kind,
                tuple(shown),
                tuple(reported),
                tuple(missing),
            )
        )
    session.flush()
    return closed
