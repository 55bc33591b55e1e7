"""Tables of meetings, the council's decisions and the meeting-room screen."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class Meeting(Base):
    """A session of the steering group, opened with /sessie."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when given ("19u30-21u")
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synthesis_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Bumped each time the planned date changes, so calendars update the invitation (.ics).
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CouncilDecision(Base):
    """The council's (college's) answer to the report: green light or not, when, remarks."""

    __tablename__ = "council_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # approved | rejected | postponed
    decided_on: Mapped[date] = mapped_column(Date)  # a calendar day, no time zone
    body: Mapped[str | None] = mapped_column(String(120))  # e.g. "college van burgemeester en schepenen"
    remarks: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ScreenLink(Base):
    """A link to a group's presenter view (/scherm): the only key to that page, until it expires
    or the moderator stops it. Only a hash of the link's random part is kept (method/screen_link.py)."""

    __tablename__ = "screen_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
