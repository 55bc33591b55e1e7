"""Step 4, the member's side: the private ballot, scores 1-3, reasons, submitting.

Every press is checked against the database: the round must be open, the theme in play and
the presser a member who got this ballot; callback data alone proves nothing.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session
from telegram import Bot, ForceReply, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext, Services, telegram_user
from bot.guards import database_away_means_try_again
from bot.keyboards.voting import (
    BACK_PATTERN,
    INFO_PATTERN,
    PAGE_PATTERN,
    SUBMIT_PATTERN,
    VOTE_PATTERN,
    WHY_PATTERN,
    ballot_keyboard,
    page_themes,
    pages,
    reason_keyboard,
)
from bot.messaging import answer, send_html, shows_already, unchanged
from bot.outbox import Drawn, Kind, register, wake
from bot.render import Texts
from conversations.voting import update_progress
from method.text_input import clean_text
from method.themes.catalogues import sdg_name
from storage import ballot_deliveries, ballots, outbox, prompts, voting
from storage.outbox import OutboxRecord
from storage.records import BallotView, PromptRecord, TelegramUser

log = logging.getLogger("kopgroep.ballot")
REASON_PROMPT = "ballot_reason"


def render_ballot(texts: Texts, view: BallotView) -> tuple[str, object]:
    """Text and keyboard of a member's ballot at its current page."""
    page = min(view.page, pages(view) - 1)
    text = texts.render(
        view.language,
        "voting/ballot",
        view=view,
        themes=page_themes(view, page),
        page=page,
        pages=pages(view),
        missing=len(view.themes) - len(view.scores),
    )
    keyboard = ballot_keyboard(texts, view.language, view, page) if view.round.status == "open" else None
    return text, keyboard


# --- the ballot in the outbox (bot/outbox.py) --------------------------------------------------


def queue_ballot(session: Session, round_id: int, person_id: int, telegram_id: int, trajectory_id: int) -> None:
    """Queue a member's ballot; it is drawn from the database when it goes (no scores wait in the outbox)."""
    outbox.add(session, telegram_id, "ballot", trajectory_id=trajectory_id, round_id=round_id, person_id=person_id)


async def _draw_ballot(services: Services, row: OutboxRecord) -> Drawn | None:
    assert row.round_id is not None
    view = await services.db.run_short(ballots.ballot_view, row.round_id, row.chat_id, services.ballot_key)
    if view is None or view.round.status != "open":
        return None  # the round closed meanwhile, or the member is no longer in it: not owed
    text, keyboard = render_ballot(services.texts, view)
    return Drawn(text, keyboard)  # type: ignore[arg-type]


def _ballot_arrived(session: Session, row: OutboxRecord, ids: list[int]) -> int | None:
    assert row.round_id is not None and row.person_id is not None
    return ballot_deliveries.arrived(session, row.round_id, row.person_id, ids[-1])


async def _retire_older_copy(bot: Bot, services: Services, row: OutboxRecord, older: int | None) -> None:
    """A member keeps one live ballot: the copy before this one now points to it."""
    if older is None or row.round_id is None:
        return
    view = await services.db.run_short(ballots.ballot_view, row.round_id, row.chat_id, services.ballot_key)
    await retire_copy(bot, services.texts, view.language if view else services.settings.language, row.chat_id, older)


async def retire_copy(bot: Bot, texts: Texts, lang: str, chat_id: int, message_id: int) -> None:
    """Turn an older copy of a ballot into a pointer to the live one (no buttons left on it)."""
    try:
        await bot.edit_message_text(texts.render(lang, "voting/ballot_replaced"), chat_id, message_id, parse_mode=ParseMode.HTML)
    except BadRequest as error:  # gone already, or shows this already
        log.info("older ballot copy not retired: %s", error)


def _ballot_not_arrived(session: Session, row: OutboxRecord) -> None:
    assert row.round_id is not None and row.person_id is not None
    ballot_deliveries.not_arrived(session, row.round_id, row.person_id)


async def _ballot_gone(bot: Bot, services: Services, row: OutboxRecord) -> None:
    """The member left before their ballot went: the round counts one fewer, and says so."""
    if row.round_id is not None:
        await update_progress(bot, services, row.round_id)


# A timed-out ballot may have arrived: it is sent again, and the older copy retired.
register(
    "ballot",
    Kind(
        draw=_draw_ballot,
        stored=_ballot_arrived,
        then=_retire_older_copy,
        failed=_ballot_not_arrived,
        gone=_ballot_gone,
        retry_timeouts=True,
    ),
)


