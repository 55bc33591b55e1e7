"""Step 5, the members' side: dream images per chosen theme, in private, between two sessions.

/droombeelden in the group (moderator) starts the collection and sends every member the template;
later it shows the progress. In private, /droombeelden shows a member their template again (or
the published result) and /sjabloon sends it as a Word document. A theme button chooses which
theme the next messages are for (a ``dream_theme`` prompt); every text message is then one dream
image; a filled-in document is read in. Members see, edit and delete their own dream images and
mark themes done. Every press is checked against the database, never the callback data alone.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from telegram import InputFile, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.delivery import deliver
from bot.guards import moderator_only
from bot.keyboards import join_keyboard
from bot.keyboards.dreams import (
    ALL_PATTERN,
    BUTTONS_PER_THEME,
    CANCEL_PATTERN,
    DELETE_PATTERN,
    DOCUMENT_PATTERN,
    DONE_PATTERN,
    EDIT_PATTERN,
    THEME_PATTERN,
    cancel_keyboard,
    choose_keyboard,
    saved_keyboard,
    template_keyboard,
    theme_keyboard,
)
from bot.messaging import drop_buttons, edit_html, send_html
from bot.outbox import wake
from bot.render import date_formatters
from method.text_input import clean_text
from storage import ballot_deliveries, dreams, outbox, prompts, reminders, trajectories
from storage.models import utcnow
from storage.records import DreamTheme, MemberDreams, PromptRecord, TrajectoryRecord

log = logging.getLogger("kopgroep.dreams")

THEME_PROMPT = "dream_theme"  # payload: the theme the next messages are for
EDIT_PROMPT = "dream_edit"  # payload: the dream image whose new text comes next
PENDING_PROMPT = "dream_pending"  # payload: a dream image that came before a theme was chosen
MAX_DOCUMENT = 2 * 1024 * 1024  # bytes: a filled-in template is a few dozen kilobytes


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


async def send_template(context: BotContext, trajectory_id: int, telegram_id: int) -> bool:
    """The member's template with its buttons; False when Telegram will not deliver it (recorded)."""
    view = await context.db.run(dreams.member_dreams, trajectory_id, telegram_id, now())
    if view is None:
        return False
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


async def _open_views(context: BotContext, telegram_id: int) -> list[MemberDreams]:
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
        result = await context.db.run(dreams.published_summary, trajectory.id, now())
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


def _own_private_chat(update: Update) -> bool:
    query = update.callback_query
    return query is not None and query.message is not None and query.message.chat.id == query.from_user.id


async def _refuse(update: Update, context: BotContext, code: str, lang: str | None = None) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer(context.label(f"dreams.alert.{code}", lang=lang), show_alert=True)


async def _view_for_press(update: Update, context: BotContext, trajectory_id: int) -> MemberDreams | None:
    """The presser's own template in that group, or None (and a refusal) when it is not theirs."""
    query = update.callback_query
    assert query is not None
    view = (
        await context.db.run(dreams.member_dreams, trajectory_id, query.from_user.id, now())
        if _own_private_chat(update)
        else None
    )
    if view is None:
        await _refuse(update, context, "not_member")
    return view


async def _show_theme(
    update: Update, context: BotContext, view: MemberDreams, theme: DreamTheme, *, edit: bool
) -> None:
    text = theme_text(context, view, theme)
    keyboard = theme_keyboard(context.texts, view.language, view, theme.id) if view.open else None
    query = update.callback_query
    if edit and query is not None:
        try:
            await edit_html(query, text, reply_markup=keyboard)
            return
        except BadRequest:  # it can no longer be edited: send it anew
            pass
    chat = update.effective_chat
    assert chat is not None
    await send_html(context.bot, chat.id, text, reply_markup=keyboard)


async def theme_pressed(update: Update, context: BotContext) -> None:
    """dth:<trajectory>:<theme>: the next messages are for this theme; shows the member's own."""
    query = update.callback_query
    assert query is not None and query.message is not None
    trajectory_id, theme_id = (int(part) for part in context.matches[0].groups())
    view = await _view_for_press(update, context, trajectory_id)
    if view is None:
        return
    theme = view.theme(theme_id)
    if theme is None:
        await _refuse(update, context, "not_chosen", view.language)
        return
    if not view.open:
        await _refuse(update, context, "closed", view.language)
        return
    chat_id = query.message.chat.id
    await context.db.run(
        prompts.ask, trajectory_id, chat_id, THEME_PROMPT, person_id=view.person_id, payload=str(theme_id)
    )
    await query.answer()
    pending = await context.db.run(prompts.find, chat_id, PENDING_PROMPT)
    if pending is not None and pending.payload:
        await context.db.run(prompts.close, chat_id, PENDING_PROMPT)
        await _add(update, context, trajectory_id, theme_id, pending.payload)
        return
    await _show_theme(update, context, view, theme, edit=False)


