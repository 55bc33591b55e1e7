"""Step 4, the member's side: the private ballot, scores 1-3, reasons, submitting.

Every press is checked against the database: the round must be open, the theme in play and
the presser a member who got this ballot; callback data alone proves nothing.
"""

from __future__ import annotations

import logging

from telegram import ForceReply, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext, telegram_user
from bot.delivery import deliver
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
from bot.membership import may_receive
from bot.messaging import send_html, unchanged
from method.text_input import clean_text
from method.themes.catalogues import sdg_name
from storage import ballots, prompts, voting
from storage.records import BallotView, PromptRecord

log = logging.getLogger("kopgroep.ballot")
REASON_PROMPT = "ballot_reason"


def render_ballot(context: BotContext, view: BallotView) -> tuple[str, object]:
    """Text and keyboard of a member's ballot at its current page."""
    page = min(view.page, pages(view) - 1)
    text = context.texts.render(
        view.language,
        "voting/ballot",
        view=view,
        themes=page_themes(view, page),
        page=page,
        pages=pages(view),
        missing=len(view.themes) - len(view.scores),
    )
    keyboard = ballot_keyboard(context.texts, view.language, view, page) if view.round.status == "open" else None
    return text, keyboard


async def send_ballot(context: BotContext, round_id: int, person_id: int, telegram_id: int) -> bool | None:
    """Send a member their ballot; False (and recorded) when Telegram will not deliver it, None
    when they are no longer in the group (bot/membership.py: then they are not counted either)."""
    view = await context.db.run_short(ballots.ballot_view, round_id, telegram_id, context.services.ballot_key)
    if view is None:
        return False
    if not await may_receive(context.bot, context.services, view.round.trajectory_id, telegram_id):
        return None
    text, keyboard = render_ballot(context, view)
    sent = await deliver(
        context.bot,
        context.services,
        telegram_id,
        text,
        kind="ballot",
        trajectory_id=view.round.trajectory_id,
        person_id=person_id,
        reply_markup=keyboard,
    )
    if sent is None:
        log.info("ballot of round %s not delivered", round_id)
        await context.db.run(voting.set_delivery, round_id, person_id, message_id=None, failed=True)
        return False
    await context.db.run(voting.set_delivery, round_id, person_id, message_id=sent[-1].message_id, failed=False)
    return True


async def _redraw(update: Update, context: BotContext, view: BallotView) -> None:
    query = update.callback_query
    assert query is not None
    text, keyboard = render_ballot(context, view)
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as error:
        if not unchanged(error):
            raise


def _own_private_chat(update: Update) -> bool:
    query = update.callback_query
    return query is not None and query.message is not None and query.message.chat.id == query.from_user.id


async def _refuse(update: Update, context: BotContext, code: str, lang: str | None = None) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(context.label(f"voting.alert.{code}", lang=lang), show_alert=True)


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
    await query.answer()
    if press.view is not None:
        await _redraw(update, context, press.view)


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
    await query.answer(text[:197] + "…" if len(text) > 200 else text, show_alert=True)


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
    await query.answer()
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
        await query.answer(context.label(alert, n=missing), show_alert=True)
        return
    if status != "ok":
        await _refuse(update, context, status if status == "closed" else "not_member")
        return
    await query.answer(context.label("voting.alert.submitted"))
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
        await query.answer()
        await query.edit_message_reply_markup(reason_keyboard(context.texts, view.language, view))
        return
    theme = next((t for t in view.themes if t.id == int(theme_part)), None)
    if theme is None or theme.id not in view.scores:
        await _refuse(update, context, "no_score" if theme else "not_in_round", view.language)
        return
    await query.answer()
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
    text, keyboard = render_ballot(context, view)
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
    await query.answer()
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
    """/stembiljet in private: the ballot of the open round again (a late joiner gets one too)."""
    from conversations.group_choice import current_trajectory

    user = update.effective_user
    assert user is not None and update.effective_chat is not None
    trajectory = await current_trajectory(update, context)
    if trajectory is None:
        return
    found = await context.db.run(voting.ensure_delivery, trajectory.id, telegram_user(user))
    if found is None:
        await send_html(
            context.bot,
            update.effective_chat.id,
            context.render("voting/problem", code="none_open", lang=trajectory.language),
        )
        return
    round_id, person_id = found
    await send_ballot(context, round_id, person_id, user.id)


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
