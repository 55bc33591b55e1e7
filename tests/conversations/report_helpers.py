"""Shared steps for the report tests: goals, a closing evaluation and dream images written straight
into the tables (quick set-ups for in-process and storage tests; tests/e2e/test_report_process.py goes
through the real conversations), and reading the files the bot sent."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import docx
from fake_telegram.core import FakeTelegram
from sqlalchemy import select

from storage.models import DreamCollection, DreamImage, Evaluation, EvaluationAnswer, EvaluationDelivery, Goal, Person

PUBLISHED = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)


def add_goal(session, trajectory_id: int, theme_id: int, number: int, *, status: str = "approved", flags=(), **parts):  # type: ignore[no-untyped-def]
    session.add(
        Goal(
            trajectory_id=trajectory_id,
            theme_id=theme_id,
            number=number,
            status=status,
            flags=json.dumps(list(flags)),
            kept_as_is=bool(flags),
            **parts,
        )
    )


def add_evaluation(session, trajectory_id: int, answers: dict[str, list[str]], done_by: list[int]) -> None:  # type: ignore[no-untyped-def]
    """A closed evaluation: anonymous answers, and who finished (by Telegram id)."""
    evaluation = Evaluation(trajectory_id=trajectory_id, closed_at=PUBLISHED)
    session.add(evaluation)
    session.flush()
    for question, texts in answers.items():
        session.add_all(EvaluationAnswer(evaluation_id=evaluation.id, question=question, text=text) for text in texts)
    for telegram_id in done_by:
        person_id = session.scalar(select(Person.id).where(Person.telegram_id == telegram_id))
        session.add(EvaluationDelivery(evaluation_id=evaluation.id, person_id=person_id, done=True))


def add_published_dreams(session, trajectory_id: int, theme_texts: dict[int, list[str]]) -> None:  # type: ignore[no-untyped-def]
    """A published collection: the processed dream images per chosen theme."""
    session.add(DreamCollection(trajectory_id=trajectory_id, published_at=PUBLISHED))
    number = 0
    for theme_id, texts in theme_texts.items():
        for text in texts:
            number += 1
            session.add(
                DreamImage(trajectory_id=trajectory_id, theme_id=theme_id, number=number, text=text, published=True)
            )


def sent_files(core: FakeTelegram, chat_id: int) -> dict[str, bytes]:
    """The documents the bot sent to a chat, by file name (later ones replace earlier ones)."""
    files = {}
    for call in core.calls_of("sendDocument"):
        if call.ok and int(call.params["chat_id"]) == chat_id:
            document = call.result["document"]
            files[document["file_name"]] = core.files[document["file_id"]]["content"]
    return files


def docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    """The document and all its text: paragraphs and table cells."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return document, "\n".join(parts)


def level1(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
