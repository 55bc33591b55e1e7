"""The follow-up as read: each followed goal with its reports and where it stands (/voortgang, the
digest, the report). The schedule and the questions are in storage/followup.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from method import followup as method
from storage.models import FollowupAsk, FollowupGoal, FollowupPlan, FollowupReport, FollowupRound, Goal, Person, Theme
from storage.records.followup import FollowedGoal, PlanRecord, ValueReport


def name_of(person: Person | None) -> str | None:
    if person is None or person.forgotten_at is not None:
        return None
    return " ".join(part for part in (person.first_name, person.last_name) if part) or None


def followed(session: Session, row: FollowupGoal, today: date) -> FollowedGoal:
    """One followed goal as it stands on ``today``."""
    goal = session.get_one(Goal, row.goal_id)
    theme = session.get_one(Theme, goal.theme_id)
    plan = session.get(FollowupPlan, row.trajectory_id)
    started_on = plan.started_at.date() if plan is not None else today
    reports = tuple(
        ValueReport(r.reported_at, r.value, r.changed, r.note)
        for r in session.scalars(
            select(FollowupReport)
            .where(FollowupReport.goal_id == row.goal_id)
            .order_by(FollowupReport.reported_at, FollowupReport.id)
        )
    )
    path = method.path_of(goal.baseline, goal.target, started_on, row.deadline_on)
    state = method.status(path, [(r.reported_at.date(), r.value) for r in reports])
    if row.done_at is not None:
        state = method.DONE
    person = session.get(Person, row.person_id) if row.person_id is not None else None
    return FollowedGoal(
        goal_id=goal.id,
        trajectory_id=goal.trajectory_id,
        number=goal.number,
        theme_position=theme.position,
        theme_name=theme.name,
        specific=goal.specific,
        indicator=goal.indicator,
        baseline=goal.baseline,
        target=goal.target,
        deadline=goal.deadline,
        unit=method.goal_unit(goal.baseline, goal.target),
        start_value=path.start,
        target_value=path.target,
        started_on=started_on,
        deadline_on=row.deadline_on,
        person_id=row.person_id,
        owner_name=name_of(person),
        done=row.done_at is not None,
        reports=reports,
        status=state,
    )


def goal(session: Session, goal_id: int, today: date) -> FollowedGoal | None:
    row = session.get(FollowupGoal, goal_id)
    return None if row is None else followed(session, row, today)


def goals(session: Session, trajectory_id: int, today: date) -> list[FollowedGoal]:
    """Every followed goal of the trajectory (still approved), by theme and number."""
    rows = session.scalars(
        select(FollowupGoal)
        .join(Goal, Goal.id == FollowupGoal.goal_id)
        .join(Theme, Theme.id == Goal.theme_id)
        .where(FollowupGoal.trajectory_id == trajectory_id, Goal.status == "approved")
        .order_by(Theme.position, Goal.number)
    ).all()
    return [followed(session, row, today) for row in rows]


def plan(session: Session, trajectory_id: int) -> PlanRecord | None:
    row = session.get(FollowupPlan, trajectory_id)
    if row is None:
        return None
    following = session.scalar(
        select(FollowupRound.due_at)
        .where(FollowupRound.trajectory_id == trajectory_id, FollowupRound.state == "pending")
        .order_by(FollowupRound.due_at)
        .limit(1)
    )
    count = len(session.scalars(select(FollowupGoal.goal_id).where(FollowupGoal.trajectory_id == trajectory_id)).all())
    return PlanRecord(trajectory_id, row.cadence, row.started_at, following, count)


def has_reports(session: Session, trajectory_id: int) -> bool:
    return (
        session.scalar(
            select(FollowupReport.id)
            .join(Goal, Goal.id == FollowupReport.goal_id)
            .where(Goal.trajectory_id == trajectory_id)
            .limit(1)
        )
        is not None
    )


def states(session: Session, trajectory_id: int) -> list[tuple[int, int, str, str, str | None]]:
    """(round number, goal id, kind, state, outcome) of every question: for tests and support."""
    rows = session.execute(
        select(FollowupRound.number, FollowupAsk.goal_id, FollowupAsk.kind, FollowupAsk.state, FollowupAsk.outcome)
        .join(FollowupRound, FollowupRound.id == FollowupAsk.round_id)
        .where(FollowupAsk.trajectory_id == trajectory_id)
        .order_by(FollowupRound.number, FollowupAsk.goal_id, FollowupAsk.kind, FollowupAsk.id)
    ).all()
    return [tuple(row) for row in rows]
