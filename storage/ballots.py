"""A member's own ballot: reading it, and storing a score pressed on it.

A score press is the commonest update of a round. It touches the person side only: the presser's
sealed cell for that theme (``draft_score``, storage/voting/casting.py). One statement reads the
presser's delivery in the round (with the round, the person, the trajectory: also the check that
they may vote here, which is why the guard skips its own lookup for presses, bot/guards.py), the
round's themes and the member's cells. On PostgreSQL the write rides in the same statement (a
data-modifying CTE) and the press is one round trip, committed by the server as it runs
(``Database.run_once``); on SQLite the write is a second statement in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Integer, Text, and_, bindparam, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from method.anonymity import open_reason, open_score, pseudonym, seal_reason, seal_score
from storage.models import (
    Ballot,
    BallotDelivery,
    DraftScore,
    Membership,
    Person,
    RoundTheme,
    Score,
    Theme,
    ThemeSdg,
    Trajectory,
    VotingRound,
)
from storage.records import BallotTheme, BallotView, ScorePress
from storage.voting import ROUND_THEMES, ballot_themes, round_record

# What ``round_record`` reads of the round: it comes once per theme row, so nothing more (the
# round's own timestamps, parsed on every row, would be half the read on SQLite).
_ROUND = [
    VotingRound.__table__.c[name]
    for name in (
        "id",
        "trajectory_id",
        "number",
        "kind",
        "status",
        "rule_key",
        "sought",
        "places",
        "quorum_pct",
        "members",
        "close_when_all_voted",
        "deadline",
        "progress_message_id",
        "forced",
        "closed_by",
        "w",
        "outcome",
        "alpha",
    )
]
_D = (
    select(
        *_ROUND,
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
    .join(
        Membership,
        and_(Membership.trajectory_id == Trajectory.id, Membership.person_id == Person.id, Membership.status == "joined"),
    )
    .where(VotingRound.id == bindparam("press_round"), Person.telegram_id == bindparam("presser"))
    .cte("d")
)


def _ballot(*extra: Any) -> Any:
    """The delivery with the round's themes (one row per theme and SDG) and the member's sealed
    scores (with ``extra`` columns: the reasons for the member's own view; a press reads none)."""
    return (
        select(
            *_D.c,
            Theme.id.label("theme_id"),
            Theme.position,
            Theme.name,
            Theme.description,
            ThemeSdg.sdg,
            DraftScore.sealed,
            *extra,
        )
        .select_from(_D)
        .outerjoin(RoundTheme, RoundTheme.round_id == _D.c.id)
        .outerjoin(Theme, Theme.id == RoundTheme.theme_id)
        .outerjoin(ThemeSdg, ThemeSdg.theme_id == Theme.id)
        .outerjoin(
            DraftScore,
            and_(
                DraftScore.round_id == _D.c.id, DraftScore.person_id == _D.c.person_id, DraftScore.theme_id == Theme.id
            ),
        )
        .order_by(Theme.position, Theme.id, ThemeSdg.sdg)
    )


_VIEW = _ballot()
_VIEW_WITH_REASONS = _ballot(DraftScore.reason.label("reason_sealed"))  # the member's own view: reasons too
_MAY_WRITE = and_(
    _D.c.status == "open",
    _D.c.trajectory_closed_at.is_(None),  # a closed trajectory is read-only
    exists().where(RoundTheme.round_id == _D.c.id, RoundTheme.theme_id == bindparam("press_theme")),
)


def _pg_press() -> Any:
    """PostgreSQL: read and write in one statement. The CTE's write is not visible to the main
    query (one snapshot): the cells read are those before the press."""
    write = (
        postgresql.insert(DraftScore)
        .from_select(
            ["round_id", "person_id", "theme_id", "sealed", "reason"],
            select(
                _D.c.id,
                _D.c.person_id,
                bindparam("press_theme", type_=Integer),
                bindparam("press_sealed", type_=Text),
                bindparam("press_reason", type_=Text),
            ).where(_MAY_WRITE),
        )
        .on_conflict_do_update(
            index_elements=["round_id", "person_id", "theme_id"], set_={"sealed": bindparam("press_sealed")}
        )
        .returning(DraftScore.theme_id)
        .cte("w")
    )
    reach = (
        update(Person)
        .where(Person.id.in_(select(_D.c.person_id).where(_D.c.person_reachable.is_(False))))
        .values(reachable=True)
        .returning(Person.id)
        .cte("reach")
    )
    return _ballot(
        select(func.count()).select_from(write).scalar_subquery().label("written"),
        select(func.count()).select_from(reach).scalar_subquery().label("reached"),
    )


_PG_PRESS = _pg_press()
_CELL = {
    "round_id": bindparam("press_round"),
    "person_id": bindparam("press_person"),
    "theme_id": bindparam("press_theme"),
    "sealed": bindparam("press_sealed"),
    "reason": bindparam("press_reason"),
}
_KEY = ["round_id", "person_id", "theme_id"]
_SQLITE_WRITE = (
    sqlite.insert(DraftScore)
    .values(_CELL)
    .on_conflict_do_update(index_elements=_KEY, set_={"sealed": bindparam("press_sealed")})
)
# A closed round's ballot (the cells are gone): the themes with this ballot's scores.
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
_REACHABLE = update(Person).where(Person.id == bindparam("press_person")).values(reachable=True)
_SET_PAGE = (
    update(BallotDelivery)
    .where(BallotDelivery.round_id == bindparam("press_round"), BallotDelivery.person_id == bindparam("press_person"))
    .values(page=bindparam("new_page"))
)


class _Ballot:
    """The round's themes and this member's scores and reasons."""

    def __init__(self, themes: tuple[BallotTheme, ...], scores: dict[int, int], reasons: dict[int, str]) -> None:
        self.themes = themes
        self.scores = scores
        self.reasons = reasons


_THEME_AT = len(_D.c)  # where a row's theme columns begin: theme id, position, name, description, SDG, cell


def _from_cells(rows: list[Any], telegram_id: int, key: bytes, *, with_reasons: bool = False) -> _Ballot:
    round_id = rows[0].id
    at = _THEME_AT
    parts = [row[at : at + 7] for row in rows]  # by position: the commonest read, kept lean
    scores: dict[int, int] = {}
    reasons: dict[int, str] = {}
    for theme_id, _, _, _, _, sealed, *reason in parts:
        if sealed is not None and theme_id not in scores:
            scores[theme_id] = open_score(key, round_id, telegram_id, theme_id, sealed)
            said = open_reason(key, round_id, telegram_id, theme_id, reason[0]) if with_reasons else None
            if said:
                reasons[theme_id] = said
    themes = ballot_themes(part[:5] for part in parts if part[0] is not None)
    return _Ballot(themes, scores, reasons)


def _closed(connection: Connection, found: Any, key: bytes) -> _Ballot:
    """A round that is over: the member's ballot, found under its pseudonym."""
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
    rows = connection.execute(_VIEW_WITH_REASONS, {"press_round": round_id, "presser": telegram_id}).all()
    if not rows:
        return None
    found = rows[0]
    if page is not None and page != found.delivery_page:
        connection.execute(_SET_PAGE, {"press_round": round_id, "press_person": found.person_id, "new_page": page})
    ballot = (
        _from_cells(rows, telegram_id, key, with_reasons=True)
        if found.status == "open"
        else _closed(connection, found, key)
    )
    return _view(found, ballot, page=page)


def record_score(
    connection: Connection, round_id: int, telegram_id: int, theme_id: int, score: int, key: bytes
) -> ScorePress:
    """Store a 1-3 score on the presser's own (sealed) ballot: one statement on PostgreSQL, run
    with ``Database.run_once``; two on SQLite (the first press of a member adds one).

    The status is ok | unchanged | closed | not_in_round | not_member | bad_score; the ballot to
    redraw comes with ok; the language is the presser's, for a refusal, when they are known."""
    if score not in (1, 2, 3):
        return ScorePress("bad_score", None, None)
    params = {
        "press_round": round_id,
        "presser": telegram_id,
        "press_theme": theme_id,
        "press_sealed": seal_score(key, round_id, telegram_id, theme_id, score),
        # Only a new cell takes it: every cell has a sealed reason, "none" until one is given.
        "press_reason": seal_reason(key, round_id, telegram_id, theme_id, None),
    }
    postgres = connection.dialect.name == "postgresql"
    rows = connection.execute(_PG_PRESS if postgres else _VIEW, params).all()
    if not rows:
        known = connection.execute(_LANGUAGE, {"telegram_id": telegram_id}).first()
        return ScorePress("not_member", None, known and (known[0] or known[1]))
    found = rows[0]
    language = found.person_language or found.trajectory_language
    if found.status != "open" or found.trajectory_closed_at is not None:  # a closed trajectory is read-only
        return ScorePress("closed", None, language)
    ballot = _from_cells(rows, telegram_id, key)
    if all(theme.id != theme_id for theme in ballot.themes):
        return ScorePress("not_in_round", None, language)
    before = ballot.scores.get(theme_id)
    if not postgres and before != score:
        connection.execute(_SQLITE_WRITE, {**params, "press_person": found.person_id})
    if not postgres and not found.person_reachable:  # they press in private: the bot can write to them again
        connection.execute(_REACHABLE, {"press_person": found.person_id})
    if before == score:
        return ScorePress("unchanged", None, language)
    ballot.scores[theme_id] = score
    return ScorePress("ok", _view(found, ballot), language)