async def _redraw(update: Update, context: BotContext, view: BallotView) -> None:
    """Redraw the member's live ballot. A press on another copy (a send that timed out and arrived
    after all) retires that copy and redraws the live one, so one live ballot is left."""
    query = update.callback_query
    assert query is not None and query.message is not None
    text, keyboard = render_ballot(context.texts, view)
    pressed = query.message.message_id
    if view.message_id is None:  # the first press on a ballot whose arrival was not confirmed
        await context.db.run(_live_copy_is, view.round.id, query.from_user.id, pressed)
    elif view.message_id != pressed:
        await retire_copy(context.bot, context.texts, view.language, query.message.chat.id, pressed)
        try:
            await context.bot.edit_message_text(text, query.message.chat.id, view.message_id, parse_mode=ParseMode.HTML, reply_markup=keyboard)
        except BadRequest as error:
            if not unchanged(error):
                raise
        return
    if shows_already(query.message, text, keyboard):  # type: ignore[arg-type]
        return
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as error:
        if not unchanged(error):
            raise


def _live_copy_is(session: Session, round_id: int, telegram_id: int, message_id: int) -> None:
    person_id = ballot_deliveries.person_id_of(session, telegram_id)
    if person_id is not None:
        ballot_deliveries.arrived(session, round_id, person_id, message_id)


def _own_private_chat(update: Update) -> bool:
    query = update.callback_query
    return query is not None and query.message is not None and query.message.chat.id == query.from_user.id


async def _refuse(update: Update, context: BotContext, code: str, lang: str | None = None) -> None:
    assert update.callback_query is not None
    await answer(update.callback_query, context.label(f"voting.alert.{code}", lang=lang), show_alert=True)


@database_away_means_try_again
async def vote_pressed(update: Update, context: BotContext) -> None:
    """vote:<round>:<theme>:<score>: store the score and redraw the ballot.

    The guard skips its lookup for this press: storing the score checks the presser (their
    delivery in this round) in the same unit of work, and brings their language for a refusal."""
    query = update.callback_query
    assert query is not None
    round_id, theme_id, score = (int(part) for part in context.matches[0].groups())
    if not _own_private_chat(update):
        await _refuse(update, context, "not_member")
        return
    key = context.services.ballot_key
    press = await context.db.run_once(ballots.record_score, round_id, query.from_user.id, theme_id, score, key)
    if press.language:
        context.lang = context.texts.lang(press.language)
    if press.status not in ("ok", "unchanged"):
        await _refuse(update, context, press.status if press.status in ("closed", "not_in_round") else "not_member")
        return
    if press.view is None:
        await answer(query)
        return
    # The answer and the redraw go side by side: a slow or failed answer holds up nothing.
    await asyncio.gather(answer(query), _redraw(update, context, press.view))


async def info_pressed(update: Update, context: BotContext) -> None:
    """vinfo:<round>:<theme>: the theme's description and SDGs as a pop-up."""
    query = update.callback_query
    assert query is not None
    round_id, theme_id = (int(part) for part in context.matches[0].groups())
    view = (
        await context.db.run_short(ballots.ballot_view, round_id, query.from_user.id, context.services.ballot_key)
        if _own_private_chat(update)
        else None
    )
    theme = next((t for t in view.themes if t.id == theme_id), None) if view else None
    if view is None or theme is None:
        await _refuse(update, context, "not_member" if view is None else "not_in_round")
        return
    sdgs = ", ".join(f"SDG {n} {sdg_name(n, view.language)}" for n in theme.sdgs)
    text = f"#{theme.position} {theme.name}\n{theme.description or ''}\n{sdgs}".strip()
    await answer(query, text[:197] + "…" if len(text) > 200 else text, show_alert=True)


async def page_pressed(update: Update, context: BotContext) -> None:
    """vpage:<round>:<page>: another page of a long ballot."""
    query = update.callback_query
    assert query is not None
    round_id, page = (int(part) for part in context.matches[0].groups())
    view = (
        await context.db.run_short(
            ballots.ballot_view, round_id, query.from_user.id, context.services.ballot_key, page=page
        )
        if _own_private_chat(update)
        else None
    )
    if view is None or not 0 <= page < pages(view):
        await _refuse(update, context, "not_member")
        return
    await answer(query)
    await _redraw(update, context, view)


async def submit_pressed(update: Update, context: BotContext) -> None:
    """vsubmit:<round>: count the ballot (all themes scored), update the group's progress."""
    from conversations.voting import close_and_announce, refresh_progress

    query = update.callback_query
    assert query is not None
    round_id = int(context.matches[0].group(1))
    if not _own_private_chat(update):
        await _refuse(update, context, "not_member")
        return
    key = context.services.ballot_key
    status, missing = await context.db.run(voting.submit, round_id, query.from_user.id, key)
    if status == "missing":
        alert = "voting.alert.missing_one" if missing == 1 else "voting.alert.missing"
        await answer(query, context.label(alert, n=missing), show_alert=True)
        return
    if status != "ok":
        await _refuse(update, context, status if status == "closed" else "not_member")
        return
    await answer(query, context.label("voting.alert.submitted"))
    view = await context.db.run_short(ballots.ballot_view, round_id, query.from_user.id, key)
    assert view is not None
    await _redraw(update, context, view)
    await refresh_progress(context, round_id)
    if view.round.close_when_all_voted and await context.db.run(voting.all_submitted, round_id):
        await close_and_announce(context, round_id, by="all_voted")


