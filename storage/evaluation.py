"""The closing evaluation (step 8) and closing the trajectory.

Anonymity, as with ballots: an answer (``evaluation_answer``) holds no person and carries the
evaluation's start time rather than the moment it was written; who got the questions and how far
they are is kept apart (``evaluation_delivery``), where an answered and a skipped question look
the same. Every member action is checked here against the database, whatever a button said.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from method.evaluation.digest import digest_order, weak_anonymity
from method.evaluation.questions import QUESTIONS, next_question, parse_handled, store_handled
from storage import people
from storage.convert import trajectory_record
from storage.models import Evaluation, EvaluationAnswer, EvaluationDelivery, Membership, Person, Trajectory
from storage.people import JOINED, LEFT
from storage.records import (
    EvaluationDigest,
    EvaluationDigestQuestion,
    EvaluationProgress,
    EvaluationRecipient,
    EvaluationRecord,
    EvaluationStep,
)


def _record(row: Evaluation) -> EvaluationRecord:
    return EvaluationRecord(row.id, row.trajectory_id, row.started_at, row.closed_at)


def _name(person: Person) -> str:
    return " ".join(part for part in (person.first_name, person.last_name) if part)


def _row(session: Session, trajectory_id: int, *, lock: bool = False) -> Evaluation | None:
    query = select(Evaluation).where(Evaluation.trajectory_id == trajectory_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def _joined(session: Session, trajectory_id: int) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.trajectory_id == trajectory_id, Membership.status == JOINED)
            .order_by(Person.first_name, Person.id)
        )
    )


# --- the evaluation -------------------------------------------------------------------------------


def evaluation(session: Session, trajectory_id: int) -> EvaluationRecord | None:
    row = _row(session, trajectory_id)
    return row and _record(row)


def trajectory_closed_at(session: Session, trajectory_id: int) -> datetime | None:
    return session.get_one(Trajectory, trajectory_id).closed_at


def start(session: Session, trajectory_id: int, now: datetime) -> tuple[EvaluationRecord, bool]:
    """Start the evaluation (once per trajectory) with a delivery row per joined member;
    returns it and whether it is new."""
    row = _row(session, trajectory_id)
    if row is not None:
        return _record(row), False
    row = Evaluation(trajectory_id=trajectory_id, started_at=now)
    session.add(row)
    session.flush()
    for person in _joined(session, trajectory_id):
        session.add(EvaluationDelivery(evaluation_id=row.id, person_id=person.id, done=False, failed=False))
    session.flush()
    return _record(row), True


def recipients(session: Session, trajectory_id: int) -> list[EvaluationRecipient]:
    """Joined members who are not done yet: they get (again) their next question."""
    row = _row(session, trajectory_id)
    if row is None:
        return []
    done = set(
        session.scalars(
            select(EvaluationDelivery.person_id).where(
                EvaluationDelivery.evaluation_id == row.id, EvaluationDelivery.done.is_(True)
            )
        )
    )
    return [
        EvaluationRecipient(p.id, p.telegram_id, _name(p), p.reachable)
        for p in _joined(session, trajectory_id)
        if p.id not in done
    ]


def _step(
    session: Session, row: Evaluation, person: Person, delivery: EvaluationDelivery, status: str
) -> EvaluationStep:
    trajectory = session.get_one(Trajectory, row.trajectory_id)
    handled = parse_handled(delivery.answered)
    return EvaluationStep(
        status=status,
        evaluation=_record(row),
        trajectory=trajectory_record(trajectory),
        person_id=person.id,
        language=person.language or trajectory.language,
        handled=handled,
        next_question=next_question(handled),
        message_id=delivery.message_id,
    )


def _open(row: Evaluation | None) -> bool:
    return row is not None and row.closed_at is None


def member_step(session: Session, trajectory_id: int, telegram_id: int) -> EvaluationStep:
    """Where a member stands; a joined member without a delivery row (joined later) gets one."""
    row = _row(session, trajectory_id)
    person = people.joined_person(session, trajectory_id, telegram_id)
    if person is None:
        return EvaluationStep("not_member")
    if row is None or not _open(row) or session.get_one(Trajectory, trajectory_id).closed_at is not None:
        return EvaluationStep("closed", evaluation=row and _record(row))
    delivery = session.get(EvaluationDelivery, (row.id, person.id))
    if delivery is None:
        delivery = EvaluationDelivery(evaluation_id=row.id, person_id=person.id, done=False, failed=False)
        session.add(delivery)
        session.flush()
    return _step(session, row, person, delivery, "ok")


def record_sent(session: Session, evaluation_id: int, person_id: int, message_id: int | None) -> None:
    delivery = session.get(EvaluationDelivery, (evaluation_id, person_id))
    if delivery is not None:
        delivery.message_id, delivery.failed = message_id, False


def mark_failed(session: Session, evaluation_id: int, person_id: int) -> None:
    """Telegram refused the private message: the person never opened the chat or blocked the bot."""
    delivery = session.get(EvaluationDelivery, (evaluation_id, person_id))
    if delivery is not None:
        delivery.failed = True
    person = session.get(Person, person_id)
    if person is not None:
        person.reachable = False


def handle(session: Session, evaluation_id: int, telegram_id: int, question: str, text: str | None) -> EvaluationStep:
    """A member answers (``text``) or skips (None) ``question``; it must be their next one.

    The answer is stored without the person; the delivery only learns the question is handled.
    """
    row = session.get(Evaluation, evaluation_id)
    if row is None:
        return EvaluationStep("not_member")
    person = people.joined_person(session, row.trajectory_id, telegram_id)
    delivery = (
        session.scalar(
            select(EvaluationDelivery)
            .where(EvaluationDelivery.evaluation_id == row.id, EvaluationDelivery.person_id == person.id)
            .with_for_update()
        )
        if person is not None
        else None
    )
    if person is None or delivery is None:
        return EvaluationStep("not_member")
    if not _open(row) or session.get_one(Trajectory, row.trajectory_id).closed_at is not None:
        return EvaluationStep("closed", evaluation=_record(row))
    handled = parse_handled(delivery.answered)
    if question not in QUESTIONS or question in handled or question != next_question(handled):
        return _step(session, row, person, delivery, "already")
    if text is not None:
        # The evaluation's start, not now: when an answer was written must not tell who wrote it.
        session.add(EvaluationAnswer(evaluation_id=row.id, question=question, text=text, created_at=row.started_at))
    delivery.answered = store_handled((*handled, question))
    delivery.done = next_question(parse_handled(delivery.answered)) is None
    session.flush()
    return _step(session, row, person, delivery, "ok")


def open_for(session: Session, telegram_id: int) -> list[int]:
    """Trajectories with an open evaluation where this person is a joined member and not done."""
    rows = session.execute(
        select(Evaluation.trajectory_id, EvaluationDelivery.done)
        .join(Membership, Membership.trajectory_id == Evaluation.trajectory_id)
        .join(Person, Person.id == Membership.person_id)
        .join(Trajectory, Trajectory.id == Evaluation.trajectory_id)
        .outerjoin(
            EvaluationDelivery,
            (EvaluationDelivery.evaluation_id == Evaluation.id) & (EvaluationDelivery.person_id == Person.id),
        )
        .where(
            Person.telegram_id == telegram_id,
            Membership.status == JOINED,
            Evaluation.closed_at.is_(None),
            Trajectory.closed_at.is_(None),
            Trajectory.active.is_(True),
        )
        .order_by(Evaluation.trajectory_id)
    ).all()
    return [trajectory_id for trajectory_id, done in rows if not done]


def moderated_closed(session: Session, telegram_id: int) -> list[int]:
    """Trajectories this person moderates whose evaluation is closed (their digest can be sent again)."""
    return list(
        session.scalars(
            select(Evaluation.trajectory_id)
            .join(Membership, Membership.trajectory_id == Evaluation.trajectory_id)
            .join(Person, Person.id == Membership.person_id)
            .where(
                Person.telegram_id == telegram_id,
                Membership.role == "moderator",
                Membership.status != LEFT,
                Evaluation.closed_at.is_not(None),
            )
            .order_by(Evaluation.trajectory_id)
        )
    )


# --- the moderator's view -------------------------------------------------------------------------


def _answer_counts(session: Session, evaluation_id: int) -> dict[str, int]:
    found = dict(
        session.execute(
            select(EvaluationAnswer.question, func.count())
            .where(EvaluationAnswer.evaluation_id == evaluation_id)
            .group_by(EvaluationAnswer.question)
        ).all()
    )
    return {key: found.get(key, 0) for key in QUESTIONS}


def progress(session: Session, trajectory_id: int) -> EvaluationProgress:
    """Counts only: how many are done or under way, and the answers per question."""
    row = _row(session, trajectory_id)
    joined = _joined(session, trajectory_id)
    seen = session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.trajectory_id == trajectory_id, Membership.status.notin_((JOINED, LEFT)))
        .order_by(Person.first_name, Person.id)
    ).all()
    deliveries = (
        {
            d.person_id: d
            for d in session.scalars(select(EvaluationDelivery).where(EvaluationDelivery.evaluation_id == row.id))
        }
        if row is not None
        else {}
    )
    done = started = 0
    for person in joined:
        delivery = deliveries.get(person.id)
        if delivery is None:
            continue
        if delivery.done:
            done += 1
        elif parse_handled(delivery.answered):
            started += 1
    unreachable = []
    for person in joined:
        delivery = deliveries.get(person.id)
        if not (delivery is not None and delivery.done) and (not person.reachable or (delivery and delivery.failed)):
            unreachable.append(_name(person))
    return EvaluationProgress(
        evaluation=row and _record(row),
        members=len(joined),
        done=done,
        started=started,
        answers=_answer_counts(session, row.id) if row is not None else dict.fromkeys(QUESTIONS, 0),
        unreachable=tuple(unreachable),
        not_joined=tuple(_name(p) for p in seen),
    )


def close(session: Session, trajectory_id: int, now: datetime) -> tuple[EvaluationRecord | None, bool]:
    """Close the evaluation; returns it and whether this call closed it (so the digest goes once)."""
    row = _row(session, trajectory_id, lock=True)
    if row is None:
        return None, False
    if row.closed_at is not None:
        return _record(row), False
    row.closed_at = now
    return _record(row), True


def evaluation_digest(session: Session, trajectory_id: int) -> EvaluationDigest | None:
    """Every answer per question, in digest order, with no person: for the moderator and the report.

    None when no evaluation was started. ``weak`` marks a question with 1 or 2 answers.
    """
    row = _row(session, trajectory_id)
    if row is None:
        return None
    texts: dict[str, list[str]] = {key: [] for key in QUESTIONS}
    for question, text in session.execute(
        select(EvaluationAnswer.question, EvaluationAnswer.text).where(EvaluationAnswer.evaluation_id == row.id)
    ):
        if question in texts:
            texts[question].append(text)
    counted = progress(session, trajectory_id)
    return EvaluationDigest(
        trajectory=trajectory_record(session.get_one(Trajectory, trajectory_id)),
        evaluation=_record(row),
        members=counted.members,
        done=counted.done,
        questions=tuple(
            EvaluationDigestQuestion(key, digest_order(row.id, key, found), weak_anonymity(len(found)))
            for key, found in texts.items()
        ),
    )


# --- closing the trajectory -----------------------------------------------------------------------


def close_trajectory(session: Session, trajectory_id: int, now: datetime) -> tuple[str, datetime, bool]:
    """Close the trajectory (and an evaluation still open). Returns ok | already, when it was
    closed, and whether an open evaluation was closed with it."""
    trajectory = session.scalar(select(Trajectory).where(Trajectory.id == trajectory_id).with_for_update())
    assert trajectory is not None
    if trajectory.closed_at is not None:
        return "already", trajectory.closed_at, False
    trajectory.closed_at = now
    _, closed_evaluation = close(session, trajectory_id, now)
    return "ok", now, closed_evaluation
