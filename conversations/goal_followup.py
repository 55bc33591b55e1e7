"""After the report: the approved goals followed up in the chat (issue 21).

The follow-up starts when the council's decision "approved" is recorded, or with /opvolging (the
moderator). /opvolging shows the rhythm (quarterly by default, or monthly) as buttons, and a
button to ask for the values now. Each round, every goal's owner (its author at first) is asked
privately for the indicator's current value and one line on what happened, with the buttons
"nothing changed" and "hand to someone else"; the value must be a number, in the indicator's
unit when one is given. /voortgang in the group shows every goal per theme (on time, behind,
done, no report) and a chart of each goal's path. The clock is conversations/followup_rounds.py.
"""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.documents.progress_chart import render_progress
from bot.guards import moderator_only, registered_group
from bot.keyboards.followup import (
    ANSWER_PATTERN,
    CADENCE_PATTERN,
    HAND_PATTERN,
    HAND_TO_PATTERN,
    ROUND_NOW_PATTERN,
    SAME_PATTERN,
    SKIP_NOTE_PATTERN,
    ask_keyboard,
    note_keyboard,
    people_keyboard,
    plan_keyboard,
)
from bot.messaging import drop_buttons, edit_html, send_html, send_picture
from conversations import followup_rounds
from conversations.dream_reminders import instance_id
from conversations.followup_rounds import PROMPT, deliver
from method import followup as method
from method.text_input import clean_text
from storage import followup, followup_owners, followup_progress, next_trajectory, prompts
from storage.records import PromptRecord, TrajectoryRecord
from storage.records.followup import FollowedGoal, ReportOutcome

MAX_NOTE = 300
STATUS_ORDER = {status: index for index, status in enumerate(method.STATUSES)}


def now():  # noqa: ANN201 - the follow-up's one clock (tests replace it there)
    return followup_rounds.now()


# --- starting, the rhythm ----------------------------------------------------------------------


async def begin(context: BotContext, trajectory: TrajectoryRecord) -> None:
    """Start the follow-up (after the council's green light) and show the plan in the group; once,
    and only when there are approved goals to follow."""
    await context.db.run(followup.enrol, trajectory.id)
    if not await context.db.run(followup_progress.goals, trajectory.id, now().date()):
        return
    if await context.db.run(followup.start, trajectory.id, now()):
        await _send_plan(context, trajectory, started=True)


async def _plan_message(context: BotContext, trajectory: TrajectoryRecord, *, started: bool) -> dict:
    plan = await context.db.run(followup_progress.plan, trajectory.id)
    assert plan is not None
    text = context.texts.render(
        trajectory.language, "followup/plan", plan=plan, started=started, timezone=trajectory.timezone
    )
    return {
        "text": text,
        "reply_markup": plan_keyboard(context.texts, trajectory.language, trajectory.id, plan.cadence),
    }


async def _send_plan(context: BotContext, trajectory: TrajectoryRecord, *, started: bool) -> None:
    await send_html(context.bot, trajectory.chat_id, **await _plan_message(context, trajectory, started=started))


@moderator_only
async def plan_command(update: Update, context: BotContext) -> None:
    """/opvolging: start the follow-up when it did not start yet; the rhythm and "ask now" as buttons."""
    trajectory = context.trajectory
    await context.db.run(followup.enrol, trajectory.id)
    if not await context.db.run(followup_progress.goals, trajectory.id, now().date()):
        await send_html(context.bot, trajectory.chat_id, context.render("followup/problem", code="no_goals"))
        return
    started = await context.db.run(followup.start, trajectory.id, now())
    await _send_plan(context, trajectory, started=started)


def _same_group(context: BotContext) -> bool:
    return int(context.matches[0].group(1)) == context.trajectory.id


@moderator_only
async def cadence_pressed(update: Update, context: BotContext) -> None:
    """fuc:<group>:<cadence>: monthly or quarterly; the rounds still to come are planned again."""
    query = update.callback_query
    assert query is not None
    if not _same_group(context):
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await query.answer()
    await context.db.run(followup.start, context.trajectory.id, now(), context.matches[0].group(2))
    await edit_html(query, **await _plan_message(context, context.trajectory, started=False))


