"""Voting rounds: opening, ballots under pseudonyms, closing with frozen results, consensus.

The only places that join a person to their scores are :func:`storage.ballot_deliveries.own_scores`
(a member's own feedback) and :func:`storage.ballots.ballot_view`, and only to show a member their own ballot. Messages to the group and
exports get figures per theme and ballots under pseudonyms.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import Row, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from method.anonymity import pseudonym
from method.voting import RULES, RoundTally, compare_rounds, tally_round
from method.voting.alpha import ordinal_alpha
from method.voting.concordance import concordance
from method.voting.consensus import (
    ConsensusOutcome,
    Reason,
    TiebreakPlan,
    evaluate,
    evaluate_tiebreak,
    replan_tiebreak,
)
from method.voting.stability import stability
from method.voting.tally import ThemeTally
from storage.models import (
    Ballot,
    BallotDelivery,
    Membership,
    Person,
    RoundResult,
    RoundTheme,
    Score,
    Theme,
    ThemeSdg,
    Trajectory,
    VotingRound,
    utcnow,
)
from storage.records import (
    BallotTheme,
    CloseResult,
    ExportRows,
    ParkedTheme,
    RoundPlan,
    RoundRecord,
    TelegramUser,
    VotingSettings,
)

MAX_REASON = 200
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
        id=row.id, trajectory_id=row.trajectory_id, number=row.number, kind=row.kind, status=row.status,
        rule_key=row.rule_key, sought=row.sought, places=row.places, quorum_pct=row.quorum_pct,
        members=row.members, close_when_all_voted=row.close_when_all_voted, deadline=row.deadline,
        progress_message_id=row.progress_message_id, forced=row.forced, closed_by=row.closed_by,
        w=row.w, outcome=json.loads(row.outcome) if row.outcome else None, alpha=row.alpha,
    )


def quorum_needed(members: int, quorum_pct: int) -> int:
    return max(1, math.ceil(members * quorum_pct / 100 - 1e-9))


def joined_members(session: Session, trajectory_id: int) -> int:
    """Members who joined: how many would get a ballot if a round opened now."""
    return session.scalar(
        select(func.count()).select_from(Membership).where(Membership.trajectory_id == trajectory_id, Membership.status == "joined")
    ) or 0


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
    return replan_tiebreak(row.sought, outcome.get("secured", ()), outcome["tie"], successors(session, row.trajectory_id))


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


def open_round(session: Session, trajectory_id: int, *, theme_ids: tuple[int, ...], kind: str,
               places: int | None, deadline: object | None) -> tuple[RoundRecord, list[tuple[int, int]]]:
    """Open a round for every joined member; returns it and (person id, telegram id) to send to."""
    t = session.get_one(Trajectory, trajectory_id)
    number = (session.scalar(select(func.max(VotingRound.number)).where(VotingRound.trajectory_id == trajectory_id)) or 0) + 1
    recipients = session.execute(
        select(Person.id, Person.telegram_id)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.trajectory_id == trajectory_id, Membership.status == "joined")
        .order_by(Person.id)
    ).all()
    row = VotingRound(
        trajectory_id=trajectory_id, number=number, kind=kind, status="open", rule_key=t.rule_key,
        sought=t.sought, places=places, quorum_pct=t.quorum_pct, members=len(recipients),
        close_when_all_voted=t.close_when_all_voted, deadline=deadline,
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
    return round_record(row)


def names_of(session: Session, telegram_ids: list[int]) -> list[str]:
    rows = session.execute(select(Person.first_name, Person.last_name).where(Person.telegram_id.in_(telegram_ids)).order_by(Person.first_name))
    return [" ".join(part for part in row if part) for row in rows]


def round_themes(session: Session, round_id: int) -> list[BallotTheme]:
    return list(ballot_themes(session.execute(ROUND_THEMES, {"round_id": round_id})))


def ensure_delivery(session: Session, trajectory_id: int, user: TelegramUser) -> tuple[int, int] | None:
    """(open round, person) for a joined member; a member who joined after the round opened
    gets a ballot too (and counts from then on)."""
    row = session.scalar(select(VotingRound).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "open"))
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
        select(func.count()).select_from(BallotDelivery).where(BallotDelivery.round_id == round_id, BallotDelivery.submitted.is_(True))
    )
    return submitted or 0, row.members


def open_rounds_with_deadline(session: Session) -> list[tuple[int, object]]:
    """(round id, deadline) of every open round with a deadline: rebuilt into jobs at start."""
    rows = session.execute(
        select(VotingRound.id, VotingRound.deadline).where(VotingRound.status == "open", VotingRound.deadline.is_not(None))
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
_DELIVERY = (
    select(VotingRound, BallotDelivery, Person, Trajectory)
    .join(BallotDelivery, BallotDelivery.round_id == VotingRound.id)
    .join(Person, Person.id == BallotDelivery.person_id)
    .join(Trajectory, Trajectory.id == VotingRound.trajectory_id)
    .where(VotingRound.id == bindparam("round_id"), Person.telegram_id == bindparam("telegram_id"))
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


def _delivery(session: Session, round_id: int, telegram_id: int) -> tuple[VotingRound, BallotDelivery, Person, Trajectory] | None:
    """The round, the member's delivery, the member and the trajectory, in one query (None: no
    ballot for them)."""
    row = session.execute(_DELIVERY, {"round_id": round_id, "telegram_id": telegram_id}).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def _ballot_for(session: Session, round_id: int, person_id: int, key: bytes) -> Ballot:
    name = pseudonym(key, round_id, person_id)
    ballot = session.scalar(select(Ballot).where(Ballot.round_id == round_id, Ballot.pseudonym == name))
    if ballot is None:
        ballot = Ballot(round_id=round_id, pseudonym=name, submitted=False)
        session.add(ballot)
        session.flush()
    return ballot


def _check_press(session: Session, round_id: int, telegram_id: int, theme_id: int | None) -> tuple[str, tuple | None]:
    found = _delivery(session, round_id, telegram_id)
    if found is None:
        return "not_member", None
    row = found[0]
    if row.status != "open":
        return "closed", None
    if theme_id is not None and session.get(RoundTheme, (round_id, theme_id)) is None:
        return "not_in_round", None
    return "ok", found


def record_reason(session: Session, round_id: int, telegram_id: int, theme_id: int, reason: str, key: bytes) -> str:
    """The one-line anonymous reason for a theme (only once it has a score)."""
    status, found = _check_press(session, round_id, telegram_id, theme_id)
    if found is None:
        return status
    ballot = _ballot_for(session, round_id, found[2].id, key)
    existing = session.get(Score, (ballot.id, theme_id))
    if existing is None:
        return "no_score"
    existing.reason = reason
    return "ok"


def submit(session: Session, round_id: int, telegram_id: int, key: bytes) -> tuple[str, int]:
    """Submit the ballot: (ok | missing | closed | not_member, themes still without a score)."""
    status, found = _check_press(session, round_id, telegram_id, None)
    if found is None:
        return status, 0
    row, delivery, person, _ = found
    ballot = _ballot_for(session, round_id, person.id, key)
    in_round = session.scalar(select(func.count()).select_from(RoundTheme).where(RoundTheme.round_id == round_id)) or 0
    scored = session.scalar(select(func.count()).select_from(Score).where(Score.ballot_id == ballot.id)) or 0
    if scored < in_round:
        return "missing", in_round - scored
    ballot.submitted = True
    delivery.submitted = True
    return "ok", 0


# --- closing --------------------------------------------------------------------------------


def _scores_of_submitted(session: Session, round_id: int) -> dict[str, dict[int, int]]:
    scores: dict[str, dict[int, int]] = {}
    for name, theme_id, score in session.execute(
        select(Ballot.pseudonym, Score.theme_id, Score.score)
        .join(Score, Score.ballot_id == Ballot.id)
        .where(Ballot.round_id == round_id, Ballot.submitted.is_(True))
    ):
        scores.setdefault(name, {})[theme_id] = score
    return scores


def _frozen_tally(session: Session, round_id: int) -> RoundTally:
    rows = session.scalars(select(RoundResult).where(RoundResult.round_id == round_id).order_by(RoundResult.rank, RoundResult.theme_id))
    themes = tuple(
        ThemeTally(r.theme_id, r.votes, r.total, r.mean, r.median, r.ones, r.twos, r.threes, r.share_threes, r.share_ones, r.rank)
        for r in rows
    )
    ballots = session.scalar(select(func.count()).select_from(Ballot).where(Ballot.round_id == round_id, Ballot.submitted.is_(True)))
    return RoundTally(themes=themes, ballots=ballots or 0)


def close(session: Session, round_id: int, *, by: str, force: bool = False) -> CloseResult:
    """Close a round: below quorum only when forced (recorded); figures frozen; consensus checked.

    The round row is locked first, so two closers (a deadline job and a moderator, or two
    instances) cannot both close it.
    """
    row = session.scalar(select(VotingRound).where(VotingRound.id == round_id).with_for_update())
    if row is None or row.status != "open":
        return CloseResult(status="not_open", round=row and round_record(row))
    submitted = session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.round_id == round_id, Ballot.submitted.is_(True))
    ) or 0
    needed = quorum_needed(row.members, row.quorum_pct)
    if submitted < needed and not force:
        return CloseResult(status="quorum", round=round_record(row), submitted=submitted, needed=needed)
    theme_ids = tuple(session.scalars(select(RoundTheme.theme_id).where(RoundTheme.round_id == round_id)))
    scores = _scores_of_submitted(session, round_id)
    previous_row = _last_closed(session, row.trajectory_id, before=row.number)
    previous = _frozen_tally(session, previous_row.id) if previous_row is not None else None
    # Theme edits wait while a round is open, so the tie-break is planned as it was at opening.
    plan = _tiebreak_plan(session, previous_row) if row.kind == "tiebreak" and previous_row is not None else None
    try:
        tally = tally_round(scores, themes=theme_ids)
        agreement = concordance(scores, themes=theme_ids)
        alpha = ordinal_alpha(scores, themes=theme_ids)
        comparable = previous if previous_row is not None and previous_row.kind == "round" and row.kind == "round" else None
        if row.kind == "tiebreak":
            outcome = evaluate_tiebreak(row.places or 0, plan.secured if plan is not None else (), tally)
        else:
            outcome = evaluate(replace(RULES[row.rule_key], sought=row.sought), tally, alpha, comparable)
        moved = stability(comparable, tally, top_n=row.sought) if comparable is not None else None
        change = compare_rounds(previous, tally, top_n=row.sought) if previous is not None else None
    except Exception:  # a round must never stay stuck open: the moderator is told and can cancel it
        log.exception("voting round %s could not be evaluated", round_id)
        return CloseResult(status="cannot_evaluate", round=round_record(row), submitted=submitted, needed=needed)
    for t in tally.themes:
        session.add(RoundResult(
            round_id=round_id, theme_id=t.theme_id, votes=t.votes, total=t.total, mean=t.mean, median=t.median,
            ones=t.ones, twos=t.twos, threes=t.threes, share_threes=t.share_threes, share_ones=t.share_ones, rank=t.rank,
        ))
    row.status, row.closed_at, row.closed_by, row.forced = "closed", utcnow(), by, submitted < needed
    row.w, row.alpha = agreement.w, alpha
    row.outcome = json.dumps(_outcome_json(outcome))
    return CloseResult(
        status="closed", round=round_record(row), submitted=submitted, needed=needed, tally=tally, w=agreement.w,
        change=change, outcome=outcome, names=_names(session, theme_ids + (previous.theme_ids if previous else ())),
        reasons=_reasons(session, round_id), alpha=alpha, stability=moved,
        previous_number=previous_row.number if previous_row is not None else None,
    )


def _outcome_json(outcome: ConsensusOutcome) -> dict[str, object]:
    data = asdict(outcome)
    data["reason"] = outcome.reason.value if isinstance(outcome.reason, Reason) else None
    return data


def _names(session: Session, theme_ids: tuple[int, ...]) -> dict[int, str]:
    return {theme_id: name for theme_id, name in session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(set(theme_ids))))}


def _reasons(session: Session, round_id: int) -> dict[int, list[str]]:
    """Reasons of submitted ballots, per theme, in a fixed order that says nothing about who."""
    reasons: dict[int, list[str]] = {}
    for theme_id, reason in session.execute(
        select(Score.theme_id, Score.reason)
        .join(Ballot, Ballot.id == Score.ballot_id)
        .where(Ballot.round_id == round_id, Ballot.submitted.is_(True), Score.reason.is_not(None))
        .order_by(Score.theme_id, Score.reason)
    ):
        reasons.setdefault(theme_id, []).append(reason)
    return reasons


def results(session: Session, round_id: int) -> CloseResult:
    """A closed round's figures again (for /uitslag and the report), from what was frozen."""
    row = session.get_one(VotingRound, round_id)
    tally = _frozen_tally(session, round_id)
    previous_row = _last_closed(session, row.trajectory_id, before=row.number)
    previous = _frozen_tally(session, previous_row.id) if previous_row is not None else None
    comparable = previous if previous_row is not None and previous_row.kind == "round" and row.kind == "round" else None
    outcome_data = json.loads(row.outcome) if row.outcome else None
    outcome = None
    if outcome_data:
        outcome = ConsensusOutcome(
            reached=outcome_data["reached"], reason=Reason(outcome_data["reason"]) if outcome_data["reason"] else None,
            chosen=tuple(outcome_data["chosen"]), drop=tuple(outcome_data["drop"]),
            tie=tuple(outcome_data["tie"]) if outcome_data["tie"] else None,
            next_in_play=tuple(outcome_data["next_in_play"]), secured=tuple(outcome_data.get("secured", ())),
            qualified=tuple(outcome_data.get("qualified", ())),
        )
    return CloseResult(
        status="closed", round=round_record(row), submitted=tally.ballots, needed=quorum_needed(row.members, row.quorum_pct),
        tally=tally, w=row.w, change=compare_rounds(previous, tally, top_n=row.sought) if previous else None,
        outcome=outcome, names=_names(session, tally.theme_ids + (previous.theme_ids if previous else ())),
        reasons=_reasons(session, round_id), alpha=row.alpha,
        stability=stability(comparable, tally, top_n=row.sought) if comparable is not None else None,
        previous_number=previous_row.number if previous_row is not None else None,
    )


