"""Step 5, the moderator's side: process the dream images and publish the result.

/verwerk (group, moderator) sends the moderator, privately, every dream image per theme (without
names unless asked), the likely duplicates the bot found (also across themes and worded
differently) one by one to accept or reject, and takes short commands typed in that private chat
(``3+7``, ``7 onder 3``, ``3: nieuwe tekst``, ``7 weg``, ``7 terug``). **Publiceren** posts the
processed result in the group, per theme a list of dream images, as in the method's example.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.guards import moderator_only
from bot.keyboards import join_keyboard
from bot.keyboards.dreams import (
    PROPOSAL_PATTERN,
    PUBLISH_PATTERN,
    VIEW_PATTERN,
    processing_keyboard,
    proposal_keyboard,
    publish_keyboard,
)
from bot.messaging import drop_buttons, edit_html, send_html, split_html, unchanged
from method.dreams.commands import parse_edit
from method.text_input import clean_text
from storage import dream_summary, dreams, prompts, trajectories
from storage.models import utcnow
from storage.records import DreamImageRecord, ProcessingView, PromptRecord, TrajectoryRecord

log = logging.getLogger("kopgroep.dreams")

PROCESS_PROMPT = "dream_process"  # in the moderator's private chat: message_id = the overview, payload "<names shown 0|1>:<what it shows>"


def now():  # noqa: ANN201 - replaced in tests
    return utcnow()


def find_duplicates(images: list[DreamImageRecord], language: str) -> list[tuple[int, int, float]]:
    """Likely duplicates among the active dream images, as pairs (kept, merged into it, score).

    method/dreams/duplicates.py proposes groups, also across themes; a group of three or more
    becomes one pair per other member with the oldest, which the moderator answers one by one.
    """
    from method.dreams.duplicates import DreamItem, propose_duplicates

    items = [DreamItem(image.id, image.theme_id, image.shown) for image in images if image.active]
    pairs = []
    for proposal in propose_duplicates(items, lang=language):
        first, *others = proposal.ids
        pairs.extend((first, other, proposal.score) for other in others)
    return pairs


# --- /verwerk ---------------------------------------------------------------------------------------------


@moderator_only
async def process_command(update: Update, context: BotContext) -> None:
    """/verwerk: the processing screen goes to the moderator's private chat."""
    trajectory = context.trajectory
    user = update.effective_user
    assert user is not None and context.actor is not None and context.actor.person is not None
    collection = await context.db.run(dreams.collection, trajectory.id)
    if collection is None:
        await send_html(context.bot, trajectory.chat_id, context.render("dreams/problem", code="not_started"))
        return
    try:
        proposals = await open_processing(context, trajectory, user.id, names=False)
    except (Forbidden, BadRequest):
        keyboard = join_keyboard(context.texts, context.lang, context.bot.username, trajectory.join_token)
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("dreams/problem", code="private_closed"),
            reply_markup=keyboard,
        )
        return
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render("dreams/processing_sent", moderator=context.actor.person, proposals=proposals),
    )


async def open_processing(context: BotContext, trajectory: TrajectoryRecord, telegram_id: int, *, names: bool) -> int:
    """Look for new duplicates, send the overview and the first proposal; returns open proposals."""
    view = await refresh(context, trajectory.id)
    assert view is not None
    await show_overview(context, trajectory, telegram_id, view, names=names, message_id=None)
    await send_proposal(context, trajectory, telegram_id, view, decided=False)
    return len(view.proposals)


async def refresh(context: BotContext, trajectory_id: int) -> ProcessingView | None:
    view = await context.db.run(dream_summary.processing_view, trajectory_id, now())
    if view is None:
        return None
    pairs = await asyncio.to_thread(find_duplicates, list(view.images), view.trajectory.language)
    if await context.db.run(dream_summary.store_proposals, trajectory_id, pairs):
        view = await context.db.run(dream_summary.processing_view, trajectory_id, now())
    return view


def overview_text(context: BotContext, view: ProcessingView, *, names: bool) -> str:
    active_ids = {image.id for image in view.images if image.active}
    numbers = {image.id: image.number for image in view.images}
    merged: dict[int, list[int]] = {}
    for image in view.images:
        if image.merged_into_id is not None:
            merged.setdefault(image.merged_into_id, []).append(image.number)
    return context.texts.render(
        view.trajectory.language,
        "dreams/processing",
        view=view,
        names=names,
        active_ids=active_ids,
        merged=merged,
        numbers=numbers,
        timezone=view.trajectory.timezone,
    )


