"""Tables of candidate themes, their SDGs and good practices, notes and the glossary."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class Theme(Base):
    """A candidate theme of a trajectory; sub-themes point to their parent."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    # The number members see and type (#3); kept when others are removed.
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    # candidate | chosen | parked | removed | merged
    status: Mapped[str] = mapped_column(String(16), default="candidate")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    # Where it came from: sdg | iso26000 | examples (catalogue) | scan (import) | manual
    source: Mapped[str] = mapped_column(String(16), default="manual")
    source_code: Mapped[str | None] = mapped_column(String(64))
    maturity: Mapped[float | None] = mapped_column()
    strengths: Mapped[str | None] = mapped_column(Text)
    weaknesses: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ThemeSdg(Base):
    """A theme's link to one of the 17 SDGs."""

    __tablename__ = "theme_sdg"

    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    sdg: Mapped[int] = mapped_column(Integer, primary_key=True)


class GoodPractice(Base):
    """A good-practice example the moderator attached to a theme."""

    __tablename__ = "good_practice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrajectoryNote(Base):
    """The moderator's short notes for the synthesis: lokale foto, scan strengths, agenda, ..."""

    __tablename__ = "trajectory_note"

    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class GlossaryTerm(Base):
    """A term the moderator added or explained differently for this group (/begrip)."""

    __tablename__ = "glossary_term"
    __table_args__ = (UniqueConstraint("trajectory_id", "key", name="uq_glossary_term_trajectory_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))  # normalised for lookup
    word: Mapped[str] = mapped_column(String(80))
    explanation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
