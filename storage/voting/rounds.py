"""Voting rounds: settings, opening, who got a ballot and who submitted, deadlines, cancelling."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from method.voting.consensus import (
    TiebreakPlan,
    replan_tiebreak,
)
from storage.models import (
    BallotDelivery,
    DraftScore,
    Membership,
    Person,
    RoundTheme,
    Theme,
    ThemeSdg,
    Trajectory,
    VotingRound,
    utcnow,
)
from storage.records import (
    BallotTheme,
    RoundPlan,
    RoundRecord,
    TelegramUser,
    VotingSettings,
)

log = logging.getLogger("kopgroep.voting")


# --- settings -------------------------------------------------------------------------------


def settings(session: Session, trajectory_id: int) -> VotingSettings:
    t = session.get_one(Trajectory, trajectory_id)
    return VotingSettings(t.sought, t.rule_key, t.quorum_pct, t.close_when_all_voted)


def change_settings(session: Session, trajectory_id: int, **changes: object) -> VotingSettings:
    """Change sought / rule_key / quorum_pct / close_when_all_voted (checked by the caller)."""
    t = session.get_one(Trajectory, trajectory_id)
    for name, value in changes.items():
        if name not in {"sought", "rule_key", "quorum_pct", "close_when_all_voted"}:
            raise ValueError(name)
        setattr(t, name, value)
    return VotingSettings(t.sought, t.rule_key, t.quorum_pct, t.close_when_all_voted)


# --- rounds ---------------------------------------------------------------------------------


def round_record(row: VotingRound | Row) -> RoundRecord:
    """A round as a record, from its entity or from a row with its columns."""
    return RoundRecord(
        id=row.id,
        trajectory_id=row.trajectory_id,
        number=row.number,
        kind=row.kind,
        status=row.status,
        rule_key=row.rule_key,
        sought=row.sought,
        places=row.places,
        quorum_pct=row.quorum_pct,
        members=row.members,
        close_when_all_voted=row.close_when_all_voted,
        deadline=row.deadline,
        progress_message_id=row.progress_message_id,
        forced=row.forced,
        closed_by=row.closed_by,
        w=row.w,
        outcome=json.loads(row.outcome) if row.outcome else None,
        alpha=row.alpha,
    )


def quorum_needed(members: int, quorum_pct: int) -> int:
    return max(1, math.ceil(members * quorum_pct / 100 - 1e-9))


def joined_members(session: Session, trajectory_id: int) -> int:
    """Members who joined: how many would get a ballot if a round opened now."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.trajectory_id == trajectory_id, Membership.status == "joined")
        )
        or 0
    )


def open_round_of(session: Session, trajectory_id: int) -> RoundRecord | None:
    row = session.scalar(
        select(VotingRound).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "open")
    )
    return row and round_record(row)


def get_round(session: Session, round_id: int) -> RoundRecord | None:
    row = session.get(VotingRound, round_id)
    return row and round_record(row)


def round_by_number(session: Session, trajectory_id: int, number: int) -> RoundRecord | None:
    row = session.scalar(
        select(VotingRound).where(VotingRound.trajectory_id == trajectory_id, VotingRound.number == number)
    )
    return row and round_record(row)


def _last_closed(session: Session, trajectory_id: int, before: int | None = None) -> VotingRound | None:
    query = select(VotingRound).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "closed")
    if before is not None:
        query = query.where(VotingRound.number < before)
    return session.scalar(query.order_by(VotingRound.number.desc()).limit(1))


def successors(session: Session, trajectory_id: int) -> dict[int, tuple[int, ...]]:
    """Each theme -> the candidate themes that stand for it now (see ``replan_tiebreak``).

    A candidate stands for itself, or for its candidate sub-themes once it is split; a merged
    theme for what it was merged into; a removed (or parked, or chosen) theme for nothing: it is
    left out of the mapping.
    """
    rows = session.execute(
        select(Theme.id, Theme.status, Theme.merged_into_id, Theme.parent_id)
        .where(Theme.trajectory_id == trajectory_id)
        .order_by(Theme.position, Theme.id)
    ).all()
    info = {theme_id: (status, merged_into) for theme_id, status, merged_into, _ in rows}
    children: dict[int, list[int]] = {}
    for theme_id, status, _, parent in rows:
        if parent is not None and status == "candidate":
            children.setdefault(parent, []).append(theme_id)

    def now(theme_id: int, seen: frozenset[int]) -> tuple[int, ...]:
        if theme_id in seen or theme_id not in info:
            return ()
        status, merged_into = info[theme_id]
        if status == "merged" and merged_into is not None:
            return now(merged_into, seen | {theme_id})
        if status != "candidate":
            return ()
        if theme_id in children:
            return tuple(t for child in children[theme_id] for t in now(child, seen | {theme_id}))
        return (theme_id,)

    found = {theme_id: now(theme_id, frozenset()) for theme_id in info}
    return {theme_id: ids for theme_id, ids in found.items() if ids}


