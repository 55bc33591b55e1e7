"""Tables of what goes in and out: the outbox, undelivered messages, the webhook inbox, instance settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


class Undelivered(Base):
    """A message Telegram would not take after retries: who missed what, until the moderator is told."""

    __tablename__ = "undelivered"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))  # ballot | dream_template | feedback | invitation | ...
    reason: Mapped[str] = mapped_column(String(32))  # blocked | refused | server_error | timeout | flood
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the moderator was told


class InboundUpdate(Base):
    """An update Telegram pushed to the webhook, stored before it is acknowledged.

    The primary key is Telegram's update_id, so a retried push is stored once. Updates of one
    ``lane`` (the chat, else the user) are processed one at a time in update_id order by whichever
    instance holds the lane (bot/inbox.py); ``done_at`` marks them processed, and done rows are
    pruned once Telegram can no longer retry them.
    """

    __tablename__ = "inbound_update"
    __table_args__ = (Index("ix_inbound_update_done_at_lane", "done_at", "lane", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    lane: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)  # the update's JSON as Telegram sent it
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16))  # processed | gave_up


class InstanceSetting(Base):
    """A value every instance on this database must agree on (e.g. the ballot key's fingerprint)."""

    __tablename__ = "instance_setting"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


# --- What the bot sends on its own initiative ---------------------------------------------------


class OutboxMessage(Base):
    """A message the bot owes someone, written in the same transaction as what causes it.

    The sender (bot/outbox.py) drains these fairly across ``lane`` (the trajectory, else the chat)
    and deletes a row once Telegram took it (or once it is given up and recorded in
    ``undelivered``), so the table only holds what is still owed. A ballot or a member's feedback
    has no ``text``: it is drawn from the database when it goes, so no score waits here next to a
    chat id.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_chat_id_id", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lane: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)  # the forum topic, when there is one
    kind: Mapped[str] = mapped_column(String(32))  # announce | progress | ballot | notice | ...
    trajectory_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text)  # Telegram HTML, for kinds drawn when queued
    markup: Mapped[str | None] = mapped_column(Text)  # the inline keyboard as JSON
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
