"""What the bot says to a message nobody waited for: an unknown command, or input it did not ask for.

Which step takes an answer the bot does wait for is decided in conversations/answers.py.
"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.menus import GROUP, MODERATOR
from bot.messaging import send_html

GROUP_COMMANDS = frozenset(MODERATOR + GROUP) - {"help", "taal"}


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have here: a group command says so, anything else is unknown."""
    assert update.effective_chat is not None
    message = update.effective_message
    name = (message.text or "").split()[0].lstrip("/").split("@")[0].lower() if message and message.text else ""
    template = "common/group_only" if name in GROUP_COMMANDS else "common/unknown_command"
    await send_html(context.bot, update.effective_chat.id, context.render(template))


async def unexpected_input(update: Update, context: BotContext) -> None:
    """Text, a file or a sticker when the bot asked nothing."""
    assert update.effective_chat is not None
    await send_html(context.bot, update.effective_chat.id, context.render("common/unexpected_input"))
