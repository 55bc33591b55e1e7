"""Telegram events around the group itself: it became a supergroup (its chat id changed)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import BotContext
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
        log.info("trajectory %s moved from chat %s to supergroup %s", moved.id, old, new)


def handlers() -> list:
    """Registered by bot/app.py before the fallbacks."""
    return [MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated)]
