"""Step 6: SMART goals per chosen theme, written in a short guided conversation in private.

/doelen in the group shows, per chosen theme, a few of its processed dream images, the goals so far
(number, status, SMART flags) and a link per theme that opens the private chat (``goal-<theme>``).
There the bot asks one letter at a time (S, M with indicator, start and target, A, R, T with
deadline and milestones), one question per message; the question waited on is a ``goal`` prompt,
so a restart loses nothing. After each letter the check's flags for it are shown with a button to
adjust it; answering the next question keeps it as it is. At the end: the whole goal, its flags,
a button per letter, and submit. A member's goal is proposed and goes to the moderators privately
(their decision: conversations/goal_decisions.py); a moderator's own goal is approved at once.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.guards import registered_group
from bot.keyboards.goals import (
    CONTINUE_PATTERN,
    DEEP_LINK,
    DISCARD_PATTERN,
    LETTER_PATTERN,
    PAUSE_PATTERN,
    SUBMIT_PATTERN,
    decision_keyboard,
    question_keyboard,
    summary_keyboard,
    write_keyboard,
)
from bot.messaging import drop_buttons, edit_html, send_html
from method.goals import smart
from method.goals.parts import first_open, letter_of, next_part, parts_of
from method.text_input import clean_text
from storage import goals, prompts, trajectories
from storage.models import utcnow
from storage.records import GoalOverview, GoalRecord, PromptRecord

log = logging.getLogger("kopgroep.goals")

GOAL_PROMPT = "goal"  # payload "<goal>:<part>:<flow|fix>": the part the next private text answers
MAX_DREAMS_SHOWN = goals.MAX_DREAMS_SHOWN


# Questions that take free text too: when one of them was asked after the goal question (a ballot
# reason, a dream image's new text, a dream theme pressed), the next text is theirs; "Verder"
# (or the link) asks the goal question again and so takes the turn back.
def now():  # noqa: ANN201 - one clock for this module, replaced in tests
    return utcnow()


def flag_texts(context: BotContext, lang: str, flags: tuple[str, ...] | list[str]) -> list[str]:
    """The explanations of flag codes, in ``lang`` (an unknown code is shown as itself)."""
    out = []
    for code in flags:
        try:
            out.append(context.texts.label(lang, f"goals.flag.{code}"))
        except KeyError:
            out.append(code)
    return out


def short_flags(context: BotContext, lang: str, overview: GoalOverview) -> dict[str, str]:
    codes = {code for theme in overview.themes for goal in theme.goals for code in goal.flags}
    out = {}
    for code in codes:
        try:
            out[code] = context.texts.label(lang, f"goals.short.{code}")
        except KeyError:
            out[code] = code
    return out


# --- /doelen ------------------------------------------------------------------------------------------


async def _send_overview(
    context: BotContext, chat_id: int, trajectory_id: int, lang: str, telegram_id: int | None
) -> None:
    overview = await context.db.run(goals.overview, trajectory_id, now())
    if not overview.themes:
        await send_html(context.bot, chat_id, context.render("goals/problem", lang=lang, code="no_chosen"))
        return
    drafts, pending = [], []
    if telegram_id is not None:
        drafts = [d for d in await context.db.run(goals.drafts_of, telegram_id) if d.trajectory_id == trajectory_id]
        if await context.db.run(goals.is_moderator, trajectory_id, telegram_id):
            # Proposals again, for a moderator who missed (or could not get) the private message.
            pending = [goal for theme in overview.themes for goal in theme.goals if goal.status == "proposed"]
    text = context.render(
        "goals/overview",
        lang=lang,
        overview=overview,
        short=short_flags(context, lang, overview),
        shown=MAX_DREAMS_SHOWN,
        drafts=drafts,
        pending=pending,
        private=telegram_id is not None,
    )
    keyboard = write_keyboard(
        context.texts, lang, context.bot.username, ((t.id, t.name) for t in overview.themes), drafts, pending
    )
    await send_html(context.bot, chat_id, text, reply_markup=keyboard)


@registered_group
async def group_command(update: Update, context: BotContext) -> None:
    """/doelen in the group: the goals per chosen theme, and a link per theme to write one."""
    trajectory = context.trajectory
    await _send_overview(context, trajectory.chat_id, trajectory.id, context.lang, None)


async def private_command(update: Update, context: BotContext) -> None:
    """/doelen in private: the current group's goals, the links, and one's own unfinished goals."""
    from conversations.group_choice import current_trajectory

    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    if context.private is None:
        return
    if not context.private.memberships:
        await send_html(context.bot, chat.id, context.render("goals/problem", code="not_member"))
        return
    trajectory = await current_trajectory(update, context)
    if trajectory is None:
        return
    await _send_overview(context, chat.id, trajectory.id, context.lang, user.id)


# --- the guided conversation in private ---------------------------------------------------------------


async def moderates(context: BotContext, goal: GoalRecord, telegram_id: int) -> bool:
    return await context.db.run(goals.is_moderator, goal.trajectory_id, telegram_id)


async def ask(
    context: BotContext, chat_id: int, goal: GoalRecord, part: str, mode: str, *, after: str | None = None
) -> None:
    """Ask one part; ``after`` is the letter just finished, whose flags are shown first."""
    lang = context.lang
    flags = smart.letter_flags(goal.flags, after) if after else []
    text = context.render(
        "goals/question",
        goal=goal,
        part=part,
        letter=letter_of(part),
        current=goal.parts.get(part),
        after=after,
        flags=flag_texts(context, lang, flags),
        limit=goals.MAX_PART,
    )
    keyboard = question_keyboard(context.texts, lang, goal, adjust=after if flags else None)
    (message,) = await send_html(context.bot, chat_id, text, reply_markup=keyboard)
    await context.db.run(
        prompts.ask,
        goal.trajectory_id,
        chat_id,
        GOAL_PROMPT,
        message_id=message.message_id,
        person_id=None,
        payload=f"{goal.id}:{part}:{mode}",
    )


async def show_summary(
    context: BotContext, chat_id: int, goal: GoalRecord, telegram_id: int, *, lang: str | None = None
) -> None:
    lang = lang or context.lang
    moderator = await moderates(context, goal, telegram_id)
    text = context.render(
        "goals/summary", lang=lang, goal=goal, flags=flag_texts(context, lang, goal.flags), heading="review"
    )
    await send_html(
        context.bot, chat_id, text, reply_markup=summary_keyboard(context.texts, lang, goal, moderator=moderator)
    )


async def resume(context: BotContext, chat_id: int, goal: GoalRecord, telegram_id: int) -> None:
    """Where the author left off: the first unanswered question, or the whole goal."""
    part = first_open(goal.parts)
    if part is None:
        await show_summary(context, chat_id, goal, telegram_id)
    else:
        await ask(context, chat_id, goal, part, "flow")


async def start_goal(update: Update, context: BotContext) -> None:
    """/start goal-<theme> in private: a new goal for that theme, or the unfinished one."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    theme_id = int(context.matches[0].group(1)) if context.matches else int(context.args[0].split("-")[1])
    outcome = await context.db.run(goals.start, theme_id, user.id)
    if outcome.goal is None:
        await send_html(context.bot, message.chat_id, context.render("goals/problem", code=outcome.status))
        return
    goal = outcome.goal
    overview = await context.db.run(goals.overview, goal.trajectory_id, now())
    theme = next((t for t in overview.themes if t.id == goal.theme_id), None)
    text = context.render(
        "goals/intro",
        goal=goal,
        trajectory=overview.trajectory,
        dreams=theme.dreams if theme else (),
        shown=MAX_DREAMS_SHOWN,
        resumed=outcome.status == "resumed",
    )
    await send_html(context.bot, message.chat_id, text)
    await resume(context, message.chat_id, goal, user.id)


