"""Tables of the dialogue's questions, runs and contributions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, RandomId, UTCDateTime, random_id, utcnow


class Question(Base):
    """A reflective question of the open dialogue, per trajectory (editable by the moderator)."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    removed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Dialogue(Base):
    """One run of the open dialogue: its mode and the question on the table."""

    __tablename__ = "dialogue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16), default="open")  # open | anonymous
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="SET NULL"))
    question_message_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Contribution(Base):
    """A member's answer to a dialogue question (in the group, or privately when anonymous)."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    # Emptied when the member asks to be forgotten; the text stays, unlinked.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnonymousAnswer(Base):
    """An anonymous dialogue answer waiting for /volgende: sealed with the ballot secret in the
    author's own row (method/anonymity.py). /volgende (or the end) writes the question's answers
    as contributions without an author, all at once and in a random order, and deletes these."""

    __tablename__ = "anonymous_answer"

    id: Mapped[int] = mapped_column(RandomId, primary_key=True, autoincrement=False, default=random_id)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[str] = mapped_column(Text)


class AnswerCount(Base):
    """How many anonymous answers a member gave in a dialogue: a count without text, for /deelname."""

    __tablename__ = "answer_count"

    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