async def all_pressed(update: Update, context: BotContext) -> None:
    """dall:<trajectory>: back to the template with all themes."""
    query = update.callback_query
    assert query is not None
    view = await _view_for_press(update, context, int(context.matches[0].group(1)))
    if view is None:
        return
    await query.answer()
    keyboard = template_keyboard(context.texts, view.language, view) if view.open else None
    await edit_html(query, template_text(context, view), reply_markup=keyboard)


async def done_pressed(update: Update, context: BotContext) -> None:
    """ddone:<trajectory>:<theme>:<1|0>: mark a theme done, or open again."""
    query = update.callback_query
    assert query is not None
    trajectory_id, theme_id, flag = (int(part) for part in context.matches[0].groups())
    if not _own_private_chat(update):
        await _refuse(update, context, "not_member")
        return
    outcome = await context.db.run(dreams.set_done, trajectory_id, query.from_user.id, theme_id, bool(flag), now())
    if outcome.status != "ok":
        await _refuse(update, context, outcome.status)
        return
    view = await context.db.run(dreams.member_dreams, trajectory_id, query.from_user.id, now())
    assert view is not None
    theme = view.theme(theme_id)
    assert theme is not None
    await query.answer(
        context.label("dreams.alert.done" if flag else "dreams.alert.undone", lang=view.language, name=theme.name)
    )
    await _show_theme(update, context, view, theme, edit=True)
    if flag and not view.missing:
        await send_html(
            context.bot,
            query.from_user.id,
            context.texts.render(view.language, "dreams/all_done", view=view, timezone=view.trajectory.timezone),
        )


async def edit_pressed(update: Update, context: BotContext) -> None:
    """ded:<dream image>: the next message is the new text of this (own) dream image."""
    query = update.callback_query
    assert query is not None and query.message is not None
    image_id = int(context.matches[0].group(1))
    image = await context.db.run(dreams.own_image, image_id, query.from_user.id) if _own_private_chat(update) else None
    view = await context.db.run(dreams.member_dreams, image.trajectory_id, query.from_user.id, now()) if image else None
    theme = view.theme(image.theme_id) if view and image else None
    if image is None or view is None or theme is None:
        await _refuse(update, context, "not_found")
        return
    if not view.open:
        await _refuse(update, context, "closed", view.language)
        return
    await query.answer()
    number = next(n for n, own in enumerate(view.images[theme.id], start=1) if own.id == image.id)
    text = context.texts.render(view.language, "dreams/edit_prompt", image=image, number=number, theme=theme)
    (prompt,) = await send_html(
        context.bot,
        query.message.chat.id,
        text,
        reply_markup=cancel_keyboard(context.texts, view.language, view.trajectory.id),
    )
    await context.db.run(
        prompts.ask,
        image.trajectory_id,
        query.message.chat.id,
        EDIT_PROMPT,
        message_id=prompt.message_id,
        person_id=view.person_id,
        payload=str(image.id),
    )


async def delete_pressed(update: Update, context: BotContext) -> None:
    """ddel:<dream image>: delete one's own dream image; the theme view is redrawn."""
    query = update.callback_query
    assert query is not None
    image_id = int(context.matches[0].group(1))
    if not _own_private_chat(update):
        await _refuse(update, context, "not_found")
        return
    outcome = await context.db.run(dreams.delete_image, image_id, query.from_user.id)
    if outcome.status != "ok" or outcome.image is None:
        await _refuse(update, context, outcome.status if outcome.status in ("closed", "not_member") else "not_found")
        return
    view = await context.db.run(dreams.member_dreams, outcome.image.trajectory_id, query.from_user.id, now())
    assert view is not None
    text = outcome.image.text if len(outcome.image.text) <= 150 else outcome.image.text[:149] + "…"
    await query.answer(context.label("dreams.alert.deleted", lang=view.language, text=text))
    theme = view.theme(outcome.image.theme_id)
    if theme is not None:
        await _show_theme(update, context, view, theme, edit=True)


async def cancel_pressed(update: Update, context: BotContext) -> None:
    """dcan:<trajectory>: no new text after all."""
    query = update.callback_query
    assert query is not None and query.message is not None
    if not _own_private_chat(update):
        await _refuse(update, context, "not_member")
        return
    await context.db.run(prompts.close, query.message.chat.id, EDIT_PROMPT)
    await query.answer(context.label("dreams.alert.cancelled"))
    await drop_buttons(query)


