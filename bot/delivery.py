"""Private messages to members that must not get lost silently.

``deliver`` sends with retries (bot/messaging.py); what still does not arrive is recorded in the
``undelivered`` table, and ``report_undelivered`` tells the moderators once, in one private note
per batch (the group when no moderator can be reached), who missed what.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.context import Services
from bot.messaging import send_html
from storage import undelivered
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
    """Tell the moderators, once, about messages that did not arrive; True when there were any."""
    missed = await services.db.run(undelivered.take_unreported, trajectory_id)
    trajectory = await services.db.run(by_id, trajectory_id)
    if not missed or trajectory is None:
        return bool(missed)
    told = False
    for telegram_id, lang, reachable in await services.db.run(moderators, trajectory_id):
        if not reachable:
            continue
        text = services.texts.render(lang, "delivery/undelivered", missed=missed, trajectory=trajectory)
        try:
            await send_html(bot, telegram_id, text)
            told = True
        except (Forbidden, BadRequest, RetryAfter, NetworkError):
            continue
    if not told:
        text = services.texts.render(trajectory.language, "delivery/undelivered", missed=missed, trajectory=trajectory)
        try:
            await send_html(bot, trajectory.chat_id, text)
        except (Forbidden, BadRequest, RetryAfter, NetworkError) as error:
            log.warning("could not tell trajectory %s about undelivered messages: %s", trajectory_id, error)
    return True
