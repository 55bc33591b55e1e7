"""The group's own explanations of terms (/begrip <woord> = <uitleg>); the shipped glossary is data."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from method.dialogue.commands import MAX_TERMS
from storage.models import GlossaryTerm
from storage.records import GlossaryTermRecord


def _record(row: GlossaryTerm) -> GlossaryTermRecord:
    return GlossaryTermRecord(
        id=row.id, trajectory_id=row.trajectory_id, key=row.key, word=row.word, explanation=row.explanation
    )


def terms(session: Session, trajectory_id: int) -> list[GlossaryTermRecord]:
    """All of the group's own terms, by word."""
    rows = session.scalars(
        select(GlossaryTerm)
        .where(GlossaryTerm.trajectory_id == trajectory_id)
        .order_by(GlossaryTerm.word, GlossaryTerm.id)
    )
    return [_record(row) for row in rows]


def set_term(
    session: Session, trajectory_id: int, key: str, word: str, explanation: str
) -> tuple[str, GlossaryTermRecord | None]:
    """Add or change the group's explanation under ``key``: ("added" | "changed", term), or
    ("too_many", None) when the group already has :data:`MAX_TERMS` terms."""
    row = session.scalar(
        select(GlossaryTerm).where(GlossaryTerm.trajectory_id == trajectory_id, GlossaryTerm.key == key)
    )
    if row is not None:
        row.word, row.explanation = word, explanation
        return "changed", _record(row)
    count = session.scalar(
        select(func.count()).select_from(GlossaryTerm).where(GlossaryTerm.trajectory_id == trajectory_id)
    )
    if (count or 0) >= MAX_TERMS:
        return "too_many", None
    row = GlossaryTerm(trajectory_id=trajectory_id, key=key, word=word, explanation=explanation)
    session.add(row)
    session.flush()
    return "added", _record(row)


def remove_term(session: Session, trajectory_id: int, key: str) -> GlossaryTermRecord | None:
    """Remove the group's explanation under ``key``; the removed term, or None if there was none."""
    row = session.scalar(
        select(GlossaryTerm).where(GlossaryTerm.trajectory_id == trajectory_id, GlossaryTerm.key == key)
    )
    if row is None:
        return None
    record = _record(row)
    session.delete(row)
    return record
