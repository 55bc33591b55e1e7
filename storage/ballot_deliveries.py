"""Where each member's ballot is: which message carries it, whether it arrived.

A send that timed out may have arrived all the same, so a member can end up with two copies of a
ballot; the delivery names the one that counts as live (conversations/ballot.py retires others).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from method.anonymity import pseudonym
from storage.models import Ballot, BallotDelivery, Membership, Person, Score, VotingRound


def members_without_ballot(session: Session, round_id: int, trajectory_id: int) -> list[tuple[int, int]]:
    """(person id, telegram id) of the joined members of an open round whose ballot never arrived;
    a member who joined after the opening gets a delivery now (and counts from then on)."""
    row = session.get(VotingRound, round_id)
    if row is None or row.status != "open":
        return []
    members = session.execute(
        select(Person.id, Person.telegram_id, BallotDelivery.message_id, BallotDelivery.round_id)
        .join(Membership, Membership.person_id == Person.id)
        .outerjoin(BallotDelivery, (BallotDelivery.person_id == Person.id) & (BallotDelivery.round_id == round_id))
        .where(Membership.trajectory_id == trajectory_id, Membership.status == "joined")
        .order_by(Person.id)
    ).all()
    missing = []
    for person_id, telegram_id, message_id, delivered_round in members:
        if delivered_round is None:
            session.add(BallotDelivery(round_id=round_id, person_id=person_id))
            row.members += 1
        elif message_id is not None:
            continue
        missing.append((person_id, telegram_id))
    return missing


def arrived(session: Session, round_id: int, person_id: int, message_id: int) -> int | None:
    """The ballot is in ``message_id`` now; the message that carried it before, when another."""
    delivery = session.get(BallotDelivery, (round_id, person_id))
    if delivery is None:
        return None
    before = delivery.message_id
    delivery.message_id, delivery.failed = message_id, False
    return before if before is not None and before != message_id else None


def not_arrived(session: Session, round_id: int, person_id: int) -> None:
    delivery = session.get(BallotDelivery, (round_id, person_id))
    if delivery is not None:
        delivery.failed = True


def person_id_of(session: Session, telegram_id: int) -> int | None:
    return session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))


def feedback_recipients(session: Session, round_id: int) -> list[tuple[int, int]]:
    """(person id, telegram id) of the members whose ballot arrived: each gets their own feedback."""
    rows = session.execute(
        select(BallotDelivery.person_id, Person.telegram_id)
        .join(Person, Person.id == BallotDelivery.person_id)
        .where(BallotDelivery.round_id == round_id, BallotDelivery.failed.is_(False))
        .order_by(BallotDelivery.person_id)
    ).all()
    return [(person_id, telegram_id) for person_id, telegram_id in rows]


def own_scores(session: Session, round_id: int, person_id: int, key: bytes) -> dict[int, int]:
    """One member's own scores in a round (theme id -> score), found through their pseudonym."""
    name = pseudonym(key, round_id, person_id)
    rows = session.execute(
        select(Score.theme_id, Score.score)
        .join(Ballot, Ballot.id == Score.ballot_id)
        .where(Ballot.round_id == round_id, Ballot.pseudonym == name)
    ).all()
    return {theme_id: score for theme_id, score in rows}
