"""Step 8, looking back: the closing evaluation in private, and closing the trajectory.

/evaluatie in the group (moderator) sends every member privately the method's three reflection
questions, one after another (an ``evaluation`` prompt says which one the next private message
answers); a member may skip one. Answers are stored without the person; how far each member is
lives in ``evaluation_delivery``, so after a restart a member goes on at the next question. Later
/evaluatie shows the moderator counts only; /evaluatie sluiten (or the button, or the last member
finishing) closes it: the digest goes privately to the moderators, a thank-you with counts to the
group. /afsluiten closes the trajectory after a confirm button.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session
from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext, Services
from bot.guards import moderator_only
from bot.keyboards import join_keyboard
from bot.keyboards.evaluation import (
    CLOSE_PATTERN,
    SKIP_PATTERN,
    TRAJECTORY_PATTERN,
    confirm_close_keyboard,
    question_keyboard,
    status_keyboard,
)
from bot.messaging import drop_buttons, send_html
from bot.outbox import Drawn, Kind, register, wake
from bot.render import Texts
from method.evaluation.questions import MAX_ANSWER, QUESTIONS, command_action, number_of
from method.text_input import clean_text
from storage import evaluation, outbox, prompts, reminders, trajectories
from storage.models import utcnow
from storage.outbox import OutboxRecord
from storage.records import EvaluationStep, PromptRecord, TrajectoryRecord

log = logging.getLogger("kopgroep.evaluation")

PROMPT = "evaluation"  # payload "<evaluation id>:<question>": what the next private message answers
DEFAULT_RETENTION_MONTHS = 24  # until the RETENTION_MONTHS setting (the privacy job's) is there


def now():  # noqa: ANN201 - one clock for this module, replaced in tests
    return utcnow()


def retention_months(context: BotContext) -> int:
    return int(getattr(context.services.settings, "retention_months", DEFAULT_RETENTION_MONTHS))


# --- the member's side: one question after another --------------------------------------------------


def step_message(texts: Texts, step: EvaluationStep, *, saved: str | None = None) -> tuple[str, object]:
    """The member's next question (with the word on anonymity before the first) and its buttons."""
    assert step.evaluation is not None and step.next_question is not None
    lang = texts.lang(step.language)
    question = step.next_question
    text = texts.render(
        lang,
        "evaluation/question",
        trajectory=step.trajectory,
        intro=not step.handled,
        saved=saved,
        number=number_of(question),
        total=len(QUESTIONS),
        question=texts.label(lang, f"evaluation.question.{question}"),
        limit=MAX_ANSWER,
    )
    return text, question_keyboard(texts, lang, step.evaluation.id, question)


def _asked(session: Session, step: EvaluationStep, telegram_id: int, message_id: int) -> None:
    """The question went: the bot waits for its answer (a reply to it), and the delivery knows where it is."""
    assert step.evaluation is not None and step.trajectory is not None and step.person_id is not None
    prompts.ask(
        session, step.trajectory.id, telegram_id, PROMPT, message_id=message_id, person_id=step.person_id,
        payload=f"{step.evaluation.id}:{step.next_question}",
    )
    evaluation.record_sent(session, step.evaluation.id, step.person_id, message_id)


async def send_step(context: BotContext, step: EvaluationStep, telegram_id: int, *, saved: str | None = None) -> bool:
    """The member's next question, or the thanks when they are done. False when Telegram will not
    deliver it (recorded)."""
    assert step.evaluation is not None and step.trajectory is not None and step.person_id is not None
    if step.next_question is None:
        await context.db.run(prompts.close, telegram_id, PROMPT)
        text = context.texts.render(context.texts.lang(step.language), "evaluation/done", trajectory=step.trajectory, saved=saved)
        await send_html(context.bot, telegram_id, text)
        return True
    text, keyboard = step_message(context.texts, step, saved=saved)
    try:
        sent = await send_html(context.bot, telegram_id, text, reply_markup=keyboard)
    except (Forbidden, BadRequest) as error:
        log.info("evaluation question for trajectory %s not delivered: %s", step.trajectory.id, error)
        await context.db.run(evaluation.mark_failed, step.evaluation.id, step.person_id)
        return False
    await context.db.run(_asked, step, telegram_id, sent[-1].message_id)
    return True


# --- the first question of every member, in the outbox (bot/outbox.py) ------------------------------


def start_and_queue_questions(session: Session, trajectory_id: int, moment: datetime) -> list[str]:
    """Start the evaluation and queue every member's first question, in one transaction; the
    names of members the bot knows it cannot reach in private (they are tried all the same)."""
    evaluation.start(session, trajectory_id, moment)
    recipients = evaluation.recipients(session, trajectory_id)
    for recipient in recipients:
        outbox.add(session, recipient.telegram_id, "evaluation", trajectory_id=trajectory_id, person_id=recipient.person_id)
    return [recipient.name for recipient in recipients if not recipient.reachable]


