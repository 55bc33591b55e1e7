"""People leaving and coming back to the Telegram group, and a group left without moderator.

Telegram tells in two ways: the service message "X left" (every group) and a ``chat_member``
update (when the bot is an administrator). Both end here. Leaving makes someone a former member
(storage/membership.py); coming back makes them a member again, never a moderator. When the last
moderator leaves, the group's admins are asked, in the group, to pick one: only a group admin's
press counts, and only a group admin can be picked.
"""

from __future__ import annotations

from telegram import ChatMember, ChatMemberUpdated, Update, User
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, MessageHandler, filters

from bot.context import BotContext, telegram_user
from bot.guards import registered_group
from bot.keyboards import TAKE_OVER_PATTERN, take_over_keyboard
from bot.membership import is_admin, present, record_arrived, record_left
from bot.menus import refresh_group
from bot.messaging import drop_buttons, send_html
from storage import people
from storage.membership import Leaving
from storage.people import MODERATOR


async def member_left(update: Update, context: BotContext) -> None:
    """The service message "X left the group" (or "X was removed")."""
    message = update.effective_message
    if message is None or message.left_chat_member is None or message.left_chat_member.is_bot:
        return
    await _left(context, message.chat_id, message.left_chat_member)


async def member_changed(update: Update, context: BotContext) -> None:
    """A chat_member update: someone left, was removed or restricted out, or came (back) in."""
    change: ChatMemberUpdated | None = update.chat_member
    if change is None or change.new_chat_member.user.is_bot:
        return
    user = change.new_chat_member.user
    before, after = present(change.old_chat_member), present(change.new_chat_member)
    if before and not after:
        await _left(context, change.chat.id, user)
    elif after and not before:
        record_arrived(context.services, change.chat.id, user.id)
        await context.db.run(people.note_seen_in_group, change.chat.id, telegram_user(user))


async def _left(context: BotContext, chat_id: int, who: User) -> None:
    leaving = await record_left(context.services, chat_id, who.id)
    if leaving is not None:
        await after_leaving(context, chat_id, who, leaving)


async def after_leaving(context: BotContext, chat_id: int, who: User, leaving: Leaving) -> None:
    """The round's progress counts one member fewer; a moderator's leaving is announced."""
    if leaving.round_id is not None:
        from conversations.voting import close_and_announce, refresh_progress
        from storage import voting

        await refresh_progress(context, leaving.round_id)
        round_ = await context.db.run(voting.get_round, leaving.round_id)
        if round_ is not None and round_.close_when_all_voted and await context.db.run(voting.all_submitted, round_.id):
            await close_and_announce(context, round_.id, by="all_voted")
    if not leaving.was_moderator:
        return
    await refresh_group(context.bot, context.texts, context.db, leaving.trajectory_id, former=(who.id,))
    remaining = [m.person for m in await context.db.run(people.members, leaving.trajectory_id) if m.role == MODERATOR]
    keyboard = None
    if not remaining:
        admins = await context.bot.get_chat_administrators(chat_id)
        candidates = [(a.user.id, a.user.full_name) for a in admins if not a.user.is_bot and a.user.id != who.id]
        keyboard = take_over_keyboard(leaving.trajectory_id, candidates) if candidates else None
    text = context.render(
        "members/moderator_left", person=telegram_user(who), remaining=remaining, pick=keyboard is not None
    )
    await send_html(context.bot, chat_id, text, reply_markup=keyboard)


@registered_group
async def take_over_pressed(update: Update, context: BotContext) -> None:
    """mtk:<trajectory>:<user>: a group admin picks the new moderator (themselves or another admin)."""
    query = update.callback_query
    assert query is not None
    trajectory = context.trajectory
    trajectory_id, user_id = (int(part) for part in context.matches[0].groups())
    if trajectory_id != trajectory.id:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    if not await is_admin(context.bot, trajectory.chat_id, query.from_user.id):
        await query.answer(context.label("alert.admin_only"), show_alert=True)
        return
    if await context.db.run(people.moderator_ids, trajectory.id):
        await query.answer(context.label("alert.has_moderator"), show_alert=True)
        return
    try:
        member = await context.bot.get_chat_member(trajectory.chat_id, user_id)
    except BadRequest:  # not (or no longer) in the group
        member = None
    if member is None or member.status not in (ChatMember.OWNER, ChatMember.ADMINISTRATOR):
        await query.answer(context.label("alert.not_admin"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    person = telegram_user(member.user)
    await context.db.run(people.make_moderator, trajectory.id, person)
    await refresh_group(context.bot, context.texts, context.db, trajectory.id)
    await send_html(context.bot, trajectory.chat_id, context.render("members/moderator_took_over", person=person))


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        MessageHandler(groups & filters.StatusUpdate.LEFT_CHAT_MEMBER, member_left),
        ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER),
        CallbackQueryHandler(take_over_pressed, pattern=TAKE_OVER_PATTERN),
    ]
