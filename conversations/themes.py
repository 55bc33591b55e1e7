"""Step 1: the candidate themes. Catalogues, the MVO-scan import, /themas, and the moderator's edits."""

from __future__ import annotations

import asyncio

from telegram import ForceReply, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.guards import moderator_only, registered_group
from bot.keyboards.themes import (
    CATALOGUE_PATTERN,
    SDG_PATTERN,
    THEME_PATTERN,
    catalogue_keyboard,
    remove_keyboard,
    sdg_keyboard,
    theme_keyboard,
)
from bot.messaging import edit_html, send_html, unchanged
from conversations.group_choice import current_trajectory
from method.text_input import clean_text
from method.themes.catalogues import sdg_name
from method.themes.commands import CommandProblem, parse_theme_command
from method.themes.scan_import import MAX_FILE_BYTES, ScanError, parse_scan
from storage import prompts, themes
from storage.records import PromptRecord, TrajectoryRecord

IMPORT_PROMPT = "scan_import"
SCAN_EXTENSIONS = {"csv", "txt", "tsv", "yaml", "yml"}


@registered_group
async def list_themes(update: Update, context: BotContext) -> None:
    """/themas: the numbered candidate themes with SDGs and maturity."""
    trajectory = context.trajectory
    found = await context.db.run(themes.list_themes, trajectory.id)
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render(
            "themes/list",
            themes=found,
            trajectory=trajectory,
            is_moderator=context.actor.is_moderator,
            timezone=trajectory.timezone,
        ),
    )


@moderator_only
async def choose_catalogue(update: Update, context: BotContext) -> None:
    """/catalogus: the shipped lists as buttons."""
    trajectory = context.trajectory
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render("themes/catalogue_pick"),
        reply_markup=catalogue_keyboard(context.texts, context.lang, trajectory.id),
    )


@moderator_only
async def catalogue_chosen(update: Update, context: BotContext) -> None:
    """cat:<trajectory>:<key>, by a moderator of that group."""
    query = update.callback_query
    assert query is not None and context.actor is not None and context.actor.trajectory is not None
    trajectory_id, key = int(context.matches[0].group(1)), context.matches[0].group(2)
    trajectory = context.actor.trajectory
    if trajectory_id != trajectory.id:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await query.answer()
    added, skipped = await context.db.run(themes.add_catalogue, trajectory.id, key, trajectory.language)
    await edit_html(
        query,
        context.render(
            "themes/catalogue_added", added=added, skipped=skipped, catalogue=context.label(f"themes.catalogue.{key}")
        ),
    )


async def _problem(context: BotContext, chat_id: int, code: str, limit: int = 0) -> None:
    await send_html(context.bot, chat_id, context.render("themes/problem", code=code, limit=limit))


@registered_group
async def theme_command(update: Update, context: BotContext) -> None:
    """/thema <nr> shows a theme; the moderator's subcommands change themes (see usage)."""
    assert context.actor is not None and context.actor.trajectory is not None
    trajectory, chat_id = context.actor.trajectory, context.actor.trajectory.chat_id
    message = update.effective_message
    assert message is not None and message.text is not None
    parts = message.text.split(None, 1)
    command = parse_theme_command(parts[1] if len(parts) > 1 else "")
    if isinstance(command, CommandProblem):
        if command.code == "usage" and len(parts) == 1:
            await send_html(context.bot, chat_id, context.render("themes/usage"))
        else:
            await _problem(context, chat_id, command.code)
        return
    if command.action == "show":
        await show_theme(context, trajectory, command.numbers[0], moderator=context.actor.is_moderator)
        return
    if not context.actor.is_moderator:
        await send_html(context.bot, chat_id, context.render("common/moderator_only"))
        return
    await apply_edit(context, trajectory, command)