async def _draw_question(services: Services, row: OutboxRecord) -> Drawn | None:
    assert row.trajectory_id is not None
    step = await services.db.run(evaluation.member_step, row.trajectory_id, row.chat_id)
    if step.status != "ok" or step.done or step.next_question is None or step.handled:
        return None  # closed, left, or already under way (they opened the chat meanwhile)
    text, keyboard = step_message(services.texts, step)
    return Drawn(text, keyboard)  # type: ignore[arg-type]


def _question_asked(session: Session, row: OutboxRecord, ids: list[int]) -> None:
    assert row.trajectory_id is not None
    step = evaluation.member_step(session, row.trajectory_id, row.chat_id)
    if step.status == "ok" and step.next_question is not None:
        _asked(session, step, row.chat_id, ids[-1])


def _question_failed(session: Session, row: OutboxRecord) -> None:
    found = evaluation.evaluation(session, row.trajectory_id) if row.trajectory_id is not None else None
    if found is not None and row.person_id is not None:
        evaluation.mark_failed(session, found.id, row.person_id)


register("evaluation", Kind(draw=_draw_question, stored=_question_asked, failed=_question_failed))


async def _proceed(context: BotContext, step: EvaluationStep, telegram_id: int, saved: str | None) -> None:
    """After an answer or a skip: the next question, or the thanks and, when everyone is done,
    the close; then an evaluation of another group this member still has open."""
    assert step.trajectory is not None
    await send_step(context, step, telegram_id, saved=saved)
    if not step.done:
        return
    await _close_when_all_done(context, step.trajectory.id)
    for trajectory_id in await context.db.run(evaluation.open_for, telegram_id):
        other = await context.db.run(evaluation.member_step, trajectory_id, telegram_id)
        if other.status == "ok" and not other.done:
            await send_step(context, other, telegram_id)
            return


async def _private_problem(context: BotContext, chat_id: int, code: str, lang: str | None = None) -> None:
    text = context.render("evaluation/answer_problem", lang=lang, code=code, limit=MAX_ANSWER)
    await send_html(context.bot, chat_id, text)


async def answer_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A private message while a question waits: the (anonymous) answer to it (conversations/answers.py).
    A sticker, a file, an empty or too long text gets a clear word, and the question stays open."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not prompt.payload:
        return False
    evaluation_id, question = prompt.payload.split(":", 1)
    if message.text is None:
        await _private_problem(context, message.chat_id, "not_text")
        return True
    cleaned = clean_text(message.text, MAX_ANSWER)
    if not cleaned.ok or cleaned.value is None:
        await _private_problem(context, message.chat_id, cleaned.problem or "empty")
        return True
    step = await context.db.run(evaluation.handle, int(evaluation_id), user.id, question, cleaned.value)
    if step.status in ("closed", "not_member"):
        await context.db.run(prompts.close, message.chat_id, PROMPT)
        await _private_problem(context, message.chat_id, step.status)
        return True
    await _proceed(context, step, user.id, "answer" if step.status == "ok" else "already")
    return True


def _own_private_chat(update: Update) -> bool:
    query = update.callback_query
    return query is not None and query.message is not None and query.message.chat.id == query.from_user.id


async def skip_pressed(update: Update, context: BotContext) -> None:
    """evs:<evaluation>:<question>: skip this question (only the member's own next one)."""
    query = update.callback_query
    assert query is not None
    evaluation_id, question = context.matches[0].groups()
    if not _own_private_chat(update):
        await query.answer(context.label("evaluation.alert.not_for_you"), show_alert=True)
        return
    step = await context.db.run(evaluation.handle, int(evaluation_id), query.from_user.id, question, None)
    lang = step.language if step.trajectory is not None else context.lang
    if step.status != "ok":
        code = {"not_member": "not_for_you"}.get(step.status, step.status)
        await query.answer(context.label(f"evaluation.alert.{code}", lang=lang), show_alert=True)
        return
    await query.answer(context.label("evaluation.alert.skipped", lang=lang))
    await drop_buttons(query)
    await _proceed(context, step, query.from_user.id, "skipped")


