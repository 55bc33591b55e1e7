"""Telegram events no step owns: the group became a supergroup (its chat id changed), and a button
press that no step recognises (an old message, a forged or garbled callback)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.menus import refresh_group
from storage import trajectories

log = logging.getLogger(__name__)


async def group_migrated(update: Update, context: BotContext) -> None:
    """The group was upgraded to a supergroup: every stored chat id follows to the new one."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    moved = await context.db.run(trajectories.move_chat, old, new)
    if moved is not None:
        await refresh_group(context.bot, context.texts, context.db, moved.id)
        log.info("trajectory %s moved from chat %s to supergroup %s", moved.id, old, new)


async def unknown_button(update: Update, context: BotContext) -> None:
    """Callback data no step's pattern matched: answer it (no endless spinner), change nothing."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.label("alert.stale"), show_alert=True)


def handlers() -> list:
    """Registered by bot/app.py after every step (the button catch-all must come last)."""
    return [
        MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated),
        CallbackQueryHandler(unknown_button),
    ]
