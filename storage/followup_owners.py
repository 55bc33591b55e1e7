"""Who reports on a followed goal: the owner, handing it on to another member, and where to reach them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from storage.followup import ASK, REMINDER, answered, job_of, open_round_for
from storage.followup_progress import name_of
from storage.goals import role
from storage.models import FollowupAsk, FollowupGoal, FollowupRound, Membership, Person, Trajectory
from storage.people import JOINED, LEFT
from storage.records.followup import AskJob


def is_owner(session: Session, goal_id: int, telegram_id: int) -> bool:
    target = session.get(FollowupGoal, goal_id)
    person = session.scalar(select(Person).where(Person.telegram_id == telegram_id))
    return target is not None and person is not None and target.person_id == person.id


def owner_chat(session: Session, goal_id: int) -> tuple[int, str] | None:
    """(telegram id, language) of the goal's owner, when the bot can write to them."""
    target = session.get(FollowupGoal, goal_id)
    person = session.get(Person, target.person_id) if target is not None and target.person_id is not None else None
    if target is None or person is None or not person.reachable:
        return None
    return person.telegram_id, person.language or session.get_one(Trajectory, target.trajectory_id).language


def candidates(session: Session, goal_id: int, telegram_id: int) -> list[tuple[int, str]] | None:
    """(person id, name) of the members a goal may be handed to; None when the presser may not."""
    target = session.get(FollowupGoal, goal_id)
    if target is None or not _may_hand(session, target, telegram_id):
        return None
    rows = session.execute(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.trajectory_id == target.trajectory_id,
            or_(Membership.status == JOINED, and_(Membership.role == "moderator", Membership.status != LEFT)),
            Person.id != target.person_id,
            Person.forgotten_at.is_(None),
        )
        .order_by(Person.first_name, Person.id)
    ).scalars()
    return [(person.id, name_of(person) or "?") for person in rows]


def _may_hand(session: Session, target: FollowupGoal, telegram_id: int) -> bool:
    found = role(session, target.trajectory_id, telegram_id)
    if found is None:
        return False
    person, their_role = found
    return their_role == "moderator" or person.id == target.person_id


def hand_over(
    session: Session, goal_id: int, telegram_id: int, to_person_id: int, now: datetime, instance_id: str
) -> tuple[str, AskJob | None]:
    """The goal's reporting goes to another member; in an open round they are asked at once.

    Returns (status, the new question claimed by this instance or None)."""
    target = session.get(FollowupGoal, goal_id, with_for_update=True)
    if target is None or target.done_at is not None:
        return "not_followed", None
    if not _may_hand(session, target, telegram_id):
        return "not_owner", None
    if to_person_id not in {pid for pid, _ in candidates(session, goal_id, telegram_id) or []}:
        return "not_member", None
    target.person_id = to_person_id
    session.execute(
        update(FollowupAsk)
        .where(FollowupAsk.goal_id == goal_id, FollowupAsk.state == "pending", FollowupAsk.person_id != to_person_id)
        .values(state="dropped", outcome="handed")
    )
    round_id = open_round_for(session, goal_id)
    if round_id is None or answered(session, goal_id, round_id):
        return "ok", None
    round_row = session.get_one(FollowupRound, round_id)
    exists = session.scalar(
        select(FollowupAsk.id).where(
            FollowupAsk.round_id == round_id, FollowupAsk.goal_id == goal_id, FollowupAsk.person_id == to_person_id
        )
    )
    if exists is not None:
        return "ok", None  # handed back to someone already asked in this round: no second question
    ask = FollowupAsk(
        trajectory_id=target.trajectory_id,
        round_id=round_id,
        goal_id=goal_id,
        person_id=to_person_id,
        kind=ASK,
        due_at=now,
        state="claimed",
        claimed_at=now,
        claimed_by=instance_id,
    )
    # Their one reminder halfway to the round's end, so it still comes before the digest.
    closes = round_row.closes_at or now + timedelta(days=7)
    reminder_due = now + max(timedelta(0), closes - now) / 2
    session.add(ask)
    session.add(
        FollowupAsk(
            trajectory_id=target.trajectory_id,
            round_id=round_id,
            goal_id=goal_id,
            person_id=to_person_id,
            kind=REMINDER,
            due_at=reminder_due,
            state="pending",
        )
    )
    session.flush()
    return "ok", job_of(ask)