async def private_command(update: Update, context: BotContext) -> None:
    """/evaluatie in private: the next question again (a late joiner starts here); for a moderator
    whose group's evaluation is closed, the digest again."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    waiting = await context.db.run(evaluation.open_for, user.id)
    if waiting:
        current = context.private.current if context.private is not None else None
        trajectory_id = current.id if current is not None and current.id in waiting else waiting[0]
        step = await context.db.run(evaluation.member_step, trajectory_id, user.id)
        if step.status == "ok":
            await send_step(context, step, user.id)
            return
    closed = await context.db.run(evaluation.moderated_closed, user.id)
    if closed:
        for trajectory_id in closed:
            await send_digest(context, trajectory_id, user.id, context.lang)
        return
    await send_html(context.bot, chat.id, context.render("evaluation/none"))


async def welcome_joiner(context: BotContext, trajectory_id: int, telegram_id: int) -> None:
    """Someone opens the private chat through Doe mee while the evaluation runs: their next question."""
    found = await context.db.run(evaluation.evaluation, trajectory_id)
    if found is None or found.closed_at is not None:
        return
    step = await context.db.run(evaluation.member_step, trajectory_id, telegram_id)
    if step.status == "ok" and not step.done:
        await send_step(context, step, telegram_id)


# --- the moderator's side: start, progress, close, digest ----------------------------------------------


async def send_digest(context: BotContext, trajectory_id: int, telegram_id: int, lang: str) -> bool:
    """The digest privately to one moderator; False when Telegram will not deliver it."""
    digest = await context.db.run(evaluation.evaluation_digest, trajectory_id)
    if digest is None:
        return False
    questions = {key: context.texts.label(lang, f"evaluation.question.{key}") for key in QUESTIONS}
    topics = {key: context.texts.label(lang, f"evaluation.topic.{key}") for key in QUESTIONS}
    text = context.texts.render(
        lang,
        "evaluation/digest",
        digest=digest,
        questions=questions,
        topics=topics,
        timezone=digest.trajectory.timezone,
    )
    try:
        await send_html(context.bot, telegram_id, text)
    except (Forbidden, BadRequest) as error:
        log.info("evaluation digest for trajectory %s not delivered: %s", trajectory_id, error)
        return False
    return True


async def _finish(context: BotContext, trajectory_id: int) -> None:
    """Just closed: the digest to every moderator privately, a thank-you with counts to the group."""
    trajectory = await context.db.run(trajectories.by_id, trajectory_id)
    assert trajectory is not None
    sent = 0
    for telegram_id, lang, _ in await context.db.run(reminders.moderators, trajectory_id):
        sent += await send_digest(context, trajectory_id, telegram_id, context.texts.lang(lang))
    digest = await context.db.run(evaluation.evaluation_digest, trajectory_id)
    assert digest is not None
    keyboard = (
        None if sent else join_keyboard(context.texts, trajectory.language, context.bot.username, trajectory.join_token)
    )
    text = context.texts.render(trajectory.language, "evaluation/closed", digest=digest, sent=bool(sent))
    await send_html(context.bot, trajectory.chat_id, text, reply_markup=keyboard)


async def _close_when_all_done(context: BotContext, trajectory_id: int) -> None:
    progress = await context.db.run(evaluation.progress, trajectory_id)
    if not progress.all_done:
        return
    _, closed = await context.db.run(evaluation.close, trajectory_id, now())
    if closed:
        await _finish(context, trajectory_id)


async def _status(context: BotContext, trajectory: TrajectoryRecord, template: str, **values: object) -> None:
    progress = await context.db.run(evaluation.progress, trajectory.id)
    assert progress.evaluation is not None
    join = bool(progress.unreachable or progress.not_joined or values.get("failed"))
    keyboard = status_keyboard(
        context.texts,
        context.lang,
        progress.evaluation.id,
        context.bot.username if join else None,
        trajectory.join_token if join else None,
    )
    text = context.render(template, progress=progress, **values)
    await send_html(context.bot, trajectory.chat_id, text, reply_markup=keyboard)


async def _already_closed(context: BotContext, trajectory: TrajectoryRecord) -> None:
    """The evaluation was closed before: the digest again to the moderator who asks."""
    actor = context.actor
    assert actor is not None and actor.person is not None
    found = await context.db.run(evaluation.evaluation, trajectory.id)
    assert found is not None and found.closed_at is not None
    lang = context.texts.lang(actor.person.language or trajectory.language)
    sent = await send_digest(context, trajectory.id, actor.person.telegram_id, lang)
    keyboard = None if sent else join_keyboard(context.texts, context.lang, context.bot.username, trajectory.join_token)
    text = context.render(
        "evaluation/already_closed", closed_at=found.closed_at, sent=sent, timezone=trajectory.timezone
    )
    await send_html(context.bot, trajectory.chat_id, text, reply_markup=keyboard)


async def _close(context: BotContext, trajectory: TrajectoryRecord) -> None:
    found, closed = await context.db.run(evaluation.close, trajectory.id, now())
    if found is None:
        await send_html(context.bot, trajectory.chat_id, context.render("evaluation/problem", code="not_started"))
    elif not closed:
        await _already_closed(context, trajectory)
    else:
        await _finish(context, trajectory.id)


@moderator_only
async def group_command(update: Update, context: BotContext) -> None:
    """/evaluatie [sluiten]: start (questions to every member privately), show progress, or close."""
    trajectory = context.trajectory
    action = command_action(context.args or [])
    if action is None:
        await send_html(context.bot, trajectory.chat_id, context.render("evaluation/problem", code="usage"))
        return
    if action == "close":
        await _close(context, trajectory)
        return
    found = await context.db.run(evaluation.evaluation, trajectory.id)
    if found is not None and found.closed_at is not None:
        await _already_closed(context, trajectory)
        return
    if found is not None:
        await _status(context, trajectory, "evaluation/status")
        return
    if await context.db.run(evaluation.trajectory_closed_at, trajectory.id) is not None:
        await send_html(context.bot, trajectory.chat_id, context.render("evaluation/problem", code="trajectory_closed"))
        return
    failed = await context.db.run(start_and_queue_questions, trajectory.id, now())
    wake(context.services)
    await _status(context, trajectory, "evaluation/started", failed=failed)


@moderator_only
async def close_pressed(update: Update, context: BotContext) -> None:
    """evc:<evaluation>, pressed in the group by a moderator: close it now."""
    query = update.callback_query
    assert query is not None
    trajectory = context.trajectory
    found = await context.db.run(evaluation.evaluation, trajectory.id)
    if found is None or found.id != int(context.matches[0].group(1)):
        await query.answer(context.label("evaluation.alert.stale"), show_alert=True)
        return
    if found.closed_at is not None:
        await query.answer(context.label("evaluation.alert.closed"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await _close(context, trajectory)


# --- /afsluiten: closing the trajectory ------------------------------------------------------------------


@moderator_only
async def close_trajectory_command(update: Update, context: BotContext) -> None:
    """/afsluiten: asks to confirm with a button; refuses when the trajectory is closed already."""
    trajectory = context.trajectory
    closed_at = await context.db.run(evaluation.trajectory_closed_at, trajectory.id)
    if closed_at is not None:
        text = context.render("evaluation/trajectory_already_closed", closed_at=closed_at, timezone=trajectory.timezone)
        await send_html(context.bot, trajectory.chat_id, text)
        return
    progress = await context.db.run(evaluation.progress, trajectory.id)
    text = context.render("evaluation/close_confirm", progress=progress, months=retention_months(context))
    keyboard = confirm_close_keyboard(context.texts, context.lang, trajectory.id)
    await send_html(context.bot, trajectory.chat_id, text, reply_markup=keyboard)


@moderator_only
async def trajectory_pressed(update: Update, context: BotContext) -> None:
    """tcl:<trajectory>:ok|no, pressed in that group by a moderator: close the trajectory, or not."""
    query = update.callback_query
    assert query is not None
    trajectory = context.trajectory
    trajectory_id, answer = context.matches[0].groups()
    if int(trajectory_id) != trajectory.id:
        await query.answer(context.label("evaluation.alert.stale"), show_alert=True)
        return
    if answer == "no":
        await query.answer(context.label("evaluation.alert.cancelled"))
        await drop_buttons(query)
        return
    status, closed_at, evaluation_closed = await context.db.run(evaluation.close_trajectory, trajectory.id, now())
    if status == "already":
        await query.answer(context.label("evaluation.alert.trajectory_closed"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    if evaluation_closed:
        await _finish(context, trajectory.id)
    found = await context.db.run(evaluation.evaluation, trajectory.id)
    text = context.render(
        "evaluation/trajectory_closed",
        closed_at=closed_at,
        months=retention_months(context),
        evaluated=found is not None,
        timezone=trajectory.timezone,
    )
    await send_html(context.bot, trajectory.chat_id, text)


def handlers() -> list:
    groups, private = filters.ChatType.GROUPS, filters.ChatType.PRIVATE
    return [
        CommandHandler("evaluatie", group_command, filters=groups),
        CommandHandler("evaluatie", private_command, filters=private),
        CommandHandler("afsluiten", close_trajectory_command, filters=groups),
        CallbackQueryHandler(skip_pressed, pattern=SKIP_PATTERN),
        CallbackQueryHandler(close_pressed, pattern=CLOSE_PATTERN),
        CallbackQueryHandler(trajectory_pressed, pattern=TRAJECTORY_PATTERN),
    ]
