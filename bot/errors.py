"""The global error handler: log with context, tell the user in plain words, never a traceback."""

from __future__ import annotations

import logging
import traceback

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.messaging import send_html

log = logging.getLogger("kopgroep.errors")


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (ids only: no message texts) and apologise in the chat's language."""
    if not isinstance(update, Update):
        error = context.error
        from bot.outage import report_job_error  # bot.outage uses database_away from here

        what = context.job.name if context.job is not None and context.job.name else "a job"
        if report_job_error(context.application, what, error):
            return  # one line per outage (bot/outage.py)
        log.error("error outside an update: %s\n%s", type(error).__name__, _where(error))
        log.debug("error outside an update", exc_info=error)
        return
    await apologise(update, context, context.error)


async def apologise(update: Update, context: BotContext, error: BaseException | None) -> None:
    """Log ``error`` with the update's ids and tell the user, once, in plain words."""
    chat = update.effective_chat
    user = update.effective_user
    # The error's message can quote what someone typed (a failed INSERT lists its parameters), so
    # at ERROR only its type and where it happened; the full error at DEBUG.
    log.error(
        "update %s failed (chat %s, user %s, kind %s): %s\n%s",
        update.update_id,
        chat.id if chat else None,
        user.id if user else None,
        _kind(update),
        type(error).__name__,
        _where(error),
    )
    log.debug("update %s failed", update.update_id, exc_info=error)
    # A database that is briefly away (restart, failover, lost connection) is worth another try;
    # the transaction was rolled back, so nothing half-done stays behind.
    template = "common/try_again" if database_away(error) else "common/error"
    if context.actor is None and context.private is None and user is not None and user.language_code:
        # The guard could not read the stored language: the user's Telegram language is the best guess.
        context.lang = context.texts.lang(user.language_code.split("-")[0])
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(context.render(template), show_alert=True)
        elif chat is not None:
            await send_html(context.bot, chat.id, context.render(template))
    except TelegramError:
        log.warning("could not tell chat %s about the error", chat.id if chat else None)


def _kind(update: Update) -> str:
    for kind in ("message", "edited_message", "callback_query", "my_chat_member", "chat_member"):
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


def database_away(error: BaseException | None) -> bool:
    """True for a lost or refused database connection (not for a bug in a query)."""
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated)


def _where(error: BaseException | None) -> str:
    """The stack of ``error`` (file, line, code) without its message."""
    return "".join(traceback.format_tb(error.__traceback__)) if error is not None else ""
