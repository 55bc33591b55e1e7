"""A theme's edits by button, under /thema <nr>: rename, describe, split, group with another, add a
good practice. The bot asks for the text as a question the moderator answers (a reply, which the
bot sees in privacy mode); the edit then runs as the typed /thema command would (conversations/themes.py).
"""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext, telegram_user
from bot.guards import moderator_only
from bot.keyboards.themes import EDIT_PATTERN, MERGE_PATTERN, merge_keyboard
from bot.messaging import edit_html, send_html
from conversations.themes import apply_edit
from method.themes.commands import ThemeCommand
from storage import prompts, themes
from storage.records import PromptRecord

TEXT_PROMPT = "theme_text"  # in the group; payload "<action>:<number>[:<other number>]"


async def _theme_of(update: Update, context: BotContext) -> tuple[int, int] | None:
    """(trajectory id, the theme's number) when the pressed button belongs to this group's active theme."""
    query = update.callback_query
    assert query is not None and context.actor is not None and context.actor.trajectory is not None
    trajectory = context.actor.trajectory
    trajectory_id, theme_id = int(context.matches[0].group(1)), int(context.matches[0].group(2))
    position = (
        await context.db.run(themes.position_of, trajectory.id, theme_id) if trajectory_id == trajectory.id else None
    )
    if position is None:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return None
    return trajectory.id, position


async def _ask(update: Update, context: BotContext, action: str, numbers: tuple[int, ...]) -> None:
    """Ask for the text this edit needs; the reply answers it (conversations/answers.py)."""
    trajectory = context.trajectory
    user = update.effective_user
    assert user is not None
    text = context.render("themes/ask_text", action=action, numbers=numbers, moderator=telegram_user(user))
    (question,) = await send_html(context.bot, trajectory.chat_id, text, reply_markup=ForceReply(selective=True))
    payload = ":".join([action, *map(str, numbers)])
    await context.db.run(
        prompts.ask, trajectory.id, trajectory.chat_id, TEXT_PROMPT, message_id=question.message_id, payload=payload
    )


@moderator_only
async def edit_pressed(update: Update, context: BotContext) -> None:
    """thm:<group>:<theme>:ren|desc|split|ex ask for the text; merge first asks which other theme."""
    query = update.callback_query
    assert query is not None
    found = await _theme_of(update, context)
    if found is None:
        return
    trajectory_id, position = found
    await query.answer()
    action = context.matches[0].group(3)
    if action != "merge":
        await _ask(update, context, action, (position,))
        return
    theme_id = int(context.matches[0].group(2))
    others = [
        (t.id, t.position, t.name) for t in await context.db.run(themes.list_themes, trajectory_id) if t.id != theme_id
    ]
    await edit_html(
        query,
        context.render("themes/merge_pick", position=position, none=not others),
        reply_markup=merge_keyboard(context.texts, context.lang, trajectory_id, theme_id, others),
    )


@moderator_only
async def merge_pressed(update: Update, context: BotContext) -> None:
    """thg:<group>:<theme>:<other>: group the two; the new theme's name comes next."""
    query = update.callback_query
    assert query is not None
    found = await _theme_of(update, context)
    if found is None:
        return
    trajectory_id, position = found
    other = await context.db.run(themes.position_of, trajectory_id, int(context.matches[0].group(3)))
    if other is None or other == position:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await query.answer()
    await _ask(update, context, "merge", (position, other))


async def text_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A moderator's reply with the text an edit asked for (conversations/answers.py)."""
    message = update.effective_message
    assert message is not None and prompt.payload
    action, *numbers = prompt.payload.split(":")
    text = message.text or ""
    if action == "split":
        parts = tuple(part.strip() for part in text.replace("\n", ";").split(";") if part.strip())
        command = ThemeCommand("split", (int(numbers[0]),), parts=parts or ("",))
    else:
        command = ThemeCommand(
            {"ren": "rename", "desc": "describe", "ex": "example"}.get(action, action),
            tuple(map(int, numbers)),
            text=text,
        )
    if await apply_edit(context, context.trajectory, command):
        await context.db.run(prompts.close, prompt.chat_id, TEXT_PROMPT)
    return True  # a problem was said; the question stays open for another reply


def handlers() -> list:
    return [
        CallbackQueryHandler(edit_pressed, pattern=EDIT_PATTERN),
        CallbackQueryHandler(merge_pressed, pattern=MERGE_PATTERN),
    ]
