"""The opening synthesis: the moderator's notes, sessions, and the facts behind the progress."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from method.progress import Facts
from storage import decisions
from storage.models import (
    CouncilDecision,
    Dialogue,
    DreamImage,
    Evaluation,
    Goal,
    Meeting,
    Theme,
    TrajectoryNote,
    VotingRound,
    utcnow,
)
from storage.records import MeetingRecord, ScanFinding, SynthesisData

PLANNED_WINDOW = timedelta(hours=12)
NOTE_KINDS = ("lokale_foto", "sterktes", "zwaktes", "kandidaten", "agenda")
MAX_NOTE = 1500


def set_note(session: Session, trajectory_id: int, kind: str, text: str | None) -> None:
    """Store (or, with an empty text, remove) one of the moderator's notes."""
    if kind not in NOTE_KINDS:
        raise ValueError(f"unknown note kind {kind!r}")
    note = session.get(TrajectoryNote, (trajectory_id, kind))
    if not text:
        if note is not None:
            session.delete(note)
        return
    if note is None:
        session.add(TrajectoryNote(trajectory_id=trajectory_id, kind=kind, text=text))
    else:
        note.text = text
        note.updated_at = utcnow()


def notes(session: Session, trajectory_id: int) -> dict[str, str]:
    rows = session.scalars(select(TrajectoryNote).where(TrajectoryNote.trajectory_id == trajectory_id))
    return {row.kind: row.text for row in rows}


def facts(session: Session, trajectory_id: int) -> Facts:
    """Counts for the progress of the method's steps (one query per table, no rows loaded)."""
    themes = session.scalar(
        select(func.count())
        .select_from(Theme)
        .where(Theme.trajectory_id == trajectory_id, Theme.status.in_(("candidate", "chosen", "parked")))
    )
    chosen = session.scalar(
        select(func.count()).select_from(Theme).where(Theme.trajectory_id == trajectory_id, Theme.status == "chosen")
    )
    meetings = session.scalar(
        select(func.count())
        .select_from(Meeting)
        .where(Meeting.trajectory_id == trajectory_id, Meeting.opened_at.is_not(None))
    )
    dialogues = session.scalar(
        select(func.count())
        .select_from(Dialogue)
        .where(Dialogue.trajectory_id == trajectory_id, Dialogue.ended_at.is_not(None))
    )
    dream_images = session.scalar(
        select(func.count())
        .select_from(DreamImage)
        .where(DreamImage.trajectory_id == trajectory_id, DreamImage.published.is_(True))
    )
    goals = session.scalar(
        select(func.count()).select_from(Goal).where(Goal.trajectory_id == trajectory_id, Goal.status == "approved")
    )
    # Step 7 is done once the council's decision is recorded (/beslissing).
    decided = session.scalar(
        select(func.count()).select_from(CouncilDecision).where(CouncilDecision.trajectory_id == trajectory_id)
    )
    # Step 8 is done once a closing evaluation is closed (/evaluatie sluiten, or every member finished).
    evaluations = session.scalar(
        select(func.count())
        .select_from(Evaluation)
        .where(Evaluation.trajectory_id == trajectory_id, Evaluation.closed_at.is_not(None))
    )
    return Facts(
        themes=themes or 0,
        meetings=meetings or 0,
        dialogues_ended=dialogues or 0,
        chosen_themes=chosen or 0,
        dream_images=dream_images or 0,
        goals=goals or 0,
        decisions=decided or 0,
        evaluations=evaluations or 0,
    )


def where_we_are(session: Session, trajectory_id: int) -> tuple[Facts, int | None, bool]:
    """For the next-step card: the method's facts, the open round's number (if any), a dialogue running."""
    open_round = session.scalar(
        select(VotingRound.number).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "open")
    )
    running = session.scalar(
        select(func.count())
        .select_from(Dialogue)
        .where(Dialogue.trajectory_id == trajectory_id, Dialogue.ended_at.is_(None))
    )
    return facts(session, trajectory_id), open_round, bool(running)


def synthesis_data(session: Session, trajectory_id: int) -> SynthesisData:
    """Everything the synthesis shows, read in one unit of work."""
    themes = session.execute(
        select(Theme.name, Theme.maturity, Theme.strengths, Theme.weaknesses)
        .where(
            Theme.trajectory_id == trajectory_id, Theme.status.in_(("candidate", "chosen")), Theme.parent_id.is_(None)
        )
        .order_by(Theme.position)
    ).all()
    findings = tuple(
        ScanFinding(name=name, maturity=maturity, strengths=strengths, weaknesses=weaknesses)
        for name, maturity, strengths, weaknesses in themes
        if maturity is not None or strengths or weaknesses
    )
    return SynthesisData(
        facts=facts(session, trajectory_id),
        notes=notes(session, trajectory_id),
        candidate_names=tuple(name for name, *_ in themes),
        scan_findings=findings,
        decision=decisions.latest(session, trajectory_id),
    )


def open_meeting(session: Session, trajectory_id: int, starts_at: datetime | None) -> MeetingRecord:
    """Record a session that opens now (at ``starts_at`` when the moderator gave a time).

    A session planned with /volgendesessie for around now (12 hours either way) is the one that
    opens: its reminders stop.
    """
    now = utcnow()
    meeting = session.scalar(
        select(Meeting)
        .where(
            Meeting.trajectory_id == trajectory_id,
            Meeting.opened_at.is_(None),
            Meeting.starts_at.between(now - PLANNED_WINDOW, now + PLANNED_WINDOW),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    if meeting is not None:
        meeting.opened_at = now
        meeting.starts_at = starts_at or meeting.starts_at
    else:
        meeting = Meeting(trajectory_id=trajectory_id, starts_at=starts_at or now, opened_at=now)
        session.add(meeting)
    session.flush()
    return MeetingRecord(meeting.id, meeting.trajectory_id, meeting.starts_at, meeting.synthesis_message_id)


def set_synthesis_message(session: Session, meeting_id: int, message_id: int) -> None:
    session.get_one(Meeting, meeting_id).synthesis_message_id = message_id
