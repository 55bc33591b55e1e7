"""Step 5, the members' side: dream images per chosen theme, in private, between two sessions.

/droombeelden in the group (moderator) starts the collection and sends every member the template;
later it shows the progress. In private, /droombeelden shows a member their template again (or
the published result) and /sjabloon sends it as a Word document. What members then write, press
and upload is conversations/dream_images.py.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from telegram import InputFile, Update
from telegram.ext import CommandHandler, filters

from bot.context import BotContext
from bot.delivery import deliver
from bot.guards import moderator_only
from bot.keyboards import join_keyboard
from bot.keyboards.dreams import (
    BUTTONS_PER_THEME,
    template_keyboard,
)
from bot.membership import may_receive
from bot.messaging import send_html
from bot.outbox import wake
from bot.render import date_formatters
from storage import ballot_deliveries, dream_summary, dreams, outbox, reminders, trajectories
from storage.models import utcnow
from storage.records import DreamTheme, MemberDreams, TrajectoryRecord

log = logging.getLogger("kopgroep.dreams")


def now():  # noqa: ANN201 - one clock for this module, replaced in tests
    return utcnow()


# --- texts shared by several handlers ---------------------------------------------------------------


def examples_for(context: BotContext, lang: str, themes: tuple[DreamTheme, ...]) -> dict[int, str]:
    """A short example per theme: the source text's own for the pilots' themes, else a generic one."""
    out = {}
    for theme in themes:
        key = f"dreams.example.{theme.source_code}"
        try:
            out[theme.id] = (
                context.texts.label(lang, key)
                if theme.source_code
                else context.texts.label(lang, "dreams.example.generic")
            )
        except KeyError:
            out[theme.id] = context.texts.label(lang, "dreams.example.generic")
    return out


def template_text(context: BotContext, view: MemberDreams) -> str:
    return context.texts.render(
        view.language,
        "dreams/template",
        view=view,
        examples=examples_for(context, view.language, view.themes),
        question=context.texts.label(view.language, "dreams.question"),
        timezone=view.trajectory.timezone,
    )


def theme_text(context: BotContext, view: MemberDreams, theme: DreamTheme) -> str:
    return context.texts.render(
        view.language,
        "dreams/theme",
        view=view,
        theme=theme,
        images=view.images.get(theme.id, ()),
        example=examples_for(context, view.language, (theme,))[theme.id],
        question=context.texts.label(view.language, "dreams.question"),
        shown=BUTTONS_PER_THEME,
    )


async def send_template(context: BotContext, trajectory_id: int, telegram_id: int) -> bool | None:
    """The member's template with its buttons; False when Telegram will not deliver it (recorded),
    None when they are no longer in the group (bot/membership.py)."""
    view = await context.db.run(dreams.member_dreams, trajectory_id, telegram_id, now())
    if view is None:
        return False
    if not await may_receive(context.bot, context.services, trajectory_id, telegram_id):
        return None
    keyboard = template_keyboard(context.texts, view.language, view) if view.open else None
    sent = await deliver(
        context.bot,
        context.services,
        telegram_id,
        template_text(context, view),
        kind="dream_template",
        trajectory_id=trajectory_id,
        person_id=view.person_id,
        reply_markup=keyboard,
    )
    if sent is None:
        log.info("dream template for trajectory %s not delivered", trajectory_id)
        await context.db.run(reminders.mark_unreachable, view.person_id)
        return False
    return True


# --- /droombeelden in the group: start, then progress -------------------------------------------


@moderator_only
async def collection_command(update: Update, context: BotContext) -> None:
    """/droombeelden: start collecting (template to every member), or show how far the group is."""
    assert context.actor is not None and context.actor.trajectory is not None
    trajectory = context.actor.trajectory
    themes = await context.db.run(dreams.chosen_themes, trajectory.id)
    if not themes:
        await send_html(context.bot, trajectory.chat_id, context.render("dreams/problem", code="no_chosen"))
        return
    created, failed = await context.db.run(start_and_queue_templates, trajectory.id, now())
    if not created:
        await send_status(context, trajectory)
        return
    wake(context.services)
    progress = await context.db.run(dreams.progress, trajectory.id, now())
    keyboard = (
        join_keyboard(context.texts, context.lang, context.bot.username, trajectory.join_token)
        if progress.not_joined or failed
        else None
    )
    text = context.render(
        "dreams/started",
        themes=themes,
        next_session=progress.next_session,
        failed=failed,
        not_joined=list(progress.not_joined),
        timezone=trajectory.timezone,
    )
    await send_html(context.bot, trajectory.chat_id, text, reply_markup=keyboard)


async def send_status(context: BotContext, trajectory: TrajectoryRecord) -> None:
    progress = await context.db.run(dreams.progress, trajectory.id, now())
    moments = await context.db.run(reminders.pending_moments, trajectory.id, now())
    text = context.texts.render(
        trajectory.language, "dreams/status", progress=progress, moments=moments, timezone=trajectory.timezone
    )
    await send_html(context.bot, trajectory.chat_id, text)


async def welcome_late_joiner(context: BotContext, trajectory_id: int, telegram_id: int) -> None:
    """A member who joins while dream images are collected gets the template and reminders too."""
    collection = await context.db.run(dreams.collection, trajectory_id)
    if collection is None or collection.published_at is not None:
        return
    await context.db.run(_sync_and_queue, trajectory_id, telegram_id)
    wake(context.services)


def start_and_queue_templates(session: Session, trajectory_id: int, moment: datetime) -> tuple[bool, list[str]]:
    """Start collecting and queue every member's template in the outbox, in one transaction
    (conversations/dream_outbox.py draws it when it goes). Whether it started now, and the names
    of members the bot knows it cannot reach in private (they are tried all the same)."""
    _, created = dreams.start_collection(session, trajectory_id, moment)
    if not created:
        return False, []
    recipients = dreams.recipients(session, trajectory_id)
    for recipient in recipients:
        outbox.add(session, recipient.telegram_id, "dream_template", trajectory_id=trajectory_id, person_id=recipient.person_id)
    return True, [recipient.name for recipient in recipients if not recipient.reachable]


def _sync_and_queue(session: Session, trajectory_id: int, telegram_id: int) -> None:
    reminders.sync(session, trajectory_id, now())
    person_id = ballot_deliveries.person_id_of(session, telegram_id)
    outbox.add(session, telegram_id, "dream_template", trajectory_id=trajectory_id, person_id=person_id)


# --- private: the template, one theme, adding, editing, deleting, done ---------------------------------


async def open_views(context: BotContext, telegram_id: int) -> list[MemberDreams]:
    views = []
    for trajectory_id in await context.db.run(dreams.open_collections_of, telegram_id):
        view = await context.db.run(dreams.member_dreams, trajectory_id, telegram_id, now())
        if view is not None and view.themes:
            views.append(view)
    return views


async def private_command(update: Update, context: BotContext) -> None:
    """/droombeelden in private: the template again, or the published result."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    trajectory = await _trajectory_for(update, context)
    if trajectory is None:
        return
    view = await context.db.run(dreams.member_dreams, trajectory.id, user.id, now())
    if view is None:
        await send_html(context.bot, chat.id, context.render("dreams/none", trajectory=trajectory))
        return
    if not view.open:
        result = await context.db.run(dream_summary.published_summary, trajectory.id, now())
        text = context.texts.render(
            view.language,
            "dreams/summary",
            trajectory=trajectory,
            themes=result or (),
            next_session=view.next_session,
            timezone=trajectory.timezone,
        )
        await send_html(context.bot, chat.id, text)
        return
    await send_template(context, trajectory.id, user.id)


