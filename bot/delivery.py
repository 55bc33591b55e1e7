"""Private messages to members that must not get lost silently.

``deliver`` sends with retries (bot/messaging.py); what still does not arrive is recorded in the
``undelivered`` table, and ``report_undelivered`` tells the moderators once, in one private note
per batch (the group when no moderator can be reached), who missed what.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.orm import Session
from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import Services
from bot.messaging import send_html
from bot.render import Texts
from storage import outbox, undelivered
from storage.reminders import moderators
from storage.trajectories import by_id

log = logging.getLogger(__name__)


def reason_of(error: Exception) -> str:
    """A short, text-free reason for the table and the moderator's note."""
    if isinstance(error, Forbidden):
        return "blocked"
    if isinstance(error, BadRequest):
        return "refused"
    if isinstance(error, RetryAfter):
        return "flood"
    if isinstance(error, TimedOut):
        return "timeout"
    return "server_error"


async def deliver(
    bot: Bot,
    services: Services,
    chat_id: int,
    text: str,
    *,
    kind: str,
    trajectory_id: int | None,
    person_id: int | None = None,
    reply_markup: object | None = None,
) -> Sequence[Message] | None:
    """Send to a member's private chat; None (and recorded) when it did not arrive after retries."""
    try:
        return await send_html(bot, chat_id, text, reply_markup=reply_markup, retry_timeouts=True)
    except (Forbidden, BadRequest, RetryAfter, NetworkError) as error:
        reason = reason_of(error)
        log.info("%s for chat %s not delivered: %s", kind, chat_id, reason)
        await services.db.run(
            undelivered.record, chat_id, kind, reason, trajectory_id=trajectory_id, person_id=person_id
        )
        return None


async def report_undelivered(bot: Bot, services: Services, trajectory_id: int) -> bool:
    """Tell the moderators, once, about messages that did not arrive; True when there were any.

    The note is queued in the outbox (bot/outbox.py) in the same transaction that marks the
    messages as told: privately to every moderator the bot can reach, else to the group."""
    told = await services.db.run(_queue_report, services.texts, trajectory_id)
    if told:
        services.wakeup.set()
    return told


def _queue_report(session: Session, texts: Texts, trajectory_id: int) -> bool:
    missed = undelivered.take_unreported(session, trajectory_id)
    trajectory = by_id(session, trajectory_id)
    if not missed or trajectory is None:
        return bool(missed)
    reachable = [(telegram_id, lang) for telegram_id, lang, can in moderators(session, trajectory_id) if can]
    for telegram_id, lang in reachable or [(trajectory.chat_id, trajectory.language)]:
        note = texts.render(lang, "delivery/undelivered", missed=missed, trajectory=trajectory)
        outbox.add(session, telegram_id, "notice", text=note, trajectory_id=trajectory_id)
    return True
