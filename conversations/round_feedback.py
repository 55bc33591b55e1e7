"""After a round closes, each member privately: their own scores beside the group's figures.

The feedback is queued in the outbox (bot/outbox.py) right after the close, in the unit of work
that erases the round's sealed cells (person-side rows apart from the close's ballots), one row per
member without any score in it; the text is drawn from the frozen results when it goes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.context import Services
from bot.outbox import Drawn, Kind, register
from conversations.voting_results import MIN_VOTERS_FOR_FIGURES
from storage import ballot_deliveries, outbox, trajectories, voting
from storage.models import VotingRound
from storage.outbox import OutboxRecord


def queue_feedback(session: Session, trajectory_id: int, round_id: int) -> None:
    """After a close: the sealed cells go (voting.erase_drafts) and every member's feedback is queued."""
    voting.erase_drafts(session, trajectory_id)
    row = session.get(VotingRound, round_id)
    if row is None or row.status != "closed":
        return
    for person_id, telegram_id in ballot_deliveries.feedback_recipients(session, round_id):
        outbox.add(session, telegram_id, "feedback", trajectory_id=trajectory_id, round_id=round_id, person_id=person_id)


def _draw_feedback(session: Session, services: Services, row: OutboxRecord) -> Drawn | None:
    assert row.round_id is not None and row.person_id is not None
    result = voting.results(session, row.round_id)
    trajectory = trajectories.by_id(session, result.round.trajectory_id) if result.round else None
    if trajectory is None or result.tally is None:
        return None
    own = ballot_deliveries.own_scores(session, row.round_id, row.person_id, services.ballot_key)
    figures = {t.theme_id: t for t in result.tally.themes} if result.submitted >= MIN_VOTERS_FOR_FIGURES else {}  # type: ignore[attr-defined]
    text = services.texts.render(
        trajectory.language,
        "voting/feedback",
        round=result.round,
        themes=voting.round_themes(session, row.round_id),
        own=own,
        figures=figures,
        reasons=result.reasons if figures else {},
    )
    return Drawn(text)


async def draw_feedback(services: Services, row: OutboxRecord) -> Drawn | None:
    return await services.db.run(_draw_feedback, services, row)


register("feedback", Kind(draw=draw_feedback))
