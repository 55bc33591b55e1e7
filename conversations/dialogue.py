"""Step 3: the open dialogue. /vragen, /dialoog [anoniem|stop], /volgende, /deelname; answers.

Answers in an open dialogue are replies to the question message in the group (the bot sees
those even in privacy mode) or, when the bot is admin and sees everything, any message while a
question is on the table. In an anonymous dialogue members write to the bot in private; their
answers are shared per question without names. Handlers decide; templates say.
"""

from __future__ import annotations

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.guards import moderator_only, registered_group
from bot.keyboards import group_keyboard, join_keyboard
from bot.keyboards.dialogue import INVITE_PATTERN, invite_keyboard, open_answer_prompt, private_answer_keyboard
from bot.messaging import edit_html, send_html
from method.dialogue import (
    MAX_ANSWER,
    MAX_QUESTION,
    MAX_QUESTIONS,
    Problem,
    clean_answer,
    command_rest,
    parse_dialogue_command,
    parse_question_command,
)
from storage import answers, dialogue, people
from storage.records import DialogueStatus, DialogueStep, Participation, PersonRecord, TelegramUser, TrajectoryRecord

# Answers in the group are looked at in their own handler group, after group 0: there the
# onboarding step takes replies to its own question and would hide them from us.
ANSWERS = 1

_QUESTION_CHANGES = {
    "add": dialogue.add_question,
    "edit": dialogue.edit_question,
    "remove": dialogue.remove_question,
    "move": dialogue.move_question,
}


def _rest(update: Update) -> str:
    """The command's words; none when a button ran it (conversations/next_step.py)."""
    message = update.effective_message
    if update.callback_query is not None or message is None:
        return ""
    return command_rest(message.text)


# --- /vragen --------------------------------------------------------------------------------


@registered_group
async def questions_command(update: Update, context: BotContext) -> None:
    """/vragen: the numbered questions; the moderator adds, edits, removes and moves them."""
    actor = context.actor
    assert actor is not None and actor.trajectory is not None
    trajectory = actor.trajectory
    parsed = parse_question_command(_rest(update))
    if isinstance(parsed, Problem):
        await _question_problem(context, trajectory, parsed.code, action=parsed.action)
        return
    if parsed.action == "list":
        result = await context.db.run(dialogue.questions, trajectory.id)
    else:
        if not actor.is_moderator:
            await send_html(context.bot, trajectory.chat_id, context.render("common/moderator_only"))
            return
        change = _QUESTION_CHANGES[parsed.action]
        if parsed.action == "add":
            result = await context.db.run(change, trajectory.id, parsed.text)
        elif parsed.action == "edit":
            result = await context.db.run(change, trajectory.id, parsed.number, parsed.text)
        elif parsed.action == "remove":
            result = await context.db.run(change, trajectory.id, parsed.number)
        else:
            result = await context.db.run(change, trajectory.id, parsed.number, parsed.position)
        if result.problem is not None:
            await _question_problem(
                context,
                trajectory,
                result.problem,
                action=parsed.action,
                number=result.number,
                total=len(result.questions),
            )
            return
    text = context.render(
        "dialogue/questions",
        questions=result.questions,
        current_id=result.current_id,
        change=None if parsed.action == "list" else parsed.action,
        number=result.number,
        is_moderator=actor.is_moderator,
    )
    await send_html(context.bot, trajectory.chat_id, text)


async def _question_problem(
    context: BotContext,
    trajectory: TrajectoryRecord,
    problem: str,
    *,
    action: str | None,
    number: int | None = None,
    total: int = 0,
) -> None:
    text = context.render(
        "dialogue/questions_problem",
        problem=problem,
        action=action,
        number=number,
        total=total,
        limit=MAX_QUESTION,
        max_questions=MAX_QUESTIONS,
    )
    await send_html(context.bot, trajectory.chat_id, text)


# --- /dialoog, /volgende --------------------------------------------------------------------


@moderator_only
async def dialogue_command(update: Update, context: BotContext) -> None:
    """/dialoog [anoniem]: start with the first question; /dialoog stop: end with the digest."""
    trajectory = context.trajectory
    parsed = parse_dialogue_command(_rest(update))
    if isinstance(parsed, Problem):
        await send_html(context.bot, trajectory.chat_id, context.render("dialogue/usage"))
        return
    if parsed.action == "stop":
        step = await context.db.run(dialogue.stop, trajectory.id, context.services.ballot_key)
        await _after_step(context, trajectory, step, stopped=True)
        return
    step = await context.db.run(dialogue.start, trajectory.id, parsed.action)
    if step.outcome == "running":
        assert step.status is not None
        await send_html(context.bot, trajectory.chat_id, context.render("dialogue/already_running", status=step.status))
    elif step.outcome == "no_questions":
        await send_html(context.bot, trajectory.chat_id, context.render("dialogue/no_questions"))
    else:
        assert step.status is not None
        await _post_question(context, trajectory, step.status, first=True)