async def document_pressed(update: Update, context: BotContext) -> None:
    """ddoc:<trajectory>: the template as a Word document."""
    query = update.callback_query
    assert query is not None
    view = await _view_for_press(update, context, int(context.matches[0].group(1)))
    if view is None:
        return
    await query.answer()
    await send_document(context, view.trajectory.id, query.from_user.id)


async def _add(update: Update, context: BotContext, trajectory_id: int, theme_id: int, raw: str | None) -> None:
    """Store one dream image and say so, with the next steps as buttons."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    cleaned = clean_text(raw, dreams.MAX_TEXT)
    if cleaned.ok and cleaned.value is not None:
        outcome, view = await context.db.run(dreams.add_own_image, trajectory_id, user.id, theme_id, cleaned.value, now())
        status, count = outcome.status, outcome.count
    else:
        status, count = cleaned.problem or "empty", 0
        view = await context.db.run(dreams.member_dreams, trajectory_id, user.id, now())
    await _saved(context, chat.id, view, theme_id, status, count)


async def _saved(
    context: BotContext, chat_id: int, view: MemberDreams | None, theme_id: int, status: str, count: int
) -> None:
    """What became of a dream image, with the next steps as buttons."""
    theme = view.theme(theme_id) if view else None
    lang = view.language if view else context.lang
    text = context.texts.render(lang, "dreams/saved", status=status, theme=theme, count=count, limit=dreams.MAX_TEXT)
    keyboard = None
    if view is not None and view.open and theme is not None and status in ("ok", "duplicate", "too_many"):
        keyboard = saved_keyboard(context.texts, lang, view, theme_id)
    elif view is not None and view.open and status == "not_chosen":
        keyboard = choose_keyboard(context.texts, lang, [view])
    await send_html(context.bot, chat_id, text, reply_markup=keyboard)


# --- answers to what the bot waits for (conversations/answers.py) -------------------------------------------


async def edit_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """The new text of a dream image, right after its ✏️ button (conversations/answers.py)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not prompt.payload:
        return False
    cleaned = clean_text(message.text or message.caption, dreams.MAX_TEXT)
    lang = context.lang
    if not cleaned.ok or cleaned.value is None:
        await send_html(
            context.bot,
            message.chat_id,
            context.render("dreams/edited", status=cleaned.problem, image=None, limit=dreams.MAX_TEXT),
        )
        return True
    outcome = await context.db.run(dreams.edit_image, int(prompt.payload), user.id, cleaned.value, now())
    await context.db.run(prompts.close, message.chat_id, EDIT_PROMPT)
    if prompt.message_id is not None:
        try:
            await context.bot.edit_message_reply_markup(message.chat_id, prompt.message_id, reply_markup=None)
        except BadRequest:
            pass
    view = await context.db.run(dreams.member_dreams, prompt.trajectory_id, user.id, now())
    if view is not None:
        lang = view.language
    status = outcome.status if outcome.status in ("ok", "closed") else "not_found"
    keyboard = None
    if status == "ok" and view is not None and outcome.image is not None:
        keyboard = saved_keyboard(context.texts, lang, view, outcome.image.theme_id)
    await send_html(
        context.bot,
        message.chat_id,
        context.render("dreams/edited", lang=lang, status=status, image=outcome.image, limit=dreams.MAX_TEXT),
        reply_markup=keyboard,
    )
    return True


