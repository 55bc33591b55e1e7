"""Messages no command took: answers the bot waits for, else (in private) a friendly word.

Steps that wait for free text (a reason on a ballot, an anonymous dialogue answer, the
organisation's name, a scan file ...) register a *consumer*: an async function that returns
True when the message was theirs. One handler per chat kind tries them in order, so no step
swallows another step's message. A group only shows the bot replies to its questions (privacy
mode), so group consumers get replies; ``answered_prompt`` tells which question was answered, and
``moderator_answer`` also turns away an answer from someone who may not give it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import BotContext
from bot.menus import ADMINS, GROUP
from bot.messaging import send_html
from storage import prompts
from storage.records import PromptRecord

GROUP_COMMANDS = frozenset(ADMINS + GROUP) - {"help", "taal"}

Consumer = Callable[[Update, BotContext], Awaitable[bool]]


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


async def answered_prompt(update: Update, context: BotContext, kind: str) -> PromptRecord | None:
    """The open question of ``kind`` that this group message replies to, if it does."""
    actor, message = context.actor, update.effective_message
    if actor is None or actor.trajectory is None or message is None or message.reply_to_message is None:
        return None
    prompt = await context.db.run(prompts.find, actor.trajectory.chat_id, kind)
    if prompt is None or prompt.message_id != message.reply_to_message.message_id:
        return None
    return prompt


async def moderator_answer(update: Update, context: BotContext, kind: str) -> PromptRecord | bool:
    """The open question of ``kind`` this group message replies to, answered by a moderator.

    False: not an answer to that question (the next consumer may take it). True: an answer from
    someone who is not a moderator; they were told so, and the question stays open."""
    prompt = await answered_prompt(update, context, kind)
    if prompt is None:
        return False
    message, actor = update.effective_message, context.actor
    assert message is not None and actor is not None
    if not actor.is_moderator:
        await send_html(context.bot, message.chat_id, context.render("common/moderator_only"), reply_to=message.message_id)
        return True
    return prompt


def handlers(consumers: Sequence[Consumer] = (), group_consumers: Sequence[Consumer] = ()) -> list:
    """Registered last in group 0, so they only catch what no step handler took."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE

    async def group_reply(update: Update, context: BotContext) -> None:
        """A reply in the group: offered to the steps that asked something there."""
        for consumer in group_consumers:
            if await consumer(update, context):
                return

    async def private_message(update: Update, context: BotContext) -> None:
        """Offer the message to each waiting step; nobody wanted it: say so kindly."""
        for consumer in consumers:
            if await consumer(update, context):
                return
        await unexpected_input(update, context)

    return [
        MessageHandler(filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND, group_reply),
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & ~filters.COMMAND, private_message),
    ]
