"""A member's own ballot: reading it, and storing a score pressed on it.

A score press is the commonest update of a round. It touches the person side only: the presser's
delivery row, where their scores are sealed while the round is open (storage/voting/casting.py).
It is one unit of work of three plain Core statements: the presser's delivery in the round (with
the round, the person, the trajectory and the sealed draft; also the check that they may vote
here, which is why the guard skips its own lookup for presses, bot/guards.py), the round's themes,
and the write of the resealed draft. Statements are built once, at import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, bindparam, select, update

from method.anonymity import open_draft, pseudonym, seal_draft
from storage.models import Ballot, BallotDelivery, Person, RoundTheme, Score, Theme, Trajectory, VotingRound
from storage.records import BallotView, ScorePress
from storage.voting import ROUND_THEMES, ballot_themes, round_record

_DELIVERY = (
    select(
        *VotingRound.__table__.c,
        BallotDelivery.submitted.label("delivery_submitted"),
        BallotDelivery.page.label("delivery_page"),
        BallotDelivery.message_id.label("delivery_message_id"),
        BallotDelivery.draft.label("delivery_draft"),
        Person.id.label("person_id"),
        Person.language.label("person_language"),
        Person.reachable.label("person_reachable"),
        Trajectory.organisation.label("trajectory_organisation"),
        Trajectory.title.label("trajectory_title"),
        Trajectory.language.label("trajectory_language"),
    )
    .join(BallotDelivery, BallotDelivery.round_id == VotingRound.id)
    .join(Person, Person.id == BallotDelivery.person_id)
    .join(Trajectory, Trajectory.id == VotingRound.trajectory_id)
    .where(VotingRound.id == bindparam("round_id"), Person.telegram_id == bindparam("telegram_id"))
)
# A closed round's ballot (the draft is gone): the themes with this ballot's scores.
_THEMES_WITH_SCORES = (
    ROUND_THEMES.add_columns(Score.score, Score.reason)
    .outerjoin(Ballot, and_(Ballot.round_id == RoundTheme.round_id, Ballot.pseudonym == bindparam("pseudonym")))
    .outerjoin(Score, and_(Score.ballot_id == Ballot.id, Score.theme_id == Theme.id))
)
_LANGUAGE = (
    select(Person.language, Trajectory.language)
    .outerjoin(Trajectory, Trajectory.id == Person.current_trajectory_id)
    .where(Person.telegram_id == bindparam("telegram_id"))
)
_SEAL = (
    update(BallotDelivery)
    .where(BallotDelivery.round_id == bindparam("round"), BallotDelivery.person_id == bindparam("person"))
    .values(draft=bindparam("sealed"))
)
_REACHABLE = update(Person).where(Person.id == bindparam("person")).values(reachable=True)
_SET_PAGE = (
    update(BallotDelivery)
    .where(BallotDelivery.round_id == bindparam("round_id"), BallotDelivery.person_id == bindparam("person"))
    .values(page=bindparam("page"))
)


class _Ballot:
    """The themes of the round and this member's scores and reasons."""

    def __init__(self, themes: Any, scores: dict[int, int], reasons: dict[int, str]) -> None:
        self.themes = themes
        self.scores = scores
        self.reasons = reasons


def _own(connection: Connection, found: Any, key: bytes) -> _Ballot:
    """The member's scores: from the sealed draft while there is one, else from their ballot."""
    if found.delivery_draft is not None or found.status == "open":
        scores, reasons = open_draft(key, found.id, found.person_id, found.delivery_draft)
        return _Ballot(ballot_themes(connection.execute(ROUND_THEMES, {"round_id": found.id})), scores, reasons)
    name = pseudonym(key, found.id, found.person_id)
    rows = connection.execute(_THEMES_WITH_SCORES, {"round_id": found.id, "pseudonym": name}).all()
    scores = {row.id: row.score for row in rows if row.score is not None}
    reasons = {row.id: row.reason for row in rows if row.reason}
    return _Ballot(ballot_themes(rows), scores, reasons)


def _view(found: Any, ballot: _Ballot, *, page: int | None = None) -> BallotView:
    return BallotView(
        round=round_record(found),
        trajectory_title=found.trajectory_organisation or found.trajectory_title,
        language=found.person_language or found.trajectory_language,
        themes=ballot.themes,
        scores=ballot.scores,
        reasons=ballot.reasons,
        submitted=found.delivery_submitted,
        page=found.delivery_page if page is None else page,
        message_id=found.delivery_message_id,
    )


def ballot_view(
    connection: Connection, round_id: int, telegram_id: int, key: bytes, *, page: int | None = None
) -> BallotView | None:
    """A member's own ballot (None when they got none in this round); ``page`` is remembered."""
    found = connection.execute(_DELIVERY, {"round_id": round_id, "telegram_id": telegram_id}).first()
    if found is None:
        return None
    if page is not None and page != found.delivery_page:
        connection.execute(_SET_PAGE, {"round_id": round_id, "person": found.person_id, "page": page})
    return _view(found, _own(connection, found, key), page=page)


def record_score(
    connection: Connection, round_id: int, telegram_id: int, theme_id: int, score: int, key: bytes
) -> ScorePress:
    """Store a 1-3 score on the presser's own (sealed) ballot.

    The status is ok | unchanged | closed | not_in_round | not_member | bad_score; the ballot to
    redraw comes with ok; the language is the presser's, for a refusal, when they are known."""
    if score not in (1, 2, 3):
        return ScorePress("bad_score", None, None)
    found = connection.execute(_DELIVERY, {"round_id": round_id, "telegram_id": telegram_id}).first()
    if found is None:
        known = connection.execute(_LANGUAGE, {"telegram_id": telegram_id}).first()
        return ScorePress("not_member", None, known and (known[0] or known[1]))
    language = found.person_language or found.trajectory_language
    if found.status != "open":
        return ScorePress("closed", None, language)
    ballot = _own(connection, found, key)
    if all(theme.id != theme_id for theme in ballot.themes):
        return ScorePress("not_in_round", None, language)
    if ballot.scores.get(theme_id) == score:
        return ScorePress("unchanged", None, language)
    ballot.scores[theme_id] = score
    sealed = seal_draft(key, round_id, found.person_id, ballot.scores, ballot.reasons)
    connection.execute(_SEAL, {"round": round_id, "person": found.person_id, "sealed": sealed})
    if not found.person_reachable:  # they press in the private chat, so the bot can write to them again
        connection.execute(_REACHABLE, {"person": found.person_id})
    return ScorePress("ok", _view(found, ballot), language)