async def apply_edit(context: BotContext, trajectory: TrajectoryRecord, command) -> bool:  # type: ignore[no-untyped-def]
    """Check the texts, then let storage change the themes; say what happened. True when it was done."""
    chat_id, tid = trajectory.chat_id, trajectory.id
    limit = themes.MAX_DESCRIPTION if command.action in ("describe", "example") else themes.MAX_NAME
    texts = []
    for raw in ([command.text] if command.text else []) + list(command.parts):
        cleaned = clean_text(raw, limit, single_line=command.action not in ("describe", "example"))
        if not cleaned.ok:
            await _problem(context, chat_id, cleaned.problem or "empty", limit)
            return False
        texts.append(cleaned.value)
    number = command.numbers[0] if command.numbers else None
    values: dict[str, object] = {"action": command.action, "position": number}
    if command.action == "add":
        record = await context.db.run(themes.add_theme, tid, texts[0])
        if record is None:
            await _problem(context, chat_id, "exists")
            return False
        values.update(position=record.position, name=record.name)
    elif command.action == "rename":
        outcome = await context.db.run(themes.rename, tid, number, texts[0])
        values["name"] = texts[0]
    elif command.action == "describe":
        outcome = await context.db.run(themes.describe, tid, number, texts[0])
    elif command.action == "remove":
        outcome = await context.db.run(themes.remove, tid, number)
    elif command.action == "split":
        outcome, numbers = await context.db.run(themes.split, tid, number, texts)
        values["numbers"] = numbers
    elif command.action == "merge":
        outcome, position = await context.db.run(themes.merge, tid, command.numbers, texts[0])
        values.update(position=position, name=texts[0])
    elif command.action == "sdg":
        outcome, linked = await context.db.run(themes.link_sdgs, tid, number, command.add, command.drop)
        values["sdgs"] = linked
    else:  # example
        outcome = await context.db.run(themes.add_practice, tid, number, texts[0])
    if command.action != "add" and outcome != "ok":
        await _problem(context, chat_id, outcome)
        return False
    await send_html(context.bot, chat_id, context.render("themes/changed", **values))
    return True


async def show_theme(context: BotContext, trajectory: TrajectoryRecord, position: int, *, moderator: bool) -> None:
    found = await context.db.run(themes.detail, trajectory.id, position)
    if found is None:
        await _problem(context, trajectory.chat_id, "unknown")
        return
    sdgs = [(n, sdg_name(n, context.lang)) for n in found.theme.sdgs]
    keyboard = theme_keyboard(context.texts, context.lang, trajectory.id, found.theme.id) if moderator else None
    await send_html(
        context.bot, trajectory.chat_id, context.render("themes/detail", d=found, sdgs=sdgs), reply_markup=keyboard
    )


@moderator_only
async def theme_button(update: Update, context: BotContext) -> None:
    """thm:<trajectory>:<theme>:sdg|del|yes|no|done on a theme's detail (moderators only)."""
    query = update.callback_query
    assert query is not None and context.actor is not None and context.actor.trajectory is not None
    trajectory = context.actor.trajectory
    trajectory_id, theme_id, action = (
        int(context.matches[0].group(1)),
        int(context.matches[0].group(2)),
        context.matches[0].group(3),
    )
    position = (
        await context.db.run(themes.position_of, trajectory.id, theme_id) if trajectory_id == trajectory.id else None
    )
    if position is None:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    found = await context.db.run(themes.detail, trajectory.id, position)
    assert found is not None
    if action == "sdg":
        await query.answer()
        await edit_html(
            query,
            context.render("themes/sdg_pick", theme=found.theme),
            reply_markup=sdg_keyboard(context.texts, context.lang, trajectory.id, theme_id, found.theme.sdgs),
        )
    elif action == "del":
        await query.answer()
        await edit_html(
            query,
            context.render("themes/remove_confirm", theme=found.theme),
            reply_markup=remove_keyboard(context.texts, context.lang, trajectory.id, theme_id),
        )
    elif action == "yes":
        outcome = await context.db.run(themes.remove, trajectory.id, position)
        await query.answer()
        if outcome != "ok":
            await edit_html(query, context.render("themes/problem", code=outcome, limit=0))
        else:
            await edit_html(query, context.render("themes/changed", action="remove", position=position))
    else:  # no, done: back to the detail
        await query.answer()
        sdgs = [(n, sdg_name(n, context.lang)) for n in found.theme.sdgs]
        await edit_html(
            query,
            context.render("themes/detail", d=found, sdgs=sdgs),
            reply_markup=theme_keyboard(context.texts, context.lang, trajectory.id, theme_id),
        )


