"""Step 6, the moderator's side of a proposed goal: approve, drop, adjust, or send it back.

A member's goal reaches the moderators privately (conversations/goals.py) with these buttons. The
SMART check decides what counts as ready: a flagged goal can be approved anyway, or sent back to
its author with the check's points, privately; the author reworks it letter by letter.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.keyboards.goals import DECIDE_PATTERN, summary_keyboard
from bot.messaging import edit_html, send_html
from conversations import goals as goal_steps
from conversations.goals import editable, flag_texts, moderates, own_private_chat, refuse, show_summary
from storage import goals
from storage.records import GoalRecord

log = logging.getLogger("kopgroep.goals")


async def decide_pressed(update: Update, context: BotContext) -> None:
    """gd:<goal>:ok|drop|edit: the moderator approves, drops or adjusts a goal."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal_id, action = int(context.matches[0].group(1)), context.matches[0].group(2)
    if not own_private_chat(update):
        await refuse(update, context, "not_allowed")
        return
    if action == "edit":
        goal = await editable(update, context, goal_id)
        if goal is None:
            return
        if not await moderates(context, goal, query.from_user.id):
            await refuse(update, context, "not_allowed")
            return
        await query.answer()
        await show_summary(context, query.message.chat.id, goal, query.from_user.id)
        return
    if action == "back":
        await _send_back(update, context, goal_id)
        return
    outcome = await context.db.run(
        goals.decide, goal_id, query.from_user.id, "approve" if action == "ok" else "drop", goal_steps.now()
    )
    if outcome.status != "ok" or outcome.goal is None:
        await refuse(update, context, outcome.status)
        return
    goal = outcome.goal
    await query.answer(context.label(f"goals.alert.{goal.status}"))
    text = context.render(
        "goals/summary", goal=goal, flags=flag_texts(context, context.lang, goal.flags), heading="decided"
    )
    await edit_html(query, text)
    await _tell_author(context, goal, query.from_user.id)


async def _send_back(update: Update, context: BotContext, goal_id: int) -> None:
    """gd:<goal>:back: the goal goes back to its author, with the SMART check's points, privately."""
    query = update.callback_query
    assert query is not None
    outcome = await context.db.run(goals.send_back, goal_id, query.from_user.id, goal_steps.now())
    if outcome.status != "ok" or outcome.goal is None:
        await refuse(update, context, outcome.status)
        return
    goal = outcome.goal
    await query.answer(context.label("goals.alert.returned"))
    delivered = await _return_to_author(context, goal)
    text = context.render(
        "goals/summary",
        goal=goal,
        flags=flag_texts(context, context.lang, goal.flags),
        heading="returned",
        delivered=delivered,
    )
    await edit_html(query, text)


async def _return_to_author(context: BotContext, goal: GoalRecord) -> bool:
    """The author gets the goal with its flags and the letter buttons; False when unreachable."""
    where = await context.db.run(goals.author_chat, goal.id)
    if where is None:
        return False
    telegram_id, language = where
    lang = context.texts.lang(language)
    text = context.render("goals/returned", lang=lang, goal=goal, flags=flag_texts(context, lang, goal.flags))
    keyboard = summary_keyboard(context.texts, lang, goal, moderator=False)
    try:
        await send_html(context.bot, telegram_id, text, reply_markup=keyboard)
    except (Forbidden, BadRequest) as error:
        log.info("goal %s not returned to its author: %s", goal.id, error)
        return False
    return True


async def _tell_author(context: BotContext, goal: GoalRecord, moderator_id: int) -> None:
    where = await context.db.run(goals.author_chat, goal.id)
    if where is None or where[0] == moderator_id:
        return
    telegram_id, language = where
    try:
        await send_html(context.bot, telegram_id, context.render("goals/decided", lang=language, goal=goal))
    except (Forbidden, BadRequest) as error:
        log.info("decision on goal %s not delivered to its author: %s", goal.id, error)


def handlers() -> list:
    return [CallbackQueryHandler(decide_pressed, pattern=DECIDE_PATTERN)]