def names_by_id(session: Session, theme_ids: Iterable[int]) -> list[str]:
    """Theme names in the order of ``theme_ids``."""
    ids = tuple(theme_ids)
    names = _names(session, ids)
    return [names[t] for t in ids if t in names]


# --- consensus and parked themes ------------------------------------------------------------


def confirm_consensus(session: Session, trajectory_id: int, chosen: tuple[int, ...]) -> tuple[list[str], list[str]]:
    """Record the chosen themes; every other candidate is parked. Returns (chosen, parked) names."""
    rows = session.scalars(select(Theme).where(Theme.trajectory_id == trajectory_id, Theme.status.in_(("candidate", "chosen", "parked"))))
    chosen_names, parked_names = [], []
    for theme in rows:
        if theme.id in chosen:
            theme.status = "chosen"
            chosen_names.append((theme.position, theme.name))
        else:
            theme.status = "parked"
            parked_names.append((theme.position, theme.name))
    session.get_one(Trajectory, trajectory_id).phase = "dream_images"
    return [n for _, n in sorted(chosen_names)], [n for _, n in sorted(parked_names)]


def last_proposal(session: Session, trajectory_id: int) -> tuple[RoundRecord, tuple[int, ...]] | None:
    """The last closed round and the themes it proposes: those chosen when consensus was reached,
    or, after a tie that no longer needs a vote (tied themes removed or merged), what is left."""
    last = _last_closed(session, trajectory_id)
    if last is None or not last.outcome:
        return None
    outcome = json.loads(last.outcome)
    if outcome["reached"]:
        return round_record(last), tuple(outcome["chosen"])
    plan = _tiebreak_plan(session, last)
    if plan is not None and plan.decided:
        return round_record(last), plan.chosen
    return round_record(last), ()