@moderator_only
async def next_command(update: Update, context: BotContext) -> None:
    """/volgende: share the anonymous answers of this question, then the next question (or the end)."""
    trajectory = context.trajectory
    step = await context.db.run(dialogue.advance, trajectory.id, context.services.ballot_key)
    await _after_step(context, trajectory, step, stopped=False)


async def _after_step(context: BotContext, trajectory: TrajectoryRecord, step: DialogueStep, *, stopped: bool) -> None:
    chat_id = trajectory.chat_id
    if step.outcome == "not_running":
        await send_html(context.bot, chat_id, context.render("dialogue/not_running"))
        return
    assert step.status is not None
    if step.outcome == "next":
        if step.previous is not None:
            await send_html(context.bot, chat_id, context.render("dialogue/anonymous_digest", section=step.previous))
        await _post_question(context, trajectory, step.status, first=False)
        return
    # Ended: the digest holds every question, the last one's anonymous answers included.
    assert step.digest is not None
    text = context.render("dialogue/digest", digest=step.digest, status=step.status, stopped=stopped)
    await send_html(context.bot, chat_id, text)


async def _post_question(
    context: BotContext, trajectory: TrajectoryRecord, status: DialogueStatus, *, first: bool
) -> None:
    """Put the question on the table and remember its message (replies to it are answers)."""
    anonymous = status.dialogue.anonymous
    lang = trajectory.language
    markup = (
        private_answer_keyboard(context.texts, lang, context.bot.username)
        if anonymous
        else open_answer_prompt(context.texts, lang)
    )
    text = context.render("dialogue/question", status=status, first=first, lang=lang)
    sent = await send_html(context.bot, trajectory.chat_id, text, reply_markup=markup)
    await context.db.run(dialogue.set_question_message, status.dialogue.id, sent[-1].message_id)


# --- answers --------------------------------------------------------------------------------


async def group_answer(update: Update, context: BotContext) -> None:
    """A message in the group: an answer when it replies to the open question (or when the bot,
    as admin, sees every message while a question is on the table)."""
    message, actor = update.effective_message, context.actor
    if message is None or actor is None or actor.trajectory is None or actor.person is None:
        return
    if message.from_user is None or message.from_user.is_bot:
        return
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    reply_to_bot = replied.message_id if to_bot and replied is not None else None
    if message.text is None:
        if reply_to_bot is None:
            return  # a sticker or a photo in the conversation: not meant for us
        value, problem = None, "not_text"
    else:
        cleaned = clean_answer(message.text)
        value, problem = cleaned.value, cleaned.problem
    outcome = await context.db.run(
        answers.add_group_answer,
        actor.trajectory.id,
        actor.person.id,
        value,
        problem=problem,
        reply_to_bot=reply_to_bot,
    )
    chat_id = actor.trajectory.chat_id
    if outcome.outcome == "invalid":
        text = context.render("dialogue/answer_problem", problem=problem, limit=MAX_ANSWER)
        await send_html(context.bot, chat_id, text, reply_to=message.message_id)
    elif outcome.outcome == "anonymous_mode":
        await send_html(
            context.bot,
            chat_id,
            context.render("dialogue/answer_privately"),
            reply_to=message.message_id,
            reply_markup=private_answer_keyboard(context.texts, context.lang, context.bot.username),
        )
    # Noted answers get no message: a busy group would drown in thanks (and in 20/min limits).


async def private_answer(update: Update, context: BotContext) -> bool:
    """A private message while one of the member's groups waits for anonymous answers.

    Offered by conversations/answers.py when no open question took the message; returns False
    (the fallback answers) when no dialogue question is open for this member.
    """
    message, private = update.effective_message, context.private
    if message is None or private is None or not private.memberships:
        return False
    if message.text is None:
        value, problem = None, "not_text"
    else:
        cleaned = clean_answer(message.text)
        value, problem = cleaned.value, cleaned.problem
    current = private.current.id if private.current is not None else None
    outcome = await context.db.run(
        answers.add_private_answer, private.person.id, current, value, key=context.services.ballot_key, problem=problem
    )
    chat_id = message.chat_id
    if outcome.outcome == "not_open":
        return False
    if outcome.outcome == "open_mode":
        await send_html(context.bot, chat_id, context.render("dialogue/answer_in_group", trajectory=outcome.trajectory))
    elif outcome.outcome == "choose":
        await send_html(
            context.bot, chat_id, context.render("dialogue/choose_group"), reply_markup=group_keyboard(outcome.choices)
        )
    elif outcome.outcome == "invalid":
        await send_html(
            context.bot, chat_id, context.render("dialogue/answer_problem", problem=problem, limit=MAX_ANSWER)
        )
    else:
        text = context.render(
            "dialogue/answer_noted",
            trajectory=outcome.trajectory,
            number=outcome.number,
            several=len(private.memberships) > 1,
        )
        await send_html(context.bot, chat_id, text)
    return True


