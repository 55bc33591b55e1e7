"""One person, several steering groups: which group a private answer belongs to."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext, telegram_user
from bot.guards import private_only
from bot.keyboards import GROUP_PATTERN, group_keyboard
from bot.messaging import edit_html, send_html
from storage import people, trajectories
from storage.records import TrajectoryRecord


async def current_trajectory(update: Update, context: BotContext) -> TrajectoryRecord | None:
    """The group a private answer belongs to; when unclear, ask (and return None)."""
    private = context.private
    chat = update.effective_chat
    if private is None or chat is None:
        return None
    if private.current is not None:
        return private.current
    if private.needs_choice:
        await send_html(
            context.bot,
            chat.id,
            context.render("group_choice/choose"),
            reply_markup=group_keyboard(t for t, _ in private.memberships),
        )
    else:
        await send_html(context.bot, chat.id, context.render("group_choice/only_one", trajectory=None))
    return None


@private_only
async def choose_group(update: Update, context: BotContext) -> None:
    """/groep: show the person's groups as buttons (or say there is only one)."""
    assert context.private is not None and update.effective_chat is not None
    private = context.private
    if len(private.memberships) <= 1:
        trajectory = private.memberships[0][0] if private.memberships else None
        await send_html(
            context.bot, update.effective_chat.id, context.render("group_choice/only_one", trajectory=trajectory)
        )
        return
    await send_html(
        context.bot,
        update.effective_chat.id,
        context.render("group_choice/choose"),
        reply_markup=group_keyboard(t for t, _ in private.memberships),
    )


async def group_chosen(update: Update, context: BotContext) -> None:
    """grp:<trajectory>: accepted only for a group the presser joined."""
    query = update.callback_query
    assert query is not None
    trajectory_id = int(context.matches[0].group(1))
    chosen = context.private is not None and await context.db.run(
        people.choose_current, telegram_user(query.from_user), trajectory_id
    )
    if not chosen:
        await query.answer(context.label("alert.not_member"), show_alert=True)
        return
    await query.answer()
    trajectory = await context.db.run(trajectories.by_id, trajectory_id)
    await edit_html(query, context.render("group_choice/chosen", trajectory=trajectory))


def handlers() -> list:
    return [
        CommandHandler("groep", choose_group, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(group_chosen, pattern=GROUP_PATTERN),
    ]
