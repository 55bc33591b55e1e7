"""A member's own ballot: reading it, and storing a score pressed on it.

A score press is the commonest update of a round, so it is one unit of work of three statements:
the presser's delivery in the round (with the round, the person and the trajectory), the round's
themes with this ballot's scores, and the write. That first statement is also the check that the
presser may vote here, which is why the guard skips its own lookup for presses (bot/guards.py).

The statements are built once and run in a unit of work on a connection (``Database.run_short``),
the common ones on the driver's cursor (storage/prepared.py): building a ``select()``, the ORM's
loading of entities, its session and SQLAlchemy's work around each execution cost more than the
database's own work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, select, update

from method.anonymity import pseudonym
from storage.models import Ballot, BallotDelivery, Membership, Person, RoundTheme, Score, Theme, Trajectory, VotingRound
from storage.prepared import Prepared
from storage.records import BallotView, ScorePress
from storage.voting import ROUND_THEMES, ballot_themes, round_record

_DELIVERY = Prepared(
    select(
        *VotingRound.__table__.c,
        BallotDelivery.submitted.label("delivery_submitted"),
        BallotDelivery.page.label("delivery_page"),
        BallotDelivery.message_id.label("delivery_message_id"),
        Person.id.label("person_id"),
        Person.language.label("person_language"),
        Person.reachable.label("person_reachable"),
        Trajectory.organisation.label("trajectory_organisation"),
        Trajectory.title.label("trajectory_title"),
        Trajectory.language.label("trajectory_language"),
        Trajectory.closed_at.label("trajectory_closed_at"),
    )
    .join(BallotDelivery, BallotDelivery.round_id == VotingRound.id)
    .join(Person, Person.id == BallotDelivery.person_id)
    .join(Trajectory, Trajectory.id == VotingRound.trajectory_id)
    # Only while a member: someone who left the group can no longer change a ballot (storage/membership.py).
    .join(Membership, and_(Membership.trajectory_id == Trajectory.id, Membership.person_id == Person.id, Membership.status == "joined"))
    .where(VotingRound.id == bindparam("round_id"), Person.telegram_id == bindparam("telegram_id"))
)
# The round's themes with this ballot's id and score, where there are.
_THEMES_WITH_SCORES = Prepared(
    ROUND_THEMES.add_columns(Ballot.id.label("ballot_id"), Score.score, Score.reason)
    .outerjoin(Ballot, and_(Ballot.round_id == RoundTheme.round_id, Ballot.pseudonym == bindparam("pseudonym")))
    .outerjoin(Score, and_(Score.ballot_id == Ballot.id, Score.theme_id == Theme.id))
)
# The rare paths (an outsider's press, a member's first score) go through SQLAlchemy's own
# execution; the new ballot's id comes back from it on both databases.
_LANGUAGE = (
    select(Person.language, Trajectory.language)
    .outerjoin(Trajectory, Trajectory.id == Person.current_trajectory_id)
    .where(Person.telegram_id == bindparam("telegram_id"))
)
_NEW_BALLOT = insert(Ballot.__table__).values(round_id=bindparam("round_id"), pseudonym=bindparam("pseudonym"), submitted=False)
_ADD_SCORE = Prepared(
    insert(Score.__table__).values(ballot_id=bindparam("ballot"), theme_id=bindparam("theme"), score=bindparam("value"))
)
_CHANGE_SCORE = Prepared(
    update(Score.__table__)
    .where(Score.ballot_id == bindparam("ballot"), Score.theme_id == bindparam("theme"))
    .values(score=bindparam("value"))
)
_REACHABLE = Prepared(update(Person.__table__).where(Person.id == bindparam("person")).values(reachable=True))
_SET_PAGE = Prepared(
    update(BallotDelivery.__table__)
    .where(BallotDelivery.round_id == bindparam("round_id"), BallotDelivery.person_id == bindparam("person"))
    .values(page=bindparam("page"))
)


class _Themes:
    """The rows of ``_THEMES_WITH_SCORES``: the themes, and this ballot's scores and reasons."""

    def __init__(self, rows: list[Any]) -> None:
        self.themes = ballot_themes(rows)
        self.scores: dict[int, int] = {}
        self.reasons: dict[int, str] = {}
        self.ballot_id: int | None = None
        for row in rows:
            self.ballot_id = row.ballot_id
            if row.score is not None:
                self.scores[row.id] = row.score
            if row.reason:
                self.reasons[row.id] = row.reason


def _view(found: Any, themes: _Themes, *, page: int | None = None) -> BallotView:
    return BallotView(
        round=round_record(found),
        trajectory_title=found.trajectory_organisation or found.trajectory_title,
        language=found.person_language or found.trajectory_language,
        themes=themes.themes,
        scores=themes.scores,
        reasons=themes.reasons,
        submitted=found.delivery_submitted,
        page=found.delivery_page if page is None else page,
        message_id=found.delivery_message_id,
    )


def ballot_view(connection: Connection, round_id: int, telegram_id: int, key: bytes, *, page: int | None = None) -> BallotView | None:
    """A member's own ballot (None when they got none in this round); ``page`` is remembered."""
    found = _DELIVERY.first(connection, round_id=round_id, telegram_id=telegram_id)
    if found is None:
        return None
    if page is not None and page != found.delivery_page:
        _SET_PAGE.run(connection, round_id=round_id, person=found.person_id, page=page)
    name = pseudonym(key, round_id, found.person_id)
    themes = _Themes(_THEMES_WITH_SCORES.rows(connection, round_id=round_id, pseudonym=name))
    return _view(found, themes, page=page)


def record_score(connection: Connection, round_id: int, telegram_id: int, theme_id: int, score: int, key: bytes) -> ScorePress:
    """Store a 1-3 score on the presser's own ballot.

    The status is ok | unchanged | closed | not_in_round | not_member | bad_score; the ballot to
    redraw comes with ok; the language is the presser's, for a refusal, when they are known."""
    if score not in (1, 2, 3):
        return ScorePress("bad_score", None, None)
    found = _DELIVERY.first(connection, round_id=round_id, telegram_id=telegram_id)
    if found is None:
        known = connection.execute(_LANGUAGE, {"telegram_id": telegram_id}).first()
        return ScorePress("not_member", None, known and (known[0] or known[1]))
    language = found.person_language or found.trajectory_language
    if not found.person_reachable:  # they press in the private chat, so the bot can write to them again
        _REACHABLE.run(connection, person=found.person_id)
    if found.status != "open" or found.trajectory_closed_at is not None:  # a closed trajectory is read-only
        return ScorePress("closed", None, language)
    name = pseudonym(key, round_id, found.person_id)
    themes = _Themes(_THEMES_WITH_SCORES.rows(connection, round_id=round_id, pseudonym=name))
    if all(theme.id != theme_id for theme in themes.themes):
        return ScorePress("not_in_round", None, language)
    if themes.scores.get(theme_id) == score:
        return ScorePress("unchanged", None, language)
    ballot_id = themes.ballot_id
    if ballot_id is None:  # the member's first score in this round
        ballot_id = connection.execute(_NEW_BALLOT, {"round_id": round_id, "pseudonym": name}).inserted_primary_key[0]
    write = _CHANGE_SCORE if theme_id in themes.scores else _ADD_SCORE
    write.run(connection, ballot=ballot_id, theme=theme_id, value=score)
    themes.scores[theme_id] = score
    return ScorePress("ok", _view(found, themes), language)