async def show_overview(
    context: BotContext,
    trajectory: TrajectoryRecord,
    chat_id: int,
    view: ProcessingView,
    *,
    names: bool,
    message_id: int | None,
) -> None:
    """Edit the overview in place when it fits in one message, else send it anew; remember where it is."""
    text = overview_text(context, view, names=names)
    keyboard = processing_keyboard(context.texts, trajectory.language, trajectory.id, names)
    shown = hashlib.sha256(text.encode()).hexdigest()[:16]  # the overview's text, so an edit never repeats it
    payload = f"{1 if names else 0}:{shown}"
    if message_id is not None and len(split_html(text)) == 1:
        current = await context.db.run(prompts.find, chat_id, PROCESS_PROMPT)
        if current is not None and current.message_id == message_id and current.payload == payload:
            return
        try:
            await context.bot.edit_message_text(text, chat_id, message_id, parse_mode="HTML", reply_markup=keyboard)
            await context.db.run(
                prompts.ask, trajectory.id, chat_id, PROCESS_PROMPT, message_id=message_id, payload=payload
            )
            return
        except BadRequest as error:
            if unchanged(error):
                return
    sent = await send_html(context.bot, chat_id, text, reply_markup=keyboard, queue_when_busy=False)
    await context.db.run(
        prompts.ask, trajectory.id, chat_id, PROCESS_PROMPT, message_id=sent[-1].message_id, payload=payload
    )


def proposal_text(context: BotContext, view: ProcessingView, *, decided: bool) -> str:
    proposal = view.proposals[0] if view.proposals else None
    return context.texts.render(
        view.trajectory.language,
        "dreams/proposal",
        proposal=proposal,
        index=1,
        total=len(view.proposals),
        themes={theme.id: theme.name for theme in view.themes},
        decided=decided,
    )


async def send_proposal(
    context: BotContext, trajectory: TrajectoryRecord, chat_id: int, view: ProcessingView, *, decided: bool
) -> None:
    keyboard = (
        proposal_keyboard(context.texts, trajectory.language, trajectory.id, view.proposals[0])
        if view.proposals
        else None
    )
    if view.proposals or decided:
        await send_html(context.bot, chat_id, proposal_text(context, view, decided=decided), reply_markup=keyboard)


# --- buttons in the moderator's private chat ----------------------------------------------------------------


async def moderator_press(update: Update, context: BotContext, trajectory_id: int) -> TrajectoryRecord | None:
    """The group when the presser moderates it and pressed in their own private chat."""
    query = update.callback_query
    assert query is not None
    own = query.message is not None and query.message.chat.id == query.from_user.id
    if not own or not await context.db.run(dream_summary.is_moderator, trajectory_id, query.from_user.id):
        await query.answer(context.label("dreams.alert.moderator_only"), show_alert=True)
        return None
    return await context.db.run(trajectories.by_id, trajectory_id)


async def proposal_pressed(update: Update, context: BotContext) -> None:
    """dpp:<trajectory>:<proposal>:<y|n>: merge the proposed duplicate or keep both; then the next one."""
    query = update.callback_query
    assert query is not None
    trajectory_id, proposal_id, answer = (
        int(context.matches[0].group(1)),
        int(context.matches[0].group(2)),
        context.matches[0].group(3),
    )
    trajectory = await moderator_press(update, context, trajectory_id)
    if trajectory is None:
        return
    outcome = await context.db.run(dream_summary.decide, trajectory_id, proposal_id, answer == "y", now())
    lang = trajectory.language
    if outcome != "ok":
        await query.answer(context.label(f"dreams.alert.{outcome}", lang=lang), show_alert=True)
    else:
        await query.answer(context.label("dreams.alert.merged" if answer == "y" else "dreams.alert.kept", lang=lang))
    view = await context.db.run(dream_summary.processing_view, trajectory_id, now())
    assert view is not None
    keyboard = proposal_keyboard(context.texts, lang, trajectory_id, view.proposals[0]) if view.proposals else None
    await edit_html(query, proposal_text(context, view, decided=True), reply_markup=keyboard)
    await refresh_overview(context, trajectory, query.from_user.id, view)


async def refresh_overview(
    context: BotContext, trajectory: TrajectoryRecord, chat_id: int, view: ProcessingView
) -> None:
    prompt = await context.db.run(prompts.find, chat_id, PROCESS_PROMPT)
    names = prompt is not None and (prompt.payload or "").startswith("1")
    message_id = prompt.message_id if prompt is not None and prompt.trajectory_id == trajectory.id else None
    await show_overview(context, trajectory, chat_id, view, names=names, message_id=message_id)