def themes_by_position(session: Session, trajectory_id: int, positions: list[int]) -> dict[int, int]:
    """position -> theme id, for candidate or chosen themes of the trajectory."""
    rows = session.execute(
        select(Theme.position, Theme.id).where(
            Theme.trajectory_id == trajectory_id, Theme.position.in_(positions), Theme.status.in_(("candidate", "chosen", "parked"))
        )
    )
    return {position: theme_id for position, theme_id in rows}


def parked(session: Session, trajectory_id: int) -> list[ParkedTheme]:
    """Parked themes with their figures in the last round they were in."""
    themes = session.execute(
        select(Theme.id, Theme.position, Theme.name).where(Theme.trajectory_id == trajectory_id, Theme.status == "parked").order_by(Theme.position)
    ).all()
    last: dict[int, tuple[int, RoundResult]] = {}
    for number, result in session.execute(
        select(VotingRound.number, RoundResult)
        .join(RoundResult, RoundResult.round_id == VotingRound.id)
        .where(VotingRound.trajectory_id == trajectory_id, RoundResult.theme_id.in_([t[0] for t in themes]))
        .order_by(VotingRound.number)
    ):
        last[result.theme_id] = (number, result)
    out = []
    for theme_id, position, name in themes:
        number, result = last.get(theme_id, (None, None))
        out.append(ParkedTheme(position, name, number, result.mean if result else None, result.share_threes if result else None))
    return out


