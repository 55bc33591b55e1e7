"""Step 7: the report for the council (/rapport) and the council's decision (/beslissing).

/rapport asks the moderator, with two buttons, whether members' names go in; the report is then
built from the database (storage/report.py, one unit of work) into a Word document, an HTML page
and a Markdown file (bot/documents/report/), sent privately to the moderator who pressed; the group gets a
short note.

/beslissing records the council's answer. In one line: ``/beslissing goedgekeurd 12 december 2026
Het college gaat akkoord``; alone, it asks the outcome with buttons, then the date (and remarks)
as a reply, the open question kept in the ``prompt`` table. The group hears the decision.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.documents.report.files import build_report, house_style
from bot.guards import moderator_only
from bot.keyboards import join_keyboard
from bot.keyboards.report import DECISION_PATTERN, NAMES_PATTERN, date_prompt, names_keyboard, outcome_keyboard
from bot.messaging import drop_buttons, send_html
from method.decisions import DecisionInput, parse_date_and_remarks, parse_decision
from storage import decisions, dream_summary, next_trajectory, prompts, report, trajectories
from storage.models import utcnow
from storage.records import PromptRecord, TrajectoryRecord

log = logging.getLogger("kopgroep.report")

DECISION_PROMPT = decisions.PROMPT  # in the group: message_id = the date question, payload = the outcome


PREVIOUS_WORDS = ("vorig", "vorige", "previous")


def now() -> datetime:  # replaced in tests
    return utcnow()


def today(trajectory: TrajectoryRecord) -> date:
    """The group's calendar day."""
    return now().astimezone(ZoneInfo(trajectory.timezone)).date()


# --- /rapport -----------------------------------------------------------------------------------


@moderator_only
async def report_command(update: Update, context: BotContext) -> None:
    """/rapport [vorig]: with or without members' names? Two buttons. "vorig": the report of the
    group's closed trajectory before this one (/nieuwtraject), which stays readable."""
    trajectory = context.trajectory
    if context.args and context.args[0].lower() in PREVIOUS_WORDS:
        earlier = await context.db.run(next_trajectory.previous_of, trajectory.id)
        if earlier is None:
            await send_html(context.bot, trajectory.chat_id, context.render("next_trajectory/no_previous"))
            return
        trajectory = earlier
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render("report/choose"),
        reply_markup=names_keyboard(context.texts, context.lang, trajectory.id),
    )


async def _moderator_press(update: Update, context: BotContext, trajectory_id: int) -> TrajectoryRecord | None:
    """The group, when the presser moderates it and pressed in its chat; else a short refusal."""
    query = update.callback_query
    assert query is not None
    trajectory = await context.db.run(trajectories.by_id, trajectory_id)
    in_its_chat = trajectory is not None and query.message is not None and query.message.chat.id == trajectory.chat_id
    if not in_its_chat:
        await query.answer(context.label("report.alert.stale"), show_alert=True)
        return None
    assert trajectory is not None
    if not await context.db.run(dream_summary.is_moderator, trajectory_id, query.from_user.id):
        await query.answer(context.label("report.alert.moderator_only", lang=trajectory.language), show_alert=True)
        return None
    return trajectory


async def names_pressed(update: Update, context: BotContext) -> None:
    """rpt:<group>:<0|1>: build the report and send it to the presser, privately."""
    query = update.callback_query
    assert query is not None
    trajectory_id, with_names = int(context.matches[0].group(1)), context.matches[0].group(2) == "1"
    trajectory = await _moderator_press(update, context, trajectory_id)
    if trajectory is None:
        return
    await query.answer()
    await drop_buttons(query)
    data = await context.db.run(report.report_data, trajectory.id, on=today(trajectory), with_names=with_names)
    files = await asyncio.to_thread(build_report, data, context.texts, house_style(context.services.settings.report_template))
    lang = trajectory.language
    moderator = query.from_user
    try:
        await send_html(
            context.bot, moderator.id, context.texts.render(lang, "report/sent", data=data, with_names=with_names)
        )
        await context.bot.send_document(moderator.id, InputFile(files.docx, filename=files.docx_name))
        await context.bot.send_document(moderator.id, InputFile(files.html.encode("utf-8"), filename=files.html_name))
        await context.bot.send_document(moderator.id, InputFile(files.markdown_zip, filename=files.markdown_zip_name))
    except (Forbidden, BadRequest):
        keyboard = join_keyboard(context.texts, lang, context.bot.username, trajectory.join_token)
        await send_html(
            context.bot, trajectory.chat_id, context.texts.render(lang, "report/private_closed"), reply_markup=keyboard
        )
        return
    await send_html(
        context.bot, trajectory.chat_id, context.texts.render(lang, "report/made", name=moderator.first_name)
    )


