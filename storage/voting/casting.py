"""Filling in a ballot: the member's sealed draft, their reasons, submitting.

While a round is open, everything a member puts on their ballot is person-side: sealed in their
own ``ballot_delivery.draft`` (method/anonymity.py). No transaction of a member's writes a
ballot-side row (``ballot``, ``score``): those are written when the round closes, all at once
(storage/voting/closing.py), so neither transaction ids nor row order tie a ballot to a person.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from method.anonymity import open_draft, seal_draft
from storage.models import BallotDelivery, Person, RoundTheme, VotingRound

MAX_REASON = 200

_DELIVERY = (
    select(VotingRound.status, BallotDelivery.person_id, BallotDelivery.draft, BallotDelivery.submitted)
    .join(BallotDelivery, BallotDelivery.round_id == VotingRound.id)
    .join(Person, Person.id == BallotDelivery.person_id)
)


def _found(session: Session, round_id: int, telegram_id: int) -> tuple[str, int | None, str | None]:
    """(open | closed | not_member, person id, sealed draft)."""
    row = session.execute(_DELIVERY.where(VotingRound.id == round_id, Person.telegram_id == telegram_id)).first()
    if row is None:
        return "not_member", None, None
    return ("open" if row.status == "open" else "closed"), row.person_id, row.draft


def write_draft(
    session: Session, round_id: int, person_id: int, key: bytes, scores: dict[int, int], reasons: dict[int, str]
) -> None:
    """Seal the draft into the member's own delivery row."""
    session.execute(
        update(BallotDelivery)
        .where(BallotDelivery.round_id == round_id, BallotDelivery.person_id == person_id)
        .values(draft=seal_draft(key, round_id, person_id, scores, reasons))
    )


def record_reason(session: Session, round_id: int, telegram_id: int, theme_id: int, reason: str, key: bytes) -> str:
    """The one-line anonymous reason for a theme (only once it has a score)."""
    status, person_id, sealed = _found(session, round_id, telegram_id)
    if person_id is None or status != "open":
        return status
    if session.get(RoundTheme, (round_id, theme_id)) is None:
        return "not_in_round"
    scores, reasons = open_draft(key, round_id, person_id, sealed)
    if theme_id not in scores:
        return "no_score"
    reasons[theme_id] = reason[:MAX_REASON]
    write_draft(session, round_id, person_id, key, scores, reasons)
    return "ok"


def submit(session: Session, round_id: int, telegram_id: int, key: bytes) -> tuple[str, int]:
    """Submit the ballot: (ok | missing | closed | not_member, themes still without a score).

    Only the member's own delivery is marked: the close turns submitted drafts into ballots.
    """
    status, person_id, sealed = _found(session, round_id, telegram_id)
    if person_id is None or status != "open":
        return status, 0
    scores, _ = open_draft(key, round_id, person_id, sealed)
    themes = set(session.scalars(select(RoundTheme.theme_id).where(RoundTheme.round_id == round_id)))
    missing = len(themes - set(scores))
    if missing:
        return "missing", missing
    session.execute(
        update(BallotDelivery)
        .where(BallotDelivery.round_id == round_id, BallotDelivery.person_id == person_id)
        .values(submitted=True)
    )
    return "ok", 0


def erase_drafts(session: Session, trajectory_id: int) -> int:
    """Erase the sealed drafts of every round of the trajectory that is no longer open (the close
    wrote the submitted ones as ballots); how many. A separate unit of work from the close, so no
    transaction writes ballots and deliveries together."""
    rounds = select(VotingRound.id).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status != "open")
    result = session.execute(
        update(BallotDelivery)
        .where(BallotDelivery.round_id.in_(rounds.scalar_subquery()), BallotDelivery.draft.is_not(None))
        .values(draft=None)
    )
    return int(result.rowcount or 0)
