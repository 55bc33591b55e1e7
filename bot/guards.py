"""Who is this, which group, may they do this.

``identify`` runs in handler group -1 for every update and loads the sender's role (one
database unit; a score press checks its presser itself, see ``_SCORE_PRESS``); the decorators
below wrap handlers that need a role or a kind of chat.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext, telegram_user
from bot.errors import apologise, database_away
from bot.keyboards.ids import out_of_range
from bot.keyboards.voting import VOTE_PATTERN
from bot.membership import record_arrived
from bot.messaging import follow_topic, send_html
from bot.read_only import AFTER_CLOSING_PROMPTS, changes_closed, is_private_text
from storage import people, prompts
from storage.records import TrajectoryRecord

Callback = Callable[[Update, BotContext], Awaitable[object]]

# A score press, the commonest update of a round, checks its presser in the unit of work that
# stores the score (storage/ballots.py): the guard's own lookup would be a second unit for nothing.
_SCORE_PRESS = re.compile(VOTE_PATTERN)


def database_away_means_try_again(callback: Callback) -> Callback:
    """Run ``callback``; when the database is away the user hears "try again" and nothing else runs.

    The guard needs it (without the database nobody can be identified, and a step would refuse as
    if the group were unknown), and so does a handler that checks its user itself."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> object:
        try:
            return await callback(update, context)
        except SQLAlchemyError as error:
            if not database_away(error):
                raise
            await apologise(update, context, error)
            raise ApplicationHandlerStop from error

    return guarded


def fail_closed(guard: Callback) -> Callback:
    """An exception inside a guard ends the update: nothing after it runs unchecked.

    PTB hands a failed handler's error to the error handlers and then carries on with the next
    group, so a guard that raised would let the update through to the steps; this stops it (the
    error is still reported, and the user hears it went wrong)."""

    @functools.wraps(guard)
    async def guarded(update: Update, context: BotContext) -> object:
        try:
            return await guard(update, context)
        except ApplicationHandlerStop:
            raise
        except Exception as error:
            await context.application.process_error(update, error)
            raise ApplicationHandlerStop from error

    return guarded


@fail_closed
@database_away_means_try_again
async def identify(update: Update, context: BotContext) -> None:
    """Load the actor (group) or private context (private chat) and the update's language."""
    chat, user = update.effective_chat, update.effective_user
    await _refuse_out_of_range(update, context)
    message = update.effective_message
    # A message in a forum topic is answered in that topic (an inaccessible message has none).
    topic = getattr(message, "message_thread_id", None) if getattr(message, "is_topic_message", False) else None
    follow_topic(chat.id if chat else None, topic)
    if chat is None:
        if update.callback_query is not None:  # a press on an inline-mode message: none are ours
            await update.callback_query.answer(context.label("alert.stale"), show_alert=True)
            raise ApplicationHandlerStop
        return
    if chat.type == ChatType.PRIVATE:
        if user is None or user.is_bot:
            return
        if update.callback_query is not None and _SCORE_PRESS.match(update.callback_query.data or ""):
            return
        context.private = await context.db.run(people.private_context, telegram_user(user))
        person, current = context.private.person, context.private.current
        context.lang = context.texts.lang(person.language or (current.language if current else None))
        await _ignore_edits(update, context)
        await _refuse_empty_button(update, context)
        await _refuse_when_closed(update, context, current, private=True)
        return
    sender = telegram_user(user) if user is not None and not user.is_bot else None
    if sender is not None and update.message is not None and update.message.left_chat_member is None:
        record_arrived(context.services, chat.id, sender.telegram_id)  # who writes in the group is in it
    context.actor = await context.db.run(people.identify_in_group, chat.id, sender)
    if context.actor.trajectory is not None:
        context.lang = context.actor.trajectory.language
    await _ignore_edits(update, context)
    await _refuse_empty_button(update, context)
    await _refuse_when_closed(update, context, context.actor.trajectory, private=False)


async def _refuse_out_of_range(update: Update, context: BotContext) -> None:
    """A press whose numbers no table can hold (a forged ``vote:10^20:1:1``): answered plainly.

    Before anything reads the database, in the presser's Telegram language (none is loaded yet)."""
    query = update.callback_query
    if query is None or not query.data or not out_of_range(query.data):
        return
    language = query.from_user.language_code if query.from_user else None
    lang = context.texts.lang(language.split("-")[0] if language else None)
    await query.answer(context.label("alert.out_of_range", lang=lang), show_alert=True)
    raise ApplicationHandlerStop


async def _refuse_when_closed(
    update: Update, context: BotContext, trajectory: TrajectoryRecord | None, *, private: bool
) -> None:
    """A closed trajectory is read-only (bot/read_only.py): say so, and what still works."""
    if trajectory is None or trajectory.closed_at is None or not changes_closed(update, private=private):
        return
    if private and is_private_text(update) and update.effective_chat is not None:
        asked = await context.db.run(prompts.open_in_chat, update.effective_chat.id)
        if asked and asked[0].kind in AFTER_CLOSING_PROMPTS:
            return  # the newest open question is a goal's follow-up: its answer goes on
    lang = trajectory.language if not private else context.lang
    if update.callback_query is not None:
        await update.callback_query.answer(context.label("alert.closed", lang=lang), show_alert=True)
    elif update.effective_chat is not None:
        text = context.render("common/closed", lang=lang, trajectory=trajectory, private=private)
        await send_html(context.bot, update.effective_chat.id, text)
    raise ApplicationHandlerStop


async def _refuse_empty_button(update: Update, context: BotContext) -> None:
    """A press without callback data (a game button, a modified client) is no button of ours.

    PTB hands such a press to the first CallbackQueryHandler whatever its pattern, so it stops here.
    """
    query = update.callback_query
    if query is not None and not query.data:
        await query.answer(context.label("alert.stale"), show_alert=True)
        raise ApplicationHandlerStop


async def _ignore_edits(update: Update, context: BotContext) -> None:
    """An edited message is not taken again: an edited command or answer would run or count twice.

    In private the member hears how to change what they sent; in the group the bot stays quiet.
    """
    if update.edited_message is None:
        return
    if update.edited_message.chat.type == ChatType.PRIVATE:
        await send_html(context.bot, update.edited_message.chat_id, context.render("common/edit_ignored"))
    raise ApplicationHandlerStop


async def refuse(update: Update, context: BotContext, template: str, alert: str) -> None:
    """Tell the user no: a pop-up for a button press, a message otherwise."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.label(alert), show_alert=True)
    elif update.effective_chat is not None:
        await send_html(context.bot, update.effective_chat.id, context.render(template))


def registered_group(callback: Callback) -> Callback:
    """Only in a group that is registered as a steering group."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> object:
        if context.actor is None:
            await refuse(update, context, "common/group_only", "alert.stale")
            return None
        if context.actor.trajectory is None:
            await refuse(update, context, "onboarding/not_registered", "alert.stale")
            return None
        return await callback(update, context)

    return guarded


def moderator_only(callback: Callback) -> Callback:
    """Only a moderator, in a registered group."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> object:
        actor = context.actor
        if actor is not None and actor.trajectory is not None and not actor.is_moderator:
            await refuse(update, context, "common/moderator_only", "alert.moderator_only")
            return None
        return await callback(update, context)

    return registered_group(guarded)


def private_only(callback: Callback) -> Callback:
    """Only in the private chat with the bot."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: BotContext) -> object:
        if context.private is None:
            await refuse(update, context, "common/private_only", "alert.stale")
            return None
        return await callback(update, context)

    return guarded