async def dream_for_theme(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A private text after a theme button: one dream image for that theme (conversations/answers.py).

    When that theme is no longer collecting, the choice is forgotten and the text goes on to
    ``dream_text``, which asks for a theme again."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None or context.private is None or not prompt.payload:
        return False
    cleaned = clean_text(message.text, dreams.MAX_TEXT)
    if not cleaned.ok or cleaned.value is None:
        await _add(update, context, prompt.trajectory_id, int(prompt.payload), message.text)  # says what is wrong
        return True
    outcome, view = await context.db.run(
        dreams.add_own_image, prompt.trajectory_id, user.id, int(prompt.payload), cleaned.value, now()
    )
    if outcome.status in ("not_member", "not_chosen", "closed"):
        await context.db.run(prompts.close, message.chat_id, THEME_PROMPT)
        return False
    assert view is not None
    await _saved(context, message.chat_id, view, int(prompt.payload), outcome.status, outcome.count)
    return True


async def dream_text(update: Update, context: BotContext) -> bool:
    """A private text while a member's group collects dream images: one dream image.

    For the theme chosen with a button; with no theme chosen yet (or only one theme), the member
    picks it and the text is kept meanwhile.
    """
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None or context.private is None:
        return False
    chat_id = message.chat_id
    views = await _open_views(context, user.id)
    if not views:
        return False
    if len(views) == 1 and len(views[0].themes) == 1:
        view = views[0]
        await context.db.run(
            prompts.ask,
            view.trajectory.id,
            chat_id,
            THEME_PROMPT,
            person_id=view.person_id,
            payload=str(view.themes[0].id),
        )
        await _add(update, context, view.trajectory.id, view.themes[0].id, message.text)
        return True
    first = views[0]
    await context.db.run(
        prompts.ask,
        first.trajectory.id,
        chat_id,
        PENDING_PROMPT,
        person_id=first.person_id,
        payload=message.text[:4000],
    )
    lang = first.language
    await send_html(
        context.bot,
        chat_id,
        context.texts.render(lang, "dreams/which_theme"),
        reply_markup=choose_keyboard(context.texts, lang, views),
    )
    return True


async def document_reply(update: Update, context: BotContext) -> bool:
    """A filled-in template sent back as a document (.docx): every dream image in it is read in."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return False
    document = message.document
    views = await _open_views(context, user.id)
    if not views:
        return False
    private = context.private
    moderates = private is not None and any(role == "moderator" for _, role in private.memberships)
    is_docx = PurePath(document.file_name or "").suffix.lower() == ".docx"
    if not is_docx and moderates:
        return False  # a moderator's other files are for the scan import (conversations/themes.py)
    current = private.current.id if private is not None and private.current is not None else None
    view = next((v for v in views if v.trajectory.id == current), views[0])

    async def reply(answer_view: MemberDreams, problem: str | None, **counts: object) -> bool:
        values = {"added": 0, "kept": 0, "refused": 0, "missing": [], **counts}
        text = context.texts.render(answer_view.language, "dreams/document_read", problem=problem, **values)
        keyboard = template_keyboard(context.texts, answer_view.language, answer_view) if problem is None else None
        await send_html(context.bot, message.chat_id, text, reply_markup=keyboard)
        return True

    if not is_docx:
        return await reply(view, "not_docx")
    if (document.file_size or 0) > MAX_DOCUMENT:
        return await reply(view, "too_big")
    from bot.documents.dream_template import TemplateTheme
    from bot.documents.dream_template_read import read_filled

    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    given = [TemplateTheme(key=str(theme.id), name=theme.name, example="") for theme in view.themes]
    filled = await asyncio.to_thread(read_filled, data, themes=given)
    if filled.error is not None and filled.error != "empty":
        problem = {"too_large": "too_big", "not_our_template": "not_ours"}.get(filled.error, "unreadable")
        return await reply(view, problem)
    # The document says which themes (their ids are its keys): the group they belong to.
    keys = {theme.key for theme in filled.themes}
    view = max(views, key=lambda v: (len(keys & {str(t.id) for t in v.themes}), v.trajectory.id == view.trajectory.id))
    names = {str(theme.id): theme.name for theme in view.themes}
    items, too_long = [], 0
    for theme in filled.themes:
        for text in theme.dreams:
            cleaned = clean_text(text, dreams.MAX_TEXT)
            if cleaned.ok and cleaned.value is not None and theme.key.isdigit():
                items.append((int(theme.key), cleaned.value))
            else:
                too_long += 1
    counts = await context.db.run(dreams.add_many, view.trajectory.id, user.id, items, now())
    if "status" in counts:
        return await reply(view, str(counts["status"]))
    view = await context.db.run(dreams.member_dreams, view.trajectory.id, user.id, now()) or view
    missing = [names[key] for key in filled.missing if key in names]
    refused = counts["refused"] + too_long
    return await reply(view, None, added=counts["ok"], kept=counts["duplicate"], refused=refused, missing=missing)


def handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("droombeelden", collection_command, filters=filters.ChatType.GROUPS),
        CommandHandler("droombeelden", private_command, filters=private),
        CommandHandler("sjabloon", document_command, filters=private),
        CallbackQueryHandler(theme_pressed, pattern=THEME_PATTERN),
        CallbackQueryHandler(all_pressed, pattern=ALL_PATTERN),
        CallbackQueryHandler(done_pressed, pattern=DONE_PATTERN),
        CallbackQueryHandler(edit_pressed, pattern=EDIT_PATTERN),
        CallbackQueryHandler(delete_pressed, pattern=DELETE_PATTERN),
        CallbackQueryHandler(cancel_pressed, pattern=CANCEL_PATTERN),
        CallbackQueryHandler(document_pressed, pattern=DOCUMENT_PATTERN),
    ]
