"""What the bot waits for from a person, and the step that takes the answer.

Every question the bot asks and then waits for is a row in the ``prompt`` table
(storage/prompts.py): its kind says which step asked, its payload what the answer is for. A
message that no command took is matched here with one lookup:

- in private, the chat's open questions, newest first: an answer goes to what the bot asked last.
  A step may still decline (a reason must be a reply to its question; a moderator's processing
  step takes only its typed commands); the next older question is tried then;
- when no question takes it, the steps that wait without asking anyone in particular: a filled
  dream-image template, an anonymous dialogue, a scan file, a dream image before a theme was chosen;
- in a group, the question the message replies to; only a moderator may answer those.

The tables below are the whole state machine: a step that waits for text adds its kind here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.context import BotContext
from bot.messaging import send_html
from conversations import (
    ballot,
    dialogue,
    dream_processing,
    dream_steps,
    dreams,
    evaluation,
    goals,
    onboarding,
    portability,
    report,
    theme_edits,
    themes,
)
from conversations.fallbacks import unexpected_input, unknown_command
from storage import prompts
from storage.records import PromptRecord

Answer = Callable[[Update, BotContext, PromptRecord], Awaitable[bool]]
Unasked = Callable[[Update, BotContext], Awaitable[bool]]

PRIVATE: Mapping[str, Answer] = {
    goals.GOAL_PROMPT: goals.goal_answer,
    ballot.REASON_PROMPT: ballot.reason_reply,
    dreams.EDIT_PROMPT: dreams.edit_reply,
    evaluation.PROMPT: evaluation.answer_reply,
    dream_processing.PROCESS_PROMPT: dream_processing.moderator_text,
    dreams.THEME_PROMPT: dreams.dream_for_theme,
    dream_steps.REPHRASE_PROMPT: dream_steps.rephrase_reply,
}
"""Private questions: the kind of the open question -> the step that takes its answer."""

UNASKED: tuple[Unasked, ...] = (
    dreams.document_reply,
    dialogue.private_answer,
    themes.private_document,
    dreams.dream_text,
)
"""Private messages no question took, offered in this order to the steps that wait for anyone."""

GROUP: Mapping[str, Answer] = {
    onboarding.ORGANISATION_PROMPT: onboarding.organisation_reply,
    themes.IMPORT_PROMPT: themes.import_reply,
    theme_edits.TEXT_PROMPT: theme_edits.text_reply,
    report.DECISION_PROMPT: report.decision_reply,
    portability.RESTORE_PROMPT: portability.restore_reply,
}
"""Questions asked in a group (a moderator's reply answers them)."""


async def private_message(update: Update, context: BotContext) -> None:
    """A private message no command took: the answer to the newest open question that takes it."""
    message = update.effective_message
    assert message is not None
    for prompt in await context.db.run(prompts.open_in_chat, message.chat_id):
        answer = PRIVATE.get(prompt.kind)
        if answer is not None and await answer(update, context, prompt):
            return
    for step in UNASKED:
        if await step(update, context):
            return
    await unexpected_input(update, context)


async def group_reply(update: Update, context: BotContext) -> None:
    """A reply in the group: the answer to the bot's question it replies to, if a moderator gave it."""
    message, actor = update.effective_message, context.actor
    if message is None or message.reply_to_message is None or actor is None or actor.trajectory is None:
        return
    prompt = await context.db.run(
        prompts.asked_by_message, actor.trajectory.chat_id, message.reply_to_message.message_id
    )
    answer = GROUP.get(prompt.kind) if prompt is not None else None
    if prompt is None or answer is None:
        return
    if not actor.is_moderator:
        await send_html(
            context.bot, message.chat_id, context.render("common/moderator_only"), reply_to=message.message_id
        )
        return
    await answer(update, context, prompt)


def handlers() -> list:
    """Registered last in group 0, so they only catch what no step handler took."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        MessageHandler(filters.ChatType.GROUPS & filters.REPLY & ~filters.COMMAND, group_reply),
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & ~filters.COMMAND, private_message),
    ]