# --- /deelname: equal say ------------------------------------------------------------------


@moderator_only
async def participation_command(update: Update, context: BotContext) -> None:
    """/deelname: the counts per member go to the moderator in private; the group sees no numbers."""
    actor = context.actor
    assert actor is not None and actor.trajectory is not None and actor.person is not None
    trajectory = actor.trajectory
    found = await context.db.run(answers.participation, trajectory.id)
    if found is None:
        await send_html(context.bot, trajectory.chat_id, context.render("dialogue/not_running"))
        return
    moderator = actor.person
    if moderator.reachable and await _send_participation(context, moderator, found):
        await send_html(
            context.bot, trajectory.chat_id, context.render("dialogue/participation_sent", moderator=moderator)
        )
        return
    keyboard = join_keyboard(context.texts, context.lang, context.bot.username, trajectory.join_token)
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render("dialogue/participation_unreachable", moderator=moderator),
        reply_markup=keyboard,
    )


def _private_lang(context: BotContext, person: PersonRecord, trajectory: TrajectoryRecord) -> str:
    return context.texts.lang(person.language or trajectory.language)


async def _send_participation(context: BotContext, moderator: PersonRecord, found: Participation) -> bool:
    lang = _private_lang(context, moderator, found.trajectory)
    text = context.render("dialogue/participation", participation=found, invited=None, unreachable=(), lang=lang)
    running = found.status.dialogue.ended_at is None  # after the end: the totals, no invitations
    keyboard = (
        invite_keyboard(context.texts, lang, found.trajectory.id, found.status.dialogue.id)
        if found.quiet and running
        else None
    )
    try:
        await send_html(context.bot, moderator.telegram_id, text, reply_markup=keyboard)
    except Forbidden:
        await context.db.run(people.mark_reachable, _telegram_user(moderator), False)
        return False
    return True


def _telegram_user(person: PersonRecord) -> TelegramUser:
    return TelegramUser(person.telegram_id, person.first_name, person.last_name, person.username)


async def invite_pressed(update: Update, context: BotContext) -> None:
    """dlg:<trajectory>:<dialogue>:invite, pressed by a moderator in private: invite the quiet ones."""
    query = update.callback_query
    assert query is not None
    trajectory_id, dialogue_id = (int(part) for part in context.matches[0].groups()[:2])
    in_own_chat = query.message is not None and query.message.chat.id == query.from_user.id
    if not in_own_chat:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    check, found = await context.db.run(
        answers.participation_for_moderator, trajectory_id, dialogue_id, query.from_user.id
    )
    if check == "not_moderator":
        await query.answer(context.label("alert.moderator_only"), show_alert=True)
        return
    if check != "ok" or found is None:
        await query.answer(context.label("dialogue.alert.ended"), show_alert=True)
        return
    await query.answer()
    invited: list[str] = []
    unreachable: list[str] = []
    for row in found.quiet:
        person = row.person
        if not person.reachable:
            unreachable.append(person.display_name)
            continue
        lang = _private_lang(context, person, found.trajectory)
        text = context.render("dialogue/invitation", person=person, participation=found, lang=lang)
        try:
            await send_html(context.bot, person.telegram_id, text)
        except Forbidden:
            await context.db.run(people.mark_reachable, _telegram_user(person), False)
            unreachable.append(person.display_name)
            continue
        invited.append(person.display_name)
    text = context.render("dialogue/participation", participation=found, invited=invited, unreachable=unreachable)
    await edit_html(query, text)


def handlers() -> dict[int, list]:
    """Commands and the button in group 0; answers in the group in their own group (ANSWERS).

    Private answers are not here: ``private_answer`` is a consumer of conversations/fallbacks.py.
    """
    groups = filters.ChatType.GROUPS
    return {
        0: [
            CommandHandler("vragen", questions_command, filters=groups),
            CommandHandler("dialoog", dialogue_command, filters=groups),
            CommandHandler("volgende", next_command, filters=groups),
            CommandHandler("deelname", participation_command, filters=groups),
            CallbackQueryHandler(invite_pressed, pattern=INVITE_PATTERN),
        ],
        ANSWERS: [
            MessageHandler(
                groups & filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.StatusUpdate.ALL, group_answer
            ),
        ],
    }
