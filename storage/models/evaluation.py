"""Tables of the closing evaluation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class Evaluation(Base):
    """The closing reflection (step 8), sent to every member privately."""

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EvaluationAnswer(Base):
    """One anonymous answer: no person, like a ballot's reasons."""

    __tablename__ = "evaluation_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(16))  # continuity | view | maturity
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EvaluationDelivery(Base):
    """Who got the questions and how far they are, without what they wrote."""

    __tablename__ = "evaluation_delivery"

    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    answered: Mapped[str] = mapped_column(String(64), default="", server_default="")  # "continuity,view"
    done: Mapped[bool] = mapped_column(default=False)
    failed: Mapped[bool] = mapped_column(default=False)  # could not be delivered
