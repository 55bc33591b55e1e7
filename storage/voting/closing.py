"""Closing a round: the sealed cells of those who submitted become ballots, figures are frozen."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterable
from dataclasses import asdict, replace

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from method.anonymity import pseudonym
from method.voting import RULES, RoundTally, compare_rounds, tally_round
from method.voting.alpha import ordinal_alpha
from method.voting.concordance import concordance
from method.voting.consensus import (
    ConsensusOutcome,
    Reason,
    evaluate,
    evaluate_tiebreak,
)
from method.voting.stability import stability
from method.voting.tally import ThemeTally
from storage.models import (
    Ballot,
    BallotDelivery,
    DraftScore,
    Person,
    RoundResult,
    RoundTheme,
    Score,
    Theme,
    VotingRound,
    random_id,
    utcnow,
)
from storage.records import (
    CloseResult,
    ExportRows,
)
from storage.voting.casting import opened
from storage.voting.rounds import _last_closed, _tiebreak_plan, quorum_needed, round_record

log = logging.getLogger("kopgroep.voting")
# Below these, a ballot or a figure comes close to one member's vote (docs/privacy.md).
PER_BALLOT_MIN = 5
FIGURES_MIN = 3

# --- closing --------------------------------------------------------------------------------


def _write_ballots(session: Session, round_id: int, key: bytes) -> dict[str, dict[int, int]]:
    """The submitted members' sealed cells as ballots: all of them now, in one transaction, in a
    random order, under random ids; returns pseudonym -> scores of every submitted ballot.

    A ballot stored before cells were sealed (an upgrade during a round) keeps its row; an
    unsubmitted one of that kind gives way.
    """
    cells = session.execute(
        select(BallotDelivery.person_id, Person.telegram_id, DraftScore.theme_id, DraftScore.sealed, DraftScore.reason)
        .join(Person, Person.id == BallotDelivery.person_id)
        .join(
            DraftScore,
            (DraftScore.round_id == BallotDelivery.round_id) & (DraftScore.person_id == BallotDelivery.person_id),
        )
        .where(BallotDelivery.round_id == round_id, BallotDelivery.submitted.is_(True))
    ).all()
    by_member: dict[tuple[int, int], list[tuple[int, str, str]]] = {}
    for person_id, telegram_id, theme_id, sealed, reason in cells:
        by_member.setdefault((person_id, telegram_id), []).append((theme_id, sealed, reason))
    ballots: list[tuple[str, dict[int, int], dict[int, str]]] = []
    for (person_id, telegram_id), own in by_member.items():
        scores, reasons = opened(own, round_id, telegram_id, key)
        ballots.append((pseudonym(key, round_id, person_id), scores, reasons))
    names = {name for name, _, _ in ballots}
    stale = select(Ballot.id).where(
        Ballot.round_id == round_id, or_(Ballot.submitted.is_(False), Ballot.pseudonym.in_(names))
    )
    session.execute(delete(Score).where(Score.ballot_id.in_(stale.scalar_subquery())))
    session.execute(
        delete(Ballot).where(Ballot.round_id == round_id, or_(Ballot.submitted.is_(False), Ballot.pseudonym.in_(names)))
    )
    random.SystemRandom().shuffle(ballots)
    rows, scores_rows = [], []
    for name, scores, reasons in ballots:
        ballot_id = random_id()
        rows.append({"id": ballot_id, "round_id": round_id, "pseudonym": name, "submitted": True})
        scores_rows.extend(
            {"ballot_id": ballot_id, "theme_id": theme_id, "score": score, "reason": reasons.get(theme_id)}
            for theme_id, score in sorted(scores.items())
        )
    if rows:
        session.execute(insert(Ballot), rows)
        session.execute(insert(Score), scores_rows)
    found: dict[str, dict[int, int]] = {}
    for name, theme_id, score in session.execute(
        select(Ballot.pseudonym, Score.theme_id, Score.score)
        .join(Score, Score.ballot_id == Ballot.id)
        .where(Ballot.round_id == round_id, Ballot.submitted.is_(True))
    ):
        found.setdefault(name, {})[theme_id] = score
    return found


def _frozen_tally(session: Session, round_id: int) -> RoundTally:
    rows = session.scalars(
        select(RoundResult).where(RoundResult.round_id == round_id).order_by(RoundResult.rank, RoundResult.theme_id)
    )
    themes = tuple(
        ThemeTally(
            r.theme_id,
            r.votes,
            r.total,
            r.mean,
            r.median,
            r.ones,
            r.twos,
            r.threes,
            r.share_threes,
            r.share_ones,
            r.rank,
        )
        for r in rows
    )
    ballots = session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.round_id == round_id, Ballot.submitted.is_(True))
    )
    return RoundTally(themes=themes, ballots=ballots or 0)


def close(session: Session, round_id: int, *, by: str, key: bytes, force: bool = False) -> CloseResult:
    """Close a round: below quorum only when forced (recorded); figures frozen; consensus checked.

    The round row is locked first, so two closers (a deadline job and a moderator, or two
    instances) cannot both close it.
    """
    row = session.scalar(select(VotingRound).where(VotingRound.id == round_id).with_for_update())
    if row is None or row.status != "open":
        return CloseResult(status="not_open", round=row and round_record(row))
    submitted = (
        session.scalar(
            select(func.count())
            .select_from(BallotDelivery)
            .where(BallotDelivery.round_id == round_id, BallotDelivery.submitted.is_(True))
        )
        or 0
    )
    needed = quorum_needed(row.members, row.quorum_pct)
    if submitted < needed and not force:
        return CloseResult(status="quorum", round=round_record(row), submitted=submitted, needed=needed)
    theme_ids = tuple(session.scalars(select(RoundTheme.theme_id).where(RoundTheme.round_id == round_id)))
    scores = _write_ballots(session, round_id, key)
    previous_row = _last_closed(session, row.trajectory_id, before=row.number)
    previous = _frozen_tally(session, previous_row.id) if previous_row is not None else None
    # Theme edits wait while a round is open, so the tie-break is planned as it was at opening.
    plan = _tiebreak_plan(session, previous_row) if row.kind == "tiebreak" and previous_row is not None else None
    try:
        tally = tally_round(scores, themes=theme_ids)
        agreement = concordance(scores, themes=theme_ids)
        alpha = ordinal_alpha(scores, themes=theme_ids)
        comparable = (
            previous if previous_row is not None and previous_row.kind == "round" and row.kind == "round" else None
        )
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
        session.add(
            RoundResult(
                round_id=round_id,
                theme_id=t.theme_id,
                votes=t.votes,
                total=t.total,
                mean=t.mean,
                median=t.median,
                ones=t.ones,
                twos=t.twos,
                threes=t.threes,
                share_threes=t.share_threes,
                share_ones=t.share_ones,
                rank=t.rank,
            )
        )
    row.status, row.closed_at, row.closed_by, row.forced = "closed", utcnow(), by, submitted < needed
    row.w, row.alpha = agreement.w, alpha
    row.outcome = json.dumps(_outcome_json(outcome))
    return CloseResult(
        status="closed",
        round=round_record(row),
        submitted=submitted,
        needed=needed,
        tally=tally,
        w=agreement.w,
        change=change,
        outcome=outcome,
        names=_names(session, theme_ids + (previous.theme_ids if previous else ())),
        reasons=_reasons(session, round_id),
        alpha=alpha,
        stability=moved,
        previous_number=previous_row.number if previous_row is not None else None,
    )


def _outcome_json(outcome: ConsensusOutcome) -> dict[str, object]:
    data = asdict(outcome)
    data["reason"] = outcome.reason.value if isinstance(outcome.reason, Reason) else None
    return data


def _names(session: Session, theme_ids: tuple[int, ...]) -> dict[int, str]:
    return {
        theme_id: name
        for theme_id, name in session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(set(theme_ids))))
    }


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
            reached=outcome_data["reached"],
            reason=Reason(outcome_data["reason"]) if outcome_data["reason"] else None,
            chosen=tuple(outcome_data["chosen"]),
            drop=tuple(outcome_data["drop"]),
            tie=tuple(outcome_data["tie"]) if outcome_data["tie"] else None,
            next_in_play=tuple(outcome_data["next_in_play"]),
            secured=tuple(outcome_data.get("secured", ())),
            qualified=tuple(outcome_data.get("qualified", ())),
        )
    return CloseResult(
        status="closed",
        round=round_record(row),
        submitted=tally.ballots,
        needed=quorum_needed(row.members, row.quorum_pct),
        tally=tally,
        w=row.w,
        change=compare_rounds(previous, tally, top_n=row.sought) if previous else None,
        outcome=outcome,
        names=_names(session, tally.theme_ids + (previous.theme_ids if previous else ())),
        reasons=_reasons(session, round_id),
        alpha=row.alpha,
        stability=stability(comparable, tally, top_n=row.sought) if comparable is not None else None,
        previous_number=previous_row.number if previous_row is not None else None,
    )


def names_by_id(session: Session, theme_ids: Iterable[int]) -> list[str]:
    """Theme names in the order of ``theme_ids``."""
    ids = tuple(theme_ids)
    names = _names(session, ids)
    return [names[t] for t in ids if t in names]


def export_rows(session: Session, trajectory_id: int) -> ExportRows:
    """Closed rounds only. Per-ballot rows (numbered within the round, never a person or a
    pseudonym) only for rounds with at least ``PER_BALLOT_MIN`` ballots; figures per theme only
    for rounds with at least ``FIGURES_MIN`` voters, as the group sees them."""
    counts = dict(
        session.execute(
            select(VotingRound.id, func.count(Ballot.id))
            .join(Ballot, Ballot.round_id == VotingRound.id)
            .where(
                VotingRound.trajectory_id == trajectory_id, VotingRound.status == "closed", Ballot.submitted.is_(True)
            )
            .group_by(VotingRound.id)
        ).all()
    )
    per_ballot = [r for r, n in counts.items() if n >= PER_BALLOT_MIN]
    with_figures = [r for r, n in counts.items() if n >= FIGURES_MIN]
    rows = session.execute(
        select(VotingRound.number, Ballot.pseudonym, Theme.position, Theme.name, Score.score, Score.reason)
        .join(Ballot, Ballot.round_id == VotingRound.id)
        .join(Score, Score.ballot_id == Ballot.id)
        .join(Theme, Theme.id == Score.theme_id)
        .where(VotingRound.id.in_(per_ballot), Ballot.submitted.is_(True))
        .order_by(VotingRound.number, Ballot.pseudonym, Theme.position)
    ).all()
    numbers: dict[tuple[int, str], int] = {}
    ballots = []
    for number, name, position, theme, score, reason in rows:
        if (number, name) not in numbers:
            numbers[(number, name)] = sum(1 for key in numbers if key[0] == number) + 1
        ballots.append((number, numbers[(number, name)], position, theme, score, reason))
    figures = session.execute(
        select(VotingRound.number, Theme.position, Theme.name, RoundResult)
        .join(RoundResult, RoundResult.round_id == VotingRound.id)
        .join(Theme, Theme.id == RoundResult.theme_id)
        .where(VotingRound.id.in_(with_figures))
        .order_by(VotingRound.number, RoundResult.rank, Theme.position)
    ).all()
    return ExportRows(
        ballots=ballots,
        figures=[
            (n, p, name, r.votes, r.total, r.mean, r.median, r.ones, r.twos, r.threes, r.share_threes, r.rank)
            for n, p, name, r in figures
        ],
    )