# --- /beslissing --------------------------------------------------------------------------------


@moderator_only
async def decision_command(update: Update, context: BotContext) -> None:
    """/beslissing [uitkomst datum [opmerkingen]]: record it, or ask for it step by step."""
    trajectory = context.trajectory
    message = update.effective_message
    assert message is not None and message.text is not None
    parts = message.text.split(maxsplit=1)
    if len(parts) == 1:
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("report/decision_ask"),
            reply_markup=outcome_keyboard(context.texts, context.lang, trajectory.id),
        )
        return
    parsed = parse_decision(parts[1], today(trajectory))
    if not isinstance(parsed, DecisionInput):
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("report/decision_problem", code=parsed.code, moment=parsed.moment, guided=False),
        )
        return
    await record_and_announce(update, context, trajectory, parsed)


async def outcome_pressed(update: Update, context: BotContext) -> None:
    """dec:<group>:<outcome>: the outcome is known; now the date, as a reply."""
    query = update.callback_query
    assert query is not None
    trajectory_id, outcome = int(context.matches[0].group(1)), context.matches[0].group(2)
    trajectory = await _moderator_press(update, context, trajectory_id)
    if trajectory is None:
        return
    await query.answer()
    lang = trajectory.language
    await drop_buttons(query)
    (question,) = await send_html(
        context.bot,
        trajectory.chat_id,
        context.texts.render(lang, "report/decision_date", outcome=outcome),
        reply_markup=date_prompt(context.texts, lang),
    )
    await context.db.run(
        prompts.ask, trajectory.id, trajectory.chat_id, DECISION_PROMPT, message_id=question.message_id, payload=outcome
    )


async def decision_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A moderator's date (and remarks) answering the decision question (conversations/answers.py)."""
    message, actor = update.effective_message, context.actor
    assert message is not None and actor is not None and actor.trajectory is not None
    parsed = parse_date_and_remarks(prompt.payload or "", message.text or "", today(actor.trajectory))
    if not isinstance(parsed, DecisionInput) or prompt.payload not in decisions.OUTCOMES:
        # The question stays open: a new reply to it may try again.
        code = parsed.code if not isinstance(parsed, DecisionInput) else "outcome"
        moment = parsed.moment if not isinstance(parsed, DecisionInput) else None
        await send_html(
            context.bot,
            message.chat_id,
            context.render("report/decision_problem", code=code, moment=moment, guided=True),
            reply_to=message.message_id,
        )
        return True
    await record_and_announce(update, context, actor.trajectory, parsed)
    return True


async def record_and_announce(
    update: Update, context: BotContext, trajectory: TrajectoryRecord, parsed: DecisionInput
) -> None:
    """Store the decision (closing the guided question) and tell the group."""
    user = update.effective_user
    recorded = await context.db.run(
        decisions.record,
        trajectory.id,
        parsed.outcome,
        parsed.decided_on,
        parsed.remarks,
        telegram_id=user.id if user is not None else None,
        chat_id=trajectory.chat_id,
    )
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render(
            "report/decision_announced",
            decision=recorded,
        ),
    )
    if recorded.outcome == "approved":
        # Green light: the approved goals are followed up from now on (conversations/goal_followup.py).
        from conversations import goal_followup

        await goal_followup.begin(context, trajectory)


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("rapport", report_command, filters=groups),
        CommandHandler("beslissing", decision_command, filters=groups),
        CallbackQueryHandler(names_pressed, pattern=NAMES_PATTERN),
        CallbackQueryHandler(outcome_pressed, pattern=DECISION_PATTERN),
    ]
