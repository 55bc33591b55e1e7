"""What nobody else handled in a private chat: an unknown command, or a message out of turn."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import BotContext
from bot.messaging import send_html


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have."""
    assert update.effective_chat is not None
    await send_html(context.bot, update.effective_chat.id, context.render("common/unknown_command"))


async def unexpected_input(update: Update, context: BotContext) -> None:
    """Text, a file or a sticker when the bot asked nothing."""
    assert update.effective_chat is not None
    await send_html(context.bot, update.effective_chat.id, context.render("common/unexpected_input"))


def handlers() -> list:
    """Registered last in group 0, so they only catch what no step handler took."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & ~filters.COMMAND, unexpected_input),
    ]
