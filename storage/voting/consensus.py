"""Consensus: the themes a round proposes, confirming them, and the parked themes."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import (
    RoundResult,
    Theme,
    Trajectory,
    VotingRound,
)
from storage.records import (
    ParkedTheme,
    RoundRecord,
)
from storage.voting.rounds import _last_closed, _tiebreak_plan, round_record

log = logging.getLogger("kopgroep.voting")

# --- consensus and parked themes ------------------------------------------------------------


def confirm_consensus(session: Session, trajectory_id: int, chosen: tuple[int, ...]) -> tuple[list[str], list[str]]:
    """Record the chosen themes; every other candidate is parked. Returns (chosen, parked) names."""
    rows = session.scalars(
        select(Theme).where(Theme.trajectory_id == trajectory_id, Theme.status.in_(("candidate", "chosen", "parked")))
    )
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
            Theme.trajectory_id == trajectory_id,
            Theme.position.in_(positions),
            Theme.status.in_(("candidate", "chosen", "parked")),
        )
    )
    return {position: theme_id for position, theme_id in rows}


def parked(session: Session, trajectory_id: int) -> list[ParkedTheme]:
    """Parked themes with their figures in the last round they were in."""
    themes = session.execute(
        select(Theme.id, Theme.position, Theme.name)
        .where(Theme.trajectory_id == trajectory_id, Theme.status == "parked")
        .order_by(Theme.position)
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
        out.append(
            ParkedTheme(
                position, name, number, result.mean if result else None, result.share_threes if result else None
            )
        )
    return out
