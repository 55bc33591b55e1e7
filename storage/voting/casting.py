"""Filling in a ballot: the member's sealed cells, their reasons, submitting.

While a round is open, everything a member puts on their ballot is person-side: one sealed row
per theme in ``draft_score`` (method/anonymity.py). No transaction of a member's writes a
ballot-side row (``ballot``, ``score``): those are written when the round closes, all at once
(storage/voting/closing.py), so neither transaction ids nor row order tie a ballot to a person.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.orm import Session

from method.anonymity import open_reason, open_score, seal_reason
from storage.models import BallotDelivery, DraftScore, Membership, Person, RoundTheme, Trajectory, VotingRound

MAX_REASON = 200

_DELIVERY = (
    select(VotingRound.status, BallotDelivery.person_id, Person.telegram_id, Trajectory.closed_at)
    .join(BallotDelivery, BallotDelivery.round_id == VotingRound.id)
    .join(Person, Person.id == BallotDelivery.person_id)
    .join(Trajectory, Trajectory.id == VotingRound.trajectory_id)
    # Only while a member: someone who left the group can no longer change a ballot (storage/membership.py).
    .join(
        Membership,
        (Membership.trajectory_id == Trajectory.id) & (Membership.person_id == Person.id) & (Membership.status == "joined"),
    )
)


def own_cells(
    handle: Session | Connection, round_id: int, person_id: int, telegram_id: int, key: bytes
) -> tuple[dict[int, int], dict[int, str]]:
    """(scores, reasons) of the member's sealed cells in the round."""
    rows = handle.execute(
        select(DraftScore.theme_id, DraftScore.sealed, DraftScore.reason).where(
            DraftScore.round_id == round_id, DraftScore.person_id == person_id
        )
    )
    return opened(rows, round_id, telegram_id, key)


def opened(cells: Any, round_id: int, telegram_id: int, key: bytes) -> tuple[dict[int, int], dict[int, str]]:
    """(scores, reasons) from (theme id, sealed score, sealed reason) rows of one member."""
    scores: dict[int, int] = {}
    reasons: dict[int, str] = {}
    for theme_id, sealed, reason in cells:
        scores[theme_id] = open_score(key, round_id, telegram_id, theme_id, sealed)
        said = open_reason(key, round_id, telegram_id, theme_id, reason)
        if said:
            reasons[theme_id] = said
    return scores, reasons


def _found(session: Session, round_id: int, telegram_id: int) -> tuple[str, int | None]:
    """(open | closed | not_member, person id)."""
    row = session.execute(_DELIVERY.where(VotingRound.id == round_id, Person.telegram_id == telegram_id)).first()
    if row is None:
        return "not_member", None
    # A closed trajectory is read-only: its rounds take nothing more.
    return ("open" if row.status == "open" and row.closed_at is None else "closed"), row.person_id


def record_reason(session: Session, round_id: int, telegram_id: int, theme_id: int, reason: str, key: bytes) -> str:
    """The one-line anonymous reason for a theme (only once it has a score)."""
    status, person_id = _found(session, round_id, telegram_id)
    if person_id is None or status != "open":
        return status
    if session.get(RoundTheme, (round_id, theme_id)) is None:
        return "not_in_round"
    cell = session.get(DraftScore, (round_id, person_id, theme_id))
    if cell is None:
        return "no_score"
    cell.reason = seal_reason(key, round_id, telegram_id, theme_id, reason[:MAX_REASON])
    return "ok"


def submit(session: Session, round_id: int, telegram_id: int, key: bytes) -> tuple[str, int]:
    """Submit the ballot: (ok | missing | closed | not_member, themes still without a score).

    Only the member's own delivery is marked: the close turns submitted cells into ballots.
    """
    status, person_id = _found(session, round_id, telegram_id)
    if person_id is None or status != "open":
        return status, 0
    themes = set(session.scalars(select(RoundTheme.theme_id).where(RoundTheme.round_id == round_id)))
    scored = set(
        session.scalars(
            select(DraftScore.theme_id).where(DraftScore.round_id == round_id, DraftScore.person_id == person_id)
        )
    )
    missing = len(themes - scored)
    if missing:
        return "missing", missing
    session.execute(
        update(BallotDelivery)
        .where(BallotDelivery.round_id == round_id, BallotDelivery.person_id == person_id)
        .values(submitted=True)
    )
    return "ok", 0


def erase_drafts(session: Session, trajectory_id: int) -> int:
    """Delete the sealed cells of every round of the trajectory that is no longer open (the close
    wrote the submitted ones as ballots); how many. A unit of work of its own after the close, so
    no transaction writes ballots and members' rows together."""
    rounds = select(VotingRound.id).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status != "open")
    result = session.execute(delete(DraftScore).where(DraftScore.round_id.in_(rounds.scalar_subquery())))
    return int(result.rowcount or 0)