def closed_rounds(session: Session, trajectory_id: int) -> list[RoundRecord]:
    rows = session.scalars(
        select(VotingRound).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "closed").order_by(VotingRound.number)
    )
    return [round_record(r) for r in rows]


def export_rows(session: Session, trajectory_id: int) -> ExportRows:
    """Every closed round: one row per ballot (pseudonym, never a user id) and per theme figures."""
    ballots = session.execute(
        select(VotingRound.number, Ballot.pseudonym, Theme.position, Theme.name, Score.score, Score.reason)
        .join(Ballot, Ballot.round_id == VotingRound.id)
        .join(Score, Score.ballot_id == Ballot.id)
        .join(Theme, Theme.id == Score.theme_id)
        .where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "closed", Ballot.submitted.is_(True))
        .order_by(VotingRound.number, Ballot.pseudonym, Theme.position)
    ).all()
    figures = session.execute(
        select(VotingRound.number, Theme.position, Theme.name, RoundResult)
        .join(RoundResult, RoundResult.round_id == VotingRound.id)
        .join(Theme, Theme.id == RoundResult.theme_id)
        .where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "closed")
        .order_by(VotingRound.number, RoundResult.rank, Theme.position)
    ).all()
    return ExportRows(
        ballots=[tuple(r) for r in ballots],
        figures=[(n, p, name, r.votes, r.total, r.mean, r.median, r.ones, r.twos, r.threes, r.share_threes, r.rank) for n, p, name, r in figures],
    )


def all_submitted(session: Session, round_id: int) -> bool:
    """True when every member who got a ballot has submitted (for 'close when all voted')."""
    submitted, members = progress(session, round_id)
    return members > 0 and submitted >= members