@moderator_only
async def sdg_toggled(update: Update, context: BotContext) -> None:
    """sdg:<trajectory>:<theme>:<n>: link or unlink one SDG."""
    query = update.callback_query
    assert query is not None and context.actor is not None and context.actor.trajectory is not None
    trajectory = context.actor.trajectory
    trajectory_id, theme_id, number = (int(part) for part in context.matches[0].groups())
    linked = None
    if trajectory_id == trajectory.id and 1 <= number <= 17:
        linked = await context.db.run(themes.toggle_sdg, trajectory.id, theme_id, number)
    if linked is None:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await query.answer()
    try:
        await query.edit_message_reply_markup(
            sdg_keyboard(context.texts, context.lang, trajectory.id, theme_id, linked)
        )
    except BadRequest as error:
        if not unchanged(error):
            raise


# --- the MVO-scan import ---------------------------------------------------------------------


@moderator_only
async def ask_import(update: Update, context: BotContext) -> None:
    """/importeer: ask for the file as a reply (so the bot sees it in privacy mode)."""
    trajectory = context.trajectory
    (message,) = await send_html(
        context.bot, trajectory.chat_id, context.render("themes/import_prompt"), reply_markup=ForceReply(selective=True)
    )
    await context.db.run(prompts.ask, trajectory.id, trajectory.chat_id, IMPORT_PROMPT, message_id=message.message_id)


async def import_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A moderator's file answering /importeer in the group (conversations/answers.py)."""
    await read_scan(update, context, context.trajectory)
    return True


async def private_document(update: Update, context: BotContext) -> bool:
    """A scan file a moderator sends in private, unasked (conversations/answers.py)."""
    message = update.effective_message
    private = context.private
    if message is None or message.document is None or private is None:
        return False
    if private.current is None:
        if not any(role == "moderator" for _, role in private.memberships):
            return False
        await current_trajectory(update, context)  # asks which group; the file is sent again then
        return True
    role = next((role for trajectory, role in private.memberships if trajectory.id == private.current.id), None)
    if role != "moderator":
        return False
    await read_scan(update, context, private.current, answer_chat=message.chat_id)
    return True


async def read_scan(
    update: Update, context: BotContext, trajectory: TrajectoryRecord, *, answer_chat: int | None = None
) -> None:
    """Download, check and import; a broken file imports nothing and gets every error by line."""
    message = update.effective_message
    assert message is not None
    chat_id = answer_chat or trajectory.chat_id
    document = message.document
    if document is None:
        await send_html(context.bot, chat_id, context.render("themes/import_refused", reason="not_file"))
        return
    extension = (document.file_name or "").rsplit(".", 1)[-1].lower() if "." in (document.file_name or "") else ""
    if extension not in SCAN_EXTENSIONS:
        unsupported = ScanError(None, "unsupported_format", {"filename": (document.file_name or "")[:40]})
        await send_html(context.bot, chat_id, context.render("themes/import_errors", errors=[unsupported]))
        return
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        await send_html(context.bot, chat_id, context.render("themes/import_refused", reason="too_large"))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    # Parsing a large YAML file can take a moment: off the event loop.
    result = await asyncio.to_thread(parse_scan, data, document.file_name)
    if result.errors:
        await send_html(context.bot, chat_id, context.render("themes/import_errors", errors=result.errors))
        return
    counts = await context.db.run(themes.import_scan, trajectory.id, result.rows)
    await context.db.run(prompts.close, trajectory.chat_id, IMPORT_PROMPT)
    await send_html(
        context.bot, chat_id, context.render("themes/import_done", themes=counts[0], subs=counts[1], links=counts[2])
    )
    if chat_id != trajectory.chat_id:
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render(
                "themes/import_done", lang=trajectory.language, themes=counts[0], subs=counts[1], links=counts[2]
            ),
        )


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("themas", list_themes, filters=groups),
        CommandHandler("catalogus", choose_catalogue, filters=groups),
        CommandHandler("thema", theme_command, filters=groups),
        CommandHandler("importeer", ask_import, filters=groups),
        CallbackQueryHandler(catalogue_chosen, pattern=CATALOGUE_PATTERN),
        CallbackQueryHandler(theme_button, pattern=THEME_PATTERN),
        CallbackQueryHandler(sdg_toggled, pattern=SDG_PATTERN),
    ]