async def why_pressed(update: Update, context: BotContext) -> None:
    """vwhy:<round>: pick a theme; vwhy:<round>:<theme>: ask the one-line reason."""
    query = update.callback_query
    assert query is not None and query.message is not None
    round_id = int(context.matches[0].group(1))
    theme_part = context.matches[0].group(2)
    view = (
        await context.db.run_short(ballots.ballot_view, round_id, query.from_user.id, context.services.ballot_key)
        if _own_private_chat(update)
        else None
    )
    if view is None:
        await _refuse(update, context, "not_member")
        return
    if view.round.status != "open":
        await _refuse(update, context, "closed", view.language)
        return
    if theme_part is None:
        await answer(query)
        await query.edit_message_reply_markup(reason_keyboard(context.texts, view.language, view))
        return
    theme = next((t for t in view.themes if t.id == int(theme_part)), None)
    if theme is None or theme.id not in view.scores:
        await _refuse(update, context, "no_score" if theme else "not_in_round", view.language)
        return
    await answer(query)
    text = context.texts.render(view.language, "voting/reason_prompt", theme=theme, score=view.scores[theme.id])
    (prompt,) = await send_html(context.bot, query.message.chat.id, text, reply_markup=ForceReply(selective=True))
    person = context.private.person if context.private else None
    await context.db.run(
        prompts.ask,
        view.round.trajectory_id,
        query.message.chat.id,
        REASON_PROMPT,
        message_id=prompt.message_id,
        person_id=person.id if person else None,
        payload=f"{round_id}:{theme.id}",
    )
    text, keyboard = render_ballot(context.texts, view)
    await query.edit_message_reply_markup(keyboard)


async def back_pressed(update: Update, context: BotContext) -> None:
    """vback:<round>: back from the reason picker to the ballot."""
    query = update.callback_query
    assert query is not None
    round_id = int(context.matches[0].group(1))
    view = (
        await context.db.run_short(ballots.ballot_view, round_id, query.from_user.id, context.services.ballot_key)
        if _own_private_chat(update)
        else None
    )
    if view is None:
        await _refuse(update, context, "not_member")
        return
    await answer(query)
    await _redraw(update, context, view)


async def reason_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A private reply to the reason question (conversations/answers.py); other messages are not its answer."""
    message = update.effective_message
    if message is None or message.reply_to_message is None or update.effective_user is None:
        return False
    if prompt.message_id != message.reply_to_message.message_id or not prompt.payload:
        return False
    round_id, theme_id = (int(part) for part in prompt.payload.split(":"))
    cleaned = clean_text(message.text or message.caption, voting.MAX_REASON, single_line=True)
    if not cleaned.ok:
        await send_html(
            context.bot,
            message.chat_id,
            context.render("voting/reason_saved", problem=cleaned.problem, limit=voting.MAX_REASON),
        )
        return True
    outcome = await context.db.run(
        voting.record_reason, round_id, update.effective_user.id, theme_id, cleaned.value, context.services.ballot_key
    )
    await context.db.run(prompts.close, message.chat_id, REASON_PROMPT)
    problem = None if outcome == "ok" else "closed"
    await send_html(
        context.bot, message.chat_id, context.render("voting/reason_saved", problem=problem, limit=voting.MAX_REASON)
    )
    return True


async def resend_ballot(update: Update, context: BotContext) -> None:
    """/stembiljet in private: the ballot of the open round again (a late joiner gets one too);
    the copy it had before is retired when the new one arrives."""
    from conversations.group_choice import current_trajectory

    user = update.effective_user
    assert user is not None and update.effective_chat is not None
    trajectory = await current_trajectory(update, context)
    if trajectory is None:
        return
    found = await context.db.run(_queue_again, trajectory.id, telegram_user(user))
    if found is None:
        await send_html(
            context.bot,
            update.effective_chat.id,
            context.render("voting/problem", code="none_open", lang=trajectory.language),
        )
        return
    wake(context.services)


def _queue_again(session: Session, trajectory_id: int, user: TelegramUser) -> tuple[int, int] | None:
    found = voting.ensure_delivery(session, trajectory_id, user)
    if found is not None and not outbox.queued_ballot(session, *found):
        queue_ballot(session, found[0], found[1], user.telegram_id, trajectory_id)
    return found


def handlers() -> list:
    return [
        CallbackQueryHandler(vote_pressed, pattern=VOTE_PATTERN),
        CallbackQueryHandler(info_pressed, pattern=INFO_PATTERN),
        CallbackQueryHandler(page_pressed, pattern=PAGE_PATTERN),
        CallbackQueryHandler(submit_pressed, pattern=SUBMIT_PATTERN),
        CallbackQueryHandler(why_pressed, pattern=WHY_PATTERN),
        CallbackQueryHandler(back_pressed, pattern=BACK_PATTERN),
        CommandHandler("stembiljet", resend_ballot, filters=filters.ChatType.PRIVATE),
    ]