async def view_pressed(update: Update, context: BotContext) -> None:
    """dpv:<trajectory>:<0|1>: the overview again, without or with names (also: back from publishing)."""
    query = update.callback_query
    assert query is not None
    trajectory_id, names = int(context.matches[0].group(1)), context.matches[0].group(2) == "1"
    trajectory = await moderator_press(update, context, trajectory_id)
    if trajectory is None:
        return
    await query.answer()
    view = await refresh(context, trajectory_id)
    assert view is not None and query.message is not None
    await show_overview(context, trajectory, query.from_user.id, view, names=names, message_id=query.message.message_id)
    if view.proposals:
        await send_proposal(context, trajectory, query.from_user.id, view, decided=False)


async def publish_pressed(update: Update, context: BotContext) -> None:
    """dpub:<trajectory>: show the result and ask; dpub:<trajectory>:ok: post it in the group."""
    query = update.callback_query
    assert query is not None
    trajectory_id, confirmed = int(context.matches[0].group(1)), context.matches[0].group(2) == "ok"
    trajectory = await moderator_press(update, context, trajectory_id)
    if trajectory is None:
        return
    await query.answer()
    lang = trajectory.language
    if not confirmed:
        view = await context.db.run(dream_summary.processing_view, trajectory_id, now())
        assert view is not None
        result = dream_summary.build_summary(view)
        count = sum(len(theme.items) + sum(len(item.children) for item in theme.items) for theme in result)
        summary = context.texts.render(
            lang,
            "dreams/summary",
            trajectory=trajectory,
            themes=result,
            next_session=view.next_session,
            timezone=trajectory.timezone,
        )
        await send_html(context.bot, query.from_user.id, summary)
        await send_html(
            context.bot,
            query.from_user.id,
            context.texts.render(lang, "dreams/publish_confirm", count=count),
            reply_markup=publish_keyboard(context.texts, lang, trajectory_id),
        )
        return
    await drop_buttons(query)
    result = await context.db.run(dream_summary.publish, trajectory_id, now())
    view = await context.db.run(dream_summary.processing_view, trajectory_id, now())
    assert result is not None and view is not None
    summary = context.texts.render(
        lang,
        "dreams/summary",
        trajectory=trajectory,
        themes=result,
        next_session=view.next_session,
        timezone=trajectory.timezone,
    )
    await send_html(context.bot, trajectory.chat_id, summary)
    await send_html(context.bot, query.from_user.id, context.texts.render(lang, "dreams/published"))


# --- the moderator's typed commands (a consumer for conversations/fallbacks.py) --------------------------------


async def moderator_text(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """``3+7``, ``7 onder 3``, ``3: tekst``, ``7 weg``, ``7 terug`` in the moderator's private chat
    while processing (conversations/answers.py); other text is left for the other steps (a moderator
    writes dream images too)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return False
    edit = parse_edit(message.text)
    if edit is None:
        return False
    if not await context.db.run(dream_summary.is_moderator, prompt.trajectory_id, user.id):
        return False
    trajectory = await context.db.run(trajectories.by_id, prompt.trajectory_id)
    assert trajectory is not None
    lang = trajectory.language
    text = edit.text
    if text is not None:
        cleaned = clean_text(text, dreams.MAX_TEXT)
        if not cleaned.ok:
            await send_html(
                context.bot,
                message.chat_id,
                context.texts.render(
                    lang, "dreams/edit_result", edit=edit, status=cleaned.problem or "long", limit=dreams.MAX_TEXT
                ),
            )
            return True
        text = cleaned.value
    status = await context.db.run(dream_summary.apply_edit, trajectory.id, edit.action, edit.numbers, text)
    await send_html(
        context.bot,
        message.chat_id,
        context.texts.render(lang, "dreams/edit_result", edit=edit, status=status, limit=dreams.MAX_TEXT),
    )
    if status == "ok":
        view = await context.db.run(dream_summary.processing_view, trajectory.id, now())
        assert view is not None
        await refresh_overview(context, trajectory, message.chat_id, view)
    return True


def handlers() -> list:
    return [
        CommandHandler("verwerk", process_command, filters=filters.ChatType.GROUPS),
        CallbackQueryHandler(proposal_pressed, pattern=PROPOSAL_PATTERN),
        CallbackQueryHandler(view_pressed, pattern=VIEW_PATTERN),
        CallbackQueryHandler(publish_pressed, pattern=PUBLISH_PATTERN),
    ]