def _tiebreak_plan(session: Session, row: VotingRound) -> TiebreakPlan | None:
    """The tie-break a closed round's tie calls for, with today's themes; None without a tie."""
    outcome = json.loads(row.outcome) if row.outcome else None
    if not outcome or outcome["reached"] or not outcome.get("tie"):
        return None
    return replan_tiebreak(
        row.sought, outcome.get("secured", ()), outcome["tie"], successors(session, row.trajectory_id)
    )


def next_round_plan(session: Session, trajectory_id: int) -> RoundPlan:
    """The next round: narrowed by the last round's outcome, with today's themes.

    No earlier round, or consensus reached: every candidate theme that is not split into
    sub-themes. After a tie: a tie-break on the tied themes still standing (merged or split ones
    followed), for the places left; ``decided`` when no more tied themes stand than places (no
    vote needed, the proposal is ``chosen``). Otherwise the themes still in play, merges and
    splits followed.
    """
    last = _last_closed(session, trajectory_id)
    outcome = json.loads(last.outcome) if last is not None and last.outcome else None
    if last is not None and outcome and not outcome["reached"]:
        plan = _tiebreak_plan(session, last)
        if plan is not None:
            if plan.decided and (plan.secured or plan.tie):
                return RoundPlan("decided", plan.tie, plan.places, plan.secured, plan.chosen)
            if not plan.decided:
                return RoundPlan("tiebreak", plan.tie, plan.places, plan.secured)
        else:
            now = successors(session, trajectory_id)
            in_play = tuple(dict.fromkeys(t for old in outcome["next_in_play"] for t in now.get(old, ())))
            if in_play:
                return RoundPlan("round", in_play)
    return RoundPlan("round", candidate_theme_ids(session, trajectory_id))


def candidate_theme_ids(session: Session, trajectory_id: int) -> tuple[int, ...]:
    """Candidate themes to vote on: a theme split into candidate sub-themes gives way to them."""
    rows = session.execute(
        select(Theme.id, Theme.parent_id)
        .where(Theme.trajectory_id == trajectory_id, Theme.status == "candidate")
        .order_by(Theme.position)
    ).all()
    parents = {parent for _, parent in rows if parent is not None}
    return tuple(theme_id for theme_id, _ in rows if theme_id not in parents)


def open_round(
    session: Session,
    trajectory_id: int,
    *,
    theme_ids: tuple[int, ...],
    kind: str,
    places: int | None,
    deadline: object | None,
) -> tuple[RoundRecord, list[tuple[int, int]]]:
    """Open a round for every joined member; returns it and (person id, telegram id) to send to."""
    t = session.get_one(Trajectory, trajectory_id)
    number = (
        session.scalar(select(func.max(VotingRound.number)).where(VotingRound.trajectory_id == trajectory_id)) or 0
    ) + 1
    recipients = session.execute(
        select(Person.id, Person.telegram_id)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.trajectory_id == trajectory_id, Membership.status == "joined")
        .order_by(Person.id)
    ).all()
    row = VotingRound(
        trajectory_id=trajectory_id,
        number=number,
        kind=kind,
        status="open",
        rule_key=t.rule_key,
        sought=t.sought,
        places=places,
        quorum_pct=t.quorum_pct,
        members=len(recipients),
        close_when_all_voted=t.close_when_all_voted,
        deadline=deadline,
    )
    session.add(row)
    session.flush()
    session.add_all(RoundTheme(round_id=row.id, theme_id=theme_id) for theme_id in theme_ids)
    session.add_all(BallotDelivery(round_id=row.id, person_id=person_id) for person_id, _ in recipients)
    return round_record(row), [(person_id, telegram_id) for person_id, telegram_id in recipients]


def cancel(session: Session, round_id: int) -> RoundRecord | None:
    """Cancel an open round: its ballots do not count, the next round is planned as if it never
    opened. Also for a round that could not start (nobody to send a ballot to). None: not open.

    The row is locked first, as in :func:`close`, so a closer and a canceller cannot both win.
    """
    row = session.scalar(select(VotingRound).where(VotingRound.id == round_id).with_for_update())
    if row is None or row.status != "open":
        return None
    row.status, row.closed_at = "cancelled", utcnow()
    # Nothing of a cancelled round counts: the sealed cells go at once.
    session.execute(delete(DraftScore).where(DraftScore.round_id == round_id))
    return round_record(row)


def names_of(session: Session, telegram_ids: list[int]) -> list[str]:
    rows = session.execute(
        select(Person.first_name, Person.last_name)
        .where(Person.telegram_id.in_(telegram_ids))
        .order_by(Person.first_name)
    )
    return [" ".join(part for part in row if part) for row in rows]