@moderator_only
async def round_now_pressed(update: Update, context: BotContext) -> None:
    """fur:<group>: ask every owner now (the next tick sends the questions)."""
    query = update.callback_query
    assert query is not None
    if not _same_group(context):
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await context.db.run(followup.start, context.trajectory.id, now())
    planned = await context.db.run(followup.round_now, context.trajectory.id, now())
    await query.answer(
        context.label("followup.alert.round_planned" if planned else "followup.alert.round_open"), show_alert=True
    )
    if planned:
        await followup_rounds.run_followup(context.application, now())


# --- the owner's answers ----------------------------------------------------------------------


async def _goal_for(context: BotContext, goal_id: int) -> FollowedGoal | None:
    return await context.db.run(followup_progress.goal, goal_id, now().date())


async def followup_answer(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A private text while a follow-up question waits: the value (and maybe the line), or the line."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not prompt.payload:
        return False
    goal_id_text, step = prompt.payload.split(":")
    goal_id = int(goal_id_text)
    goal = await _goal_for(context, goal_id)
    if goal is None:
        await context.db.run(prompts.close, message.chat_id, PROMPT)
        return False
    if message.text is None:
        await send_html(context.bot, message.chat_id, context.render("followup/problem", code="not_number", goal=goal))
        return True
    if step == "note":
        cleaned = clean_text(message.text, MAX_NOTE)
        if not cleaned.ok or cleaned.value is None:
            await send_html(
                context.bot, message.chat_id, context.render("followup/problem", code="long_note", limit=MAX_NOTE)
            )
            return True
        await context.db.run(followup.set_note, goal_id, user.id, cleaned.value)
        await context.db.run(prompts.close, message.chat_id, PROMPT)
        await _drop_old_buttons(context, message.chat_id, prompt.message_id)
        outcome = await context.db.run(followup.record_state, goal_id, user.id, now())
        await _thank(context, message.chat_id, outcome)
        return True
    check = method.check_value(message.text, goal.unit)
    if check.problem == "not_number" and await _other_question_open(context, message.chat_id):
        return False  # no number at all: the answer to another question that waits here (answers.py)
    if not check.ok or check.value is None:
        await send_html(
            context.bot,
            message.chat_id,
            context.render("followup/problem", code=check.problem, goal=goal, given=check.unit),
        )
        return True
    note = clean_text(check.note, MAX_NOTE).value if check.note else None
    outcome = await context.db.run(followup.record, goal_id, user.id, check.value, note, now())
    if outcome.status != "ok" or outcome.goal is None:
        await context.db.run(prompts.close, message.chat_id, PROMPT)
        await send_html(
            context.bot, message.chat_id, context.render("followup/problem", code=outcome.status, goal=goal)
        )
        return True
    await _drop_old_buttons(context, message.chat_id, prompt.message_id)
    if note is None and not outcome.goal.done:
        (asked,) = await send_html(
            context.bot,
            message.chat_id,
            context.render("followup/ask_note", goal=outcome.goal),
            reply_markup=note_keyboard(context.texts, context.lang, goal_id),
        )
        await context.db.run(
            prompts.ask,
            goal.trajectory_id,
            message.chat_id,
            PROMPT,
            message_id=asked.message_id,
            payload=f"{goal_id}:note",
        )
        return True
    await context.db.run(prompts.close, message.chat_id, PROMPT)
    await _thank(context, message.chat_id, outcome)
    return True


async def _other_question_open(context: BotContext, chat_id: int) -> bool:
    return any(prompt.kind != PROMPT for prompt in await context.db.run(prompts.open_in_chat, chat_id))


async def _drop_old_buttons(context: BotContext, chat_id: int, message_id: int | None) -> None:
    if message_id is None:
        return
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest:
        pass


async def _thank(context: BotContext, chat_id: int, outcome: ReportOutcome) -> None:
    """Thanks with where the goal stands; then the next goal this person still has to report on."""
    if outcome.goal is not None:
        await send_html(context.bot, chat_id, context.render("followup/thanks", goal=outcome.goal))
    if outcome.next_goal_id is None:
        return
    following = await _goal_for(context, outcome.next_goal_id)
    if following is None:
        return
    (asked,) = await send_html(
        context.bot,
        chat_id,
        context.render("followup/ask", goal=following, kind="next", round_kind="regular", number=0, handed_by=None),
        reply_markup=ask_keyboard(context.texts, context.lang, following.goal_id),
    )
    await context.db.run(
        prompts.ask,
        following.trajectory_id,
        chat_id,
        PROMPT,
        message_id=asked.message_id,
        payload=f"{following.goal_id}:value",
    )


def _private(update: Update) -> bool:
    query = update.callback_query
    return query is not None and query.message is not None and query.message.chat.id == query.from_user.id


async def answer_pressed(update: Update, context: BotContext) -> None:
    """fua:<goal>: the next text is this goal's value (when one owns several)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal = await _goal_for(context, int(context.matches[0].group(1)))
    if not _private(update) or goal is None or goal.done or not await _is_owner(context, goal, query.from_user.id):
        await query.answer(context.label("followup.alert.not_owner"), show_alert=True)
        return
    await query.answer(context.label("followup.alert.send_value"))
    await context.db.run(
        prompts.ask,
        goal.trajectory_id,
        query.message.chat.id,
        PROMPT,
        message_id=query.message.message_id,
        payload=f"{goal.goal_id}:value",
    )


async def _is_owner(context: BotContext, goal: FollowedGoal, telegram_id: int) -> bool:
    return goal.person_id is not None and await context.db.run(followup_owners.is_owner, goal.goal_id, telegram_id)


async def same_pressed(update: Update, context: BotContext) -> None:
    """fun:<goal>: nothing changed since the last report."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal_id = int(context.matches[0].group(1))
    if not _private(update):
        await query.answer(context.label("followup.alert.not_owner"), show_alert=True)
        return
    outcome = await context.db.run(followup.record, goal_id, query.from_user.id, None, None, now())
    if outcome.status != "ok":
        await query.answer(context.label(f"followup.alert.{outcome.status}"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    prompt = await context.db.run(prompts.find, query.message.chat.id, PROMPT)
    if prompt is not None and prompt.payload and prompt.payload.startswith(f"{goal_id}:"):
        await context.db.run(prompts.close, query.message.chat.id, PROMPT)
    await _thank(context, query.message.chat.id, outcome)


async def skip_note_pressed(update: Update, context: BotContext) -> None:
    """fus:<goal>: no line this time."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal_id = int(context.matches[0].group(1))
    if not _private(update):
        await query.answer(context.label("followup.alert.not_owner"), show_alert=True)
        return
    outcome = await context.db.run(followup.record_state, goal_id, query.from_user.id, now())
    if outcome.status != "ok":
        await query.answer(context.label(f"followup.alert.{outcome.status}"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await context.db.run(prompts.close, query.message.chat.id, PROMPT)
    await _thank(context, query.message.chat.id, outcome)


async def hand_pressed(update: Update, context: BotContext) -> None:
    """fuh:<goal>: whom to hand the goal to (the group's members as buttons)."""
    query = update.callback_query
    assert query is not None
    goal_id = int(context.matches[0].group(1))
    people = await context.db.run(followup_owners.candidates, goal_id, query.from_user.id) if _private(update) else None
    if people is None:
        await query.answer(context.label("followup.alert.not_owner"), show_alert=True)
        return
    await query.answer()
    goal = await _goal_for(context, goal_id)
    if not people:
        await send_html(context.bot, query.from_user.id, context.render("followup/problem", code="nobody", goal=goal))
        return
    await send_html(
        context.bot,
        query.from_user.id,
        context.render("followup/choose", goal=goal),
        reply_markup=people_keyboard(goal_id, people),
    )


async def hand_to_pressed(update: Update, context: BotContext) -> None:
    """fuh:<goal>:<person>: the goal's reporting goes to that member; asked at once when a round is open."""
    query = update.callback_query
    assert query is not None
    goal_id, person_id = int(context.matches[0].group(1)), int(context.matches[0].group(2))
    if not _private(update):
        await query.answer(context.label("followup.alert.not_owner"), show_alert=True)
        return
    status, job = await context.db.run(
        followup_owners.hand_over, goal_id, query.from_user.id, person_id, now(), instance_id(context.application)
    )
    if status != "ok":
        await query.answer(context.label(f"followup.alert.{status}"), show_alert=True)
        return
    await query.answer()
    goal = await _goal_for(context, goal_id)
    assert goal is not None
    await edit_html(query, context.render("followup/handed", goal=goal))
    prompt = await context.db.run(prompts.find, query.from_user.id, PROMPT)
    if prompt is not None and prompt.payload and prompt.payload.startswith(f"{goal_id}:"):
        await context.db.run(prompts.close, query.from_user.id, PROMPT)
    giver = " ".join(p for p in (query.from_user.first_name, query.from_user.last_name) if p)
    if job is not None:
        await deliver(context.application, job, now(), handed_by=giver)
        return
    where = await context.db.run(followup_owners.owner_chat, goal_id)
    if where is not None:
        telegram_id, language = where
        try:
            await send_html(
                context.bot, telegram_id, context.render("followup/handed_to", lang=language, goal=goal, by=giver)
            )
        except (Forbidden, BadRequest):
            pass


# --- /voortgang ------------------------------------------------------------------------------------


def status_words(context: BotContext, lang: str) -> dict[str, str]:
    words = {status: context.texts.label(lang, f"followup.status.{status}") for status in method.STATUSES}
    words["path"] = context.texts.label(lang, "followup.chart.path")
    words["reported"] = context.texts.label(lang, "followup.chart.reported")
    return words


@registered_group
async def progress_command(update: Update, context: BotContext) -> None:
    """/voortgang: every followed goal per theme at a glance, and the chart of their paths."""
    trajectory = context.trajectory
    lang = trajectory.language
    found = await context.db.run(followup_progress.goals, trajectory.id, now().date())
    plan = await context.db.run(followup_progress.plan, trajectory.id)
    earlier = None
    if not found:
        # A group that started a new trajectory still follows the goals of the closed one.
        earlier = await context.db.run(next_trajectory.previous_of, trajectory.id)
        if earlier is not None:
            found = await context.db.run(followup_progress.goals, earlier.id, now().date())
            plan = await context.db.run(followup_progress.plan, earlier.id)
    text = context.texts.render(
        lang,
        "followup/progress",
        goals=found,
        plan=plan,
        previous=bool(found and earlier),
        timezone=trajectory.timezone,
    )
    await send_html(context.bot, trajectory.chat_id, text)
    if not found or not any(goal.reports for goal in found):
        return
    chart = await asyncio.to_thread(render_progress, found, status_words(context, lang))
    caption = context.texts.render(lang, "followup/chart_caption", goals=found)
    await send_picture(context.bot, trajectory.chat_id, chart, "voortgang.png", caption)


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("opvolging", plan_command, filters=groups),
        CommandHandler("voortgang", progress_command, filters=groups),
        CallbackQueryHandler(cadence_pressed, pattern=CADENCE_PATTERN),
        CallbackQueryHandler(round_now_pressed, pattern=ROUND_NOW_PATTERN),
        CallbackQueryHandler(answer_pressed, pattern=ANSWER_PATTERN),
        CallbackQueryHandler(same_pressed, pattern=SAME_PATTERN),
        CallbackQueryHandler(skip_note_pressed, pattern=SKIP_NOTE_PATTERN),
        CallbackQueryHandler(hand_to_pressed, pattern=HAND_TO_PATTERN),
        CallbackQueryHandler(hand_pressed, pattern=HAND_PATTERN),
    ]