async def _trajectory_for(update: Update, context: BotContext) -> TrajectoryRecord | None:
    """The group a private command is about: the one collecting dream images, else the current one."""
    from conversations.group_choice import current_trajectory

    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    private = context.private
    if private is None:
        return None
    collecting = await context.db.run(dreams.open_collections_of, user.id)
    if private.current is not None and (private.current.id in collecting or not collecting):
        return private.current
    if len(collecting) == 1:
        return await context.db.run(trajectories.by_id, collecting[0])
    if not private.memberships:
        await send_html(context.bot, chat.id, context.render("dreams/none", trajectory=None))
        return None
    return await current_trajectory(update, context)


async def document_command(update: Update, context: BotContext) -> None:
    """/sjabloon in private: the template as a Word document."""
    user = update.effective_user
    assert user is not None
    trajectory = await _trajectory_for(update, context)
    if trajectory is None:
        return
    await send_document(context, trajectory.id, user.id)


async def send_document(context: BotContext, trajectory_id: int, telegram_id: int) -> None:
    """The template as a Word document (bot/documents/dream_template.py); theme ids are its keys."""
    from bot.documents.dream_template import TemplateTheme, build_template

    view = await context.db.run(dreams.member_dreams, trajectory_id, telegram_id, now())
    if view is None:
        trajectory = await context.db.run(trajectories.by_id, trajectory_id)
        await send_html(context.bot, telegram_id, context.render("dreams/none", trajectory=trajectory))
        return
    lang = view.language
    examples = examples_for(context, lang, view.themes)
    deadline = None
    if view.next_session is not None:
        fmt = date_formatters(lang, ZoneInfo(view.trajectory.timezone))["fmt_datetime"]
        deadline = fmt(view.next_session.starts_at)
    data = await asyncio.to_thread(
        build_template,
        organisation=view.trajectory.organisation or view.trajectory.title,
        themes=[TemplateTheme(key=str(theme.id), name=theme.name, example=examples[theme.id]) for theme in view.themes],
        lang=lang,
        deadline_text=deadline,
    )
    await context.bot.send_document(
        telegram_id,
        InputFile(data, filename=context.texts.label(lang, "dreams.template_file")),
        caption=context.texts.label(lang, "dreams.document_caption"),
    )


def handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("droombeelden", collection_command, filters=filters.ChatType.GROUPS),
        CommandHandler("droombeelden", private_command, filters=private),
        CommandHandler("sjabloon", document_command, filters=private),
    ]