def round_themes(session: Session, round_id: int) -> list[BallotTheme]:
    return list(ballot_themes(session.execute(ROUND_THEMES, {"round_id": round_id})))


def ensure_delivery(session: Session, trajectory_id: int, user: TelegramUser) -> tuple[int, int] | None:
    """(open round, person) for a joined member; a member who joined after the round opened
    gets a ballot too (and counts from then on)."""
    row = session.scalar(
        select(VotingRound).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "open")
    )
    person_id = _person_id(session, user.telegram_id)
    if row is None or person_id is None:
        return None
    joined = session.scalar(
        select(Membership.status).where(Membership.trajectory_id == trajectory_id, Membership.person_id == person_id)
    )
    if joined != "joined":
        return None
    if session.get(BallotDelivery, (row.id, person_id)) is None:
        session.add(BallotDelivery(round_id=row.id, person_id=person_id))
        row.members += 1
    return row.id, person_id


def set_progress_message(session: Session, round_id: int, message_id: int, shown: str | None = None) -> None:
    row = session.get_one(VotingRound, round_id)
    row.progress_message_id, row.progress_shown = message_id, shown


def set_delivery(session: Session, round_id: int, person_id: int, *, message_id: int | None, failed: bool) -> None:
    delivery = session.get_one(BallotDelivery, (round_id, person_id))
    delivery.message_id, delivery.failed = message_id, failed


def claim_progress_text(session: Session, round_id: int, shown: str | None) -> bool:
    """Note that the progress message is about to show ``shown``; False when it shows that already
    (another update, maybe on another instance, edited it). ``None`` forgets it (an edit failed)."""
    query = update(VotingRound).where(VotingRound.id == round_id).values(progress_shown=shown)
    if shown is not None:
        query = query.where(or_(VotingRound.progress_shown.is_(None), VotingRound.progress_shown != shown))
    return session.execute(query).rowcount == 1


def progress(session: Session, round_id: int) -> tuple[int, int]:
    """(members who submitted, members a ballot went to)."""
    row = session.get_one(VotingRound, round_id)
    submitted = session.scalar(
        select(func.count())
        .select_from(BallotDelivery)
        .where(BallotDelivery.round_id == round_id, BallotDelivery.submitted.is_(True))
    )
    return submitted or 0, row.members


def open_rounds_with_deadline(session: Session) -> list[tuple[int, object]]:
    """(round id, deadline) of every open round with a deadline: rebuilt into jobs at start."""
    rows = session.execute(
        select(VotingRound.id, VotingRound.deadline).where(
            VotingRound.status == "open", VotingRound.deadline.is_not(None)
        )
    )
    return [(round_id, deadline) for round_id, deadline in rows]


def extend(session: Session, round_id: int, deadline: object | None) -> RoundRecord | None:
    row = session.get(VotingRound, round_id)
    if row is None or row.status != "open":
        return None
    row.deadline = deadline
    return round_record(row)


# --- ballots (a member's own ballot and the score press: storage/ballots.py) ----------------

# A round's themes with their SDGs: one row per theme and SDG (a theme has a few). storage/ballots.py
# adds a ballot's scores to the same rows.
ROUND_THEMES = (
    select(Theme.id, Theme.position, Theme.name, Theme.description, ThemeSdg.sdg)
    .join(RoundTheme, RoundTheme.theme_id == Theme.id)
    .outerjoin(ThemeSdg, ThemeSdg.theme_id == Theme.id)
    .where(RoundTheme.round_id == bindparam("round_id"))
    .order_by(Theme.position, Theme.id, ThemeSdg.sdg)
)


def ballot_themes(rows: Iterable[Sequence[Any]]) -> tuple[BallotTheme, ...]:
    """Rows that begin with ``ROUND_THEMES``' columns, folded into themes with their SDGs."""
    themes: dict[int, tuple[int, str, str | None, list[int]]] = {}
    for theme_id, position, name, description, sdg, *_ in rows:
        sdgs = themes.setdefault(theme_id, (position, name, description, []))[3]
        if sdg is not None:
            sdgs.append(sdg)
    return tuple(BallotTheme(i, p, n, d, tuple(s)) for i, (p, n, d, s) in themes.items())


def _person_id(session: Session, telegram_id: int) -> int | None:
    return session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))


def closed_rounds(session: Session, trajectory_id: int) -> list[RoundRecord]:
    rows = session.scalars(
        select(VotingRound)
        .where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "closed")
        .order_by(VotingRound.number)
    )
    return [round_record(r) for r in rows]


def all_submitted(session: Session, round_id: int) -> bool:
    """True when every member who got a ballot has submitted (for 'close when all voted')."""
    submitted, members = progress(session, round_id)
    return members > 0 and submitted >= members