async def goal_answer(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A private message while a goal question waits: the answer to that part (conversations/answers.py)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or context.private is None or not prompt.payload:
        return False
    goal_id, part, mode = _payload(prompt.payload)
    if message.text is None:  # a sticker, photo or file: the question stays open
        await send_html(context.bot, message.chat_id, context.render("goals/problem", code="not_text"))
        return True
    cleaned = clean_text(message.text, goals.MAX_PART)
    if not cleaned.ok or cleaned.value is None:
        await send_html(
            context.bot,
            message.chat_id,
            context.render("goals/problem", code=cleaned.problem or "empty", limit=goals.MAX_PART),
        )
        return True
    outcome = await context.db.run(goals.save_part, goal_id, user.id, part, cleaned.value, smart.check)
    if outcome.goal is None:
        await context.db.run(prompts.close, message.chat_id, GOAL_PROMPT)
        await send_html(context.bot, message.chat_id, context.render("goals/problem", code=outcome.status))
        return True
    goal = outcome.goal
    await _drop_buttons(context, message.chat_id, prompt.message_id)
    following = first_open(goal.parts) if mode == "flow" else next_part(part, letter_only=True)
    if following is None and mode == "fix":
        # The adjusted letter is done; a goal still being written goes on where it was.
        following, mode = first_open(goal.parts), "flow"
    if following is None:
        await context.db.run(prompts.close, message.chat_id, GOAL_PROMPT)
        await show_summary(context, message.chat_id, goal, user.id)
        return True
    after = letter_of(part) if letter_of(following) != letter_of(part) else None
    await ask(context, message.chat_id, goal, following, mode, after=after)
    return True


def _payload(payload: str) -> tuple[int, str, str]:
    goal_id, part, mode = payload.split(":")
    return int(goal_id), part, mode


async def _drop_buttons(context: BotContext, chat_id: int, message_id: int | None) -> None:
    """The answered question's buttons go; an old message that cannot be edited is left alone."""
    if message_id is None:
        return
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest:
        pass


# --- buttons in private -------------------------------------------------------------------------------


def own_private_chat(update: Update) -> bool:
    query = update.callback_query
    return query is not None and query.message is not None and query.message.chat.id == query.from_user.id


async def refuse(update: Update, context: BotContext, code: str) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(context.label(f"goals.alert.{code}"), show_alert=True)


async def editable(update: Update, context: BotContext, goal_id: int) -> GoalRecord | None:
    """The goal when the presser may change it, in their own private chat; else a refusal."""
    query = update.callback_query
    assert query is not None
    if not own_private_chat(update):
        await refuse(update, context, "not_allowed")
        return None
    outcome = await context.db.run(goals.may_edit, goal_id, query.from_user.id)
    if outcome.goal is None:
        await refuse(update, context, outcome.status)
        return None
    return outcome.goal


async def letter_pressed(update: Update, context: BotContext) -> None:
    """gl:<goal>:<letter>: answer that letter's questions again."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal_id, letter = int(context.matches[0].group(1)), context.matches[0].group(2)
    goal = await editable(update, context, goal_id)
    if goal is None:
        return
    await query.answer()
    await ask(context, query.message.chat.id, goal, parts_of(letter)[0], "fix")


async def continue_pressed(update: Update, context: BotContext) -> None:
    """gc:<goal>: continue an unfinished goal where it was left."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal = await editable(update, context, int(context.matches[0].group(1)))
    if goal is None:
        return
    await query.answer()
    await resume(context, query.message.chat.id, goal, query.from_user.id)


async def _stop_asking(context: BotContext, chat_id: int, goal_id: int) -> None:
    """Close the goal question waiting in this chat, if it is this goal's (another may wait)."""
    prompt = await context.db.run(prompts.find, chat_id, GOAL_PROMPT)
    if prompt is not None and prompt.payload and _payload(prompt.payload)[0] == goal_id:
        await context.db.run(prompts.close, chat_id, GOAL_PROMPT)


async def pause_pressed(update: Update, context: BotContext) -> None:
    """gp:<goal>: stop for now; everything answered stays, /doelen continues it."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal_id = int(context.matches[0].group(1))
    if not own_private_chat(update):
        await refuse(update, context, "not_allowed")
        return
    await _stop_asking(context, query.message.chat.id, goal_id)
    await query.answer(context.label("goals.alert.paused"), show_alert=True)
    await drop_buttons(query)


async def discard_pressed(update: Update, context: BotContext) -> None:
    """gx:<goal>: throw one's own unfinished goal away."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal_id = int(context.matches[0].group(1))
    outcome = await context.db.run(goals.discard, goal_id, query.from_user.id) if own_private_chat(update) else None
    if outcome is None or outcome.goal is None:
        await refuse(update, context, "not_found")
        return
    await _stop_asking(context, query.message.chat.id, goal_id)
    await query.answer()
    await edit_html(query, context.render("goals/discarded", goal=outcome.goal))


async def submit_pressed(update: Update, context: BotContext) -> None:
    """gs:<goal>: the author is done; flags that remain are kept, visibly."""
    query = update.callback_query
    assert query is not None and query.message is not None
    goal_id = int(context.matches[0].group(1))
    if not own_private_chat(update):
        await refuse(update, context, "not_allowed")
        return
    outcome = await context.db.run(goals.submit, goal_id, query.from_user.id, now())
    if outcome.status == "incomplete" and outcome.goal is not None:
        await query.answer()
        await resume(context, query.message.chat.id, outcome.goal, query.from_user.id)
        return
    if outcome.goal is None or outcome.status not in ("proposed", "approved"):
        await refuse(update, context, outcome.status)
        return
    goal = outcome.goal
    await context.db.run(prompts.close, query.message.chat.id, GOAL_PROMPT)
    await query.answer()
    text = context.render(
        "goals/summary", goal=goal, flags=flag_texts(context, context.lang, goal.flags), heading="submitted"
    )
    await edit_html(query, text)
    unreached = 0
    if goal.status == "proposed":
        unreached = await _tell_moderators(context, goal)
    await send_html(
        context.bot, query.message.chat.id, context.render("goals/submitted", goal=goal, unreached=unreached)
    )


async def _tell_moderators(context: BotContext, goal: GoalRecord) -> int:
    """Every reachable moderator gets the proposal privately; returns how many could not be reached."""
    moderators = await context.db.run(goals.moderators, goal.trajectory_id)
    trajectory = await context.db.run(trajectories.by_id, goal.trajectory_id)
    failed = 0
    for telegram_id, language in moderators:
        lang = context.texts.lang(language or (trajectory.language if trajectory else None))
        text = context.render(
            "goals/summary", lang=lang, goal=goal, flags=flag_texts(context, lang, goal.flags), heading="proposed"
        )
        try:
            await send_html(context.bot, telegram_id, text, reply_markup=decision_keyboard(context.texts, lang, goal))
        except (Forbidden, BadRequest) as error:
            log.info("goal %s not delivered to a moderator: %s", goal.id, error)
            failed += 1
    return failed if moderators else 1


def handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("doelen", group_command, filters=filters.ChatType.GROUPS),
        CommandHandler("doelen", private_command, filters=private),
        CallbackQueryHandler(letter_pressed, pattern=LETTER_PATTERN),
        CallbackQueryHandler(continue_pressed, pattern=CONTINUE_PATTERN),
        CallbackQueryHandler(pause_pressed, pattern=PAUSE_PATTERN),
        CallbackQueryHandler(discard_pressed, pattern=DISCARD_PATTERN),
        CallbackQueryHandler(submit_pressed, pattern=SUBMIT_PATTERN),
    ]


def deep_link_handlers() -> list:
    """Registered before joining's ``/start <token>``: a goal link is never a join token."""
    return [
        CommandHandler("start", start_goal, filters=filters.ChatType.PRIVATE & filters.Regex(DEEP_LINK)),
    ]
