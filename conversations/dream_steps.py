"""Processing one dream image by button (/verwerk): pick it by number, then merge it into another,
place it under another, rephrase, leave out or restore it.

The same steps as the typed ones (``3+7``, ``7 onder 3``, ``3: tekst``, ``7 weg``, ``7 terug``,
conversations/dream_processing.py), run by storage/dreams.apply_edit, so both say the same and
refresh the same overview. Rephrasing asks for the text: the moderator's next private message.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.keyboards.dream_steps import (
    ACTION_PATTERN,
    IMAGE_PATTERN,
    PICK_PATTERN,
    TARGET_PATTERN,
    TARGETS_PATTERN,
    image_keyboard,
    pick_keyboard,
    target_keyboard,
)
from bot.messaging import edit_html, send_html
from conversations import dream_processing
from method.dreams.commands import Edit
from method.text_input import clean_text
from storage import dreams, prompts, trajectories
from storage.records import DreamImageRecord, ProcessingView, PromptRecord, TrajectoryRecord

REPHRASE_PROMPT = "dream_rephrase"  # in the moderator's private chat; payload: the dream image's number


async def _pressed(update: Update, context: BotContext) -> tuple[TrajectoryRecord, ProcessingView] | None:
    """The group and its processing view, when the presser moderates it (in their own private chat)."""
    query = update.callback_query
    assert query is not None
    trajectory = await dream_processing.moderator_press(update, context, int(context.matches[0].group(1)))
    if trajectory is None:
        return None
    view = await context.db.run(dreams.processing_view, trajectory.id, dream_processing.now())
    if view is None:
        await query.answer(context.label("dreams.alert.closed"), show_alert=True)
        return None
    return trajectory, view


def _image(view: ProcessingView, number: int) -> DreamImageRecord | None:
    return next((image for image in view.images if image.number == number), None)


async def _show_image(
    context: BotContext, update: Update, trajectory: TrajectoryRecord, view: ProcessingView, number: int
) -> None:
    query = update.callback_query
    assert query is not None
    image = _image(view, number)
    if image is None:
        await edit_html(
            query,
            context.texts.render(trajectory.language, "dreams/step_pick", missing=number),
            reply_markup=pick_keyboard(context.texts, trajectory.language, trajectory.id, view.images, 0),
        )
        return
    numbers = {other.id: other.number for other in view.images}
    text = context.texts.render(
        trajectory.language,
        "dreams/step_image",
        image=image,
        theme={theme.id: theme.name for theme in view.themes}.get(image.theme_id, ""),
        merged_into=numbers.get(image.merged_into_id) if image.merged_into_id else None,
        parent=numbers.get(image.parent_id) if image.parent_id else None,
    )
    await edit_html(query, text, reply_markup=image_keyboard(context.texts, trajectory.language, trajectory.id, image))


async def pick_pressed(update: Update, context: BotContext) -> None:
    """dpk:<group>:<page|new>: the dream images by number (``new``: in a message of its own)."""
    found = await _pressed(update, context)
    if found is None:
        return
    trajectory, view = found
    query = update.callback_query
    assert query is not None
    await query.answer()
    page = context.matches[0].group(2)
    text = context.texts.render(trajectory.language, "dreams/step_pick", missing=None)
    keyboard = pick_keyboard(
        context.texts, trajectory.language, trajectory.id, view.images, 0 if page == "new" else int(page)
    )
    if page == "new":  # from the overview, which stays as it is
        await send_html(context.bot, query.from_user.id, text, reply_markup=keyboard)
    else:
        await edit_html(query, text, reply_markup=keyboard)


async def image_pressed(update: Update, context: BotContext) -> None:
    """dpi:<group>:<n>: one dream image, with what can be done with it."""
    found = await _pressed(update, context)
    if found is None:
        return
    trajectory, view = found
    assert update.callback_query is not None
    await update.callback_query.answer()
    await _show_image(context, update, trajectory, view, int(context.matches[0].group(2)))


async def action_pressed(update: Update, context: BotContext) -> None:
    """dpa:<group>:<n>:<action>: remove and restore at once; merge and group ask for the other
    dream image; rephrase asks for the text."""
    found = await _pressed(update, context)
    if found is None:
        return
    trajectory, view = found
    query = update.callback_query
    assert query is not None
    number, action = int(context.matches[0].group(2)), context.matches[0].group(3)
    image = _image(view, number)
    if image is None:
        await query.answer(context.label("dreams.alert.image_gone"), show_alert=True)
        return
    await query.answer()
    lang = trajectory.language
    if action in ("remove", "restore"):
        await _apply(context, update, trajectory, Edit(action, (number,)))
    elif action == "rephrase":
        await context.db.run(
            prompts.ask, trajectory.id, query.from_user.id, REPHRASE_PROMPT, person_id=None, payload=str(number)
        )
        await send_html(
            context.bot, query.from_user.id, context.texts.render(lang, "dreams/step_rephrase", image=image)
        )
    else:
        await _show_targets(context, update, trajectory, view, image, action, 0)


def _targets(view: ProcessingView, image: DreamImageRecord, action: str) -> list[int]:
    """Where a dream image can go: any other active one (merge), an active top item of its theme (group)."""
    return sorted(
        other.number
        for other in view.images
        if other.id != image.id
        and other.active
        and (action == "merge" or (other.theme_id == image.theme_id and other.parent_id is None))
    )


async def _show_targets(
    context: BotContext,
    update: Update,
    trajectory: TrajectoryRecord,
    view: ProcessingView,
    image: DreamImageRecord,
    action: str,
    page: int,
) -> None:
    query = update.callback_query
    assert query is not None
    targets = _targets(view, image, action)
    text = context.texts.render(trajectory.language, "dreams/step_target", image=image, action=action, none=not targets)
    keyboard = target_keyboard(context.texts, trajectory.language, trajectory.id, image, action, targets, page)
    await edit_html(query, text, reply_markup=keyboard)


async def targets_pressed(update: Update, context: BotContext) -> None:
    """dpq:<group>:<n>:<action>:<page>: more dream images to merge into or place under."""
    found = await _pressed(update, context)
    if found is None:
        return
    trajectory, view = found
    assert update.callback_query is not None
    number, action, page = (
        int(context.matches[0].group(2)),
        context.matches[0].group(3),
        int(context.matches[0].group(4)),
    )
    image = _image(view, number)
    if image is None:
        await update.callback_query.answer(context.label("dreams.alert.image_gone"), show_alert=True)
        return
    await update.callback_query.answer()
    await _show_targets(context, update, trajectory, view, image, action, page)


async def target_pressed(update: Update, context: BotContext) -> None:
    """dpt:<group>:<n>:<merge|group>:<target>: n goes into target, or under it."""
    found = await _pressed(update, context)
    if found is None:
        return
    trajectory, _ = found
    assert update.callback_query is not None
    await update.callback_query.answer()
    number, action, target = (
        int(context.matches[0].group(2)),
        context.matches[0].group(3),
        int(context.matches[0].group(4)),
    )
    edit = Edit("merge", (target, number)) if action == "merge" else Edit("group", (number, target))
    await _apply(context, update, trajectory, edit)


async def _apply(context: BotContext, update: Update, trajectory: TrajectoryRecord, edit: Edit) -> None:
    """Run one step, say how it went, refresh the overview and show the dream image as it is now."""
    query = update.callback_query
    assert query is not None
    status = await context.db.run(dreams.apply_edit, trajectory.id, edit.action, edit.numbers, edit.text)
    lang = trajectory.language
    await send_html(
        context.bot,
        query.from_user.id,
        context.texts.render(lang, "dreams/edit_result", edit=edit, status=status, limit=dreams.MAX_TEXT),
    )
    view = await context.db.run(dreams.processing_view, trajectory.id, dream_processing.now())
    assert view is not None
    subject = edit.numbers[1] if edit.action == "merge" else edit.numbers[0]
    await _show_image(context, update, trajectory, view, subject)
    if status == "ok":
        await dream_processing.refresh_overview(context, trajectory, query.from_user.id, view)


async def rephrase_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """The moderator's new wording for the dream image asked about (conversations/answers.py)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not prompt.payload:
        return False
    if not await context.db.run(dreams.is_moderator, prompt.trajectory_id, user.id):
        return False
    trajectory = await context.db.run(trajectories.by_id, prompt.trajectory_id)
    assert trajectory is not None
    lang, number = trajectory.language, int(prompt.payload)
    if message.text is None:
        await send_html(
            context.bot,
            message.chat_id,
            context.texts.render(
                lang,
                "dreams/edit_result",
                edit=Edit("rephrase", (number,), "x"),
                status="not_text",
                limit=dreams.MAX_TEXT,
            ),
        )
        return True
    wording = message.text.strip()
    cleaned = clean_text(wording, dreams.MAX_TEXT)
    if wording != "-" and not cleaned.ok:
        await send_html(
            context.bot,
            message.chat_id,
            context.texts.render(
                lang,
                "dreams/edit_result",
                edit=Edit("rephrase", (number,), wording),
                status=cleaned.problem or "long",
                limit=dreams.MAX_TEXT,
            ),
        )
        return True
    edit = Edit("rephrase", (number,), None if wording == "-" else cleaned.value)
    status = await context.db.run(dreams.apply_edit, trajectory.id, edit.action, edit.numbers, edit.text)
    await context.db.run(prompts.close, message.chat_id, REPHRASE_PROMPT)
    await send_html(
        context.bot,
        message.chat_id,
        context.texts.render(lang, "dreams/edit_result", edit=edit, status=status, limit=dreams.MAX_TEXT),
    )
    if status == "ok":
        view = await context.db.run(dreams.processing_view, trajectory.id, dream_processing.now())
        assert view is not None
        await dream_processing.refresh_overview(context, trajectory, message.chat_id, view)
    return True


def handlers() -> list:
    return [
        CallbackQueryHandler(pick_pressed, pattern=PICK_PATTERN),
        CallbackQueryHandler(image_pressed, pattern=IMAGE_PATTERN),
        CallbackQueryHandler(action_pressed, pattern=ACTION_PATTERN),
        CallbackQueryHandler(targets_pressed, pattern=TARGETS_PATTERN),
        CallbackQueryHandler(target_pressed, pattern=TARGET_PATTERN),
    ]
