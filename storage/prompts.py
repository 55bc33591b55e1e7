"""Questions the bot asked and waits for (conversation state kept in the database)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.convert import prompt_record
from storage.models import Prompt
from storage.records import PromptRecord


def ask(
    session: Session,
    trajectory_id: int,
    chat_id: int,
    kind: str,
    *,
    message_id: int | None = None,
    person_id: int | None = None,
    payload: str | None = None,
) -> PromptRecord:
    """Record an open question in a chat; a newer question of the same kind replaces the older."""
    session.execute(delete(Prompt).where(Prompt.chat_id == chat_id, Prompt.kind == kind))
    prompt = Prompt(
        trajectory_id=trajectory_id,
        chat_id=chat_id,
        kind=kind,
        message_id=message_id,
        person_id=person_id,
        payload=payload,
    )
    session.add(prompt)
    session.flush()
    return prompt_record(prompt)


def find(session: Session, chat_id: int, kind: str) -> PromptRecord | None:
    prompt = session.scalar(select(Prompt).where(Prompt.chat_id == chat_id, Prompt.kind == kind))
    return prompt and prompt_record(prompt)


def open_in_chat(session: Session, chat_id: int) -> list[PromptRecord]:
    """Every question still open in a chat, the newest first (ids only grow)."""
    rows = session.scalars(select(Prompt).where(Prompt.chat_id == chat_id).order_by(Prompt.id.desc()))
    return [prompt_record(row) for row in rows]


def asked_by_message(session: Session, chat_id: int, message_id: int) -> PromptRecord | None:
    """The open question that the bot's message ``message_id`` in this chat asked, if any."""
    prompt = session.scalar(select(Prompt).where(Prompt.chat_id == chat_id, Prompt.message_id == message_id))
    return prompt and prompt_record(prompt)


def close(session: Session, chat_id: int, kind: str) -> None:
    session.execute(delete(Prompt).where(Prompt.chat_id == chat_id, Prompt.kind == kind))
