"""Who is in the steering group: /leden, co-moderators, members arriving and leaving."""

from __future__ import annotations

from telegram import ChatMember, Update, User
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext, telegram_user
from bot.guards import moderator_only, registered_group
from bot.keyboards import MODERATOR_PATTERN, moderator_keyboard
from bot.menus import refresh_group
from bot.messaging import drop_buttons, send_html
from storage import people
from storage.people import JOINED, MODERATOR

_ADMIN = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


@registered_group
async def show_members(update: Update, context: BotContext) -> None:
    """/leden: who has joined, and how many group members have not opened the private chat yet."""
    trajectory = context.trajectory
    everyone = await context.db.run(people.members, trajectory.id)
    joined = [m for m in everyone if m.status == JOINED]
    waiting = [m for m in everyone if m.status != JOINED]
    # Telegram's count includes the bot and people the bot never saw write in the group.
    in_group = await context.bot.get_chat_member_count(trajectory.chat_id)
    waiting_count = max(in_group - 1 - len(joined), len(waiting))
    text = context.render(
        "members/overview",
        trajectory=trajectory,
        joined=joined,
        waiting_names=[m.person.display_name for m in waiting],
        waiting_count=waiting_count,
    )
    await send_html(context.bot, trajectory.chat_id, text)


async def moderator_command(update: Update, context: BotContext) -> None:
    """/moderator: a moderator adds a co-moderator; when none is left, a group admin takes over."""
    actor, user = context.actor, update.effective_user
    if actor is not None and actor.trajectory is not None and not actor.is_moderator and user is not None:
        if not await context.db.run(people.moderator_ids, actor.trajectory.id):
            await take_over(context, actor.trajectory.id, actor.trajectory.chat_id, user.id)
            return
    await add_moderator(update, context)


async def take_over(context: BotContext, trajectory_id: int, chat_id: int, user_id: int) -> None:
    """No moderator is left: a group admin (checked with Telegram) becomes moderator."""
    member = await context.bot.get_chat_member(chat_id, user_id)
    if member.status not in _ADMIN:
        await send_html(
            context.bot, chat_id, context.render("members/moderator_not_admin", person=telegram_user(member.user))
        )
        return
    await context.db.run(people.make_moderator, trajectory_id, telegram_user(member.user))
    await refresh_group(context.bot, context.texts, context.db, trajectory_id)
    await send_html(
        context.bot, chat_id, context.render("members/moderator_took_over", person=telegram_user(member.user))
    )


@moderator_only
async def add_moderator(update: Update, context: BotContext) -> None:
    """/moderator: as a reply, promote that admin; otherwise offer the admins as buttons."""
    trajectory = context.trajectory
    message = update.effective_message
    assert message is not None
    replied = message.reply_to_message.from_user if message.reply_to_message else None
    if replied is not None and not replied.is_bot:
        await promote(context, trajectory.id, trajectory.chat_id, replied.id)
        return
    admins = await context.bot.get_chat_administrators(trajectory.chat_id)
    current = await context.db.run(people.moderator_ids, trajectory.id)
    candidates = [
        (admin.user.id, admin.user.full_name)
        for admin in admins
        if not admin.user.is_bot and admin.user.id not in current
    ]
    if not candidates:
        await send_html(context.bot, trajectory.chat_id, context.render("members/moderator_none"))
        return
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render("members/moderator_pick"),
        reply_markup=moderator_keyboard(trajectory.id, candidates),
    )


async def promote(context: BotContext, trajectory_id: int, chat_id: int, user_id: int) -> bool:
    """Make a group admin co-moderator, after checking with Telegram that they are admin."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except BadRequest:
        await send_html(context.bot, chat_id, context.render("common/moderator_only"))
        return False
    person = telegram_user(member.user)
    if member.status not in _ADMIN:
        await send_html(context.bot, chat_id, context.render("members/moderator_not_admin", person=person))
        return False
    added = await context.db.run(people.make_moderator, trajectory_id, person)
    if added:
        await refresh_group(context.bot, context.texts, context.db, trajectory_id)
    template = "members/moderator_added" if added else "members/moderator_already"
    await send_html(context.bot, chat_id, context.render(template, person=person))
    return added


@moderator_only
async def moderator_chosen(update: Update, context: BotContext) -> None:
    """A moderator pressed an admin's button (mod:<trajectory>:<user>)."""
    query = update.callback_query
    assert query is not None and context.actor is not None and context.actor.trajectory is not None
    trajectory_id, user_id = (int(part) for part in context.matches[0].groups())
    if trajectory_id != context.actor.trajectory.id:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    await promote(context, trajectory_id, context.actor.trajectory.chat_id, user_id)


async def members_arrived(update: Update, context: BotContext) -> None:
    """New people in the Telegram group are noted, so /leden can count them."""
    message = update.effective_message
    if message is None or context.actor is None or context.actor.trajectory is None:
        return
    for user in message.new_chat_members or ():
        if not user.is_bot:
            await context.db.run(people.note_seen_in_group, message.chat_id, telegram_user(user))


async def member_left(update: Update, context: BotContext) -> None:
    """Someone left the Telegram group: they no longer count as a member."""
    message = update.effective_message
    if message is None or message.left_chat_member is None or message.left_chat_member.is_bot:
        return
    was_moderator = (
        context.actor is not None
        and context.actor.trajectory is not None
        and (message.left_chat_member.id in await context.db.run(people.moderator_ids, context.actor.trajectory.id))
    )
    await context.db.run(people.note_left_group, message.chat_id, message.left_chat_member.id)
    if was_moderator:
        assert context.actor is not None and context.actor.trajectory is not None
        await refresh_group(
            context.bot, context.texts, context.db, context.actor.trajectory.id, former=(message.left_chat_member.id,)
        )
        await moderator_left(context, message.left_chat_member)


async def moderator_left(context: BotContext, who: User) -> None:
    """A moderator left: the group hears who still moderates, or that an admin can take over."""
    trajectory = context.trajectory
    remaining = [m.person for m in await context.db.run(people.members, trajectory.id) if m.role == MODERATOR]
    text = context.render("members/moderator_left", person=telegram_user(who), remaining=remaining)
    await send_html(context.bot, trajectory.chat_id, text)


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("leden", show_members, filters=groups),
        CommandHandler("moderator", moderator_command, filters=groups),
        CallbackQueryHandler(moderator_chosen, pattern=MODERATOR_PATTERN),
        MessageHandler(groups & filters.StatusUpdate.NEW_CHAT_MEMBERS, members_arrived),
        MessageHandler(groups & filters.StatusUpdate.LEFT_CHAT_MEMBER, member_left),
    ]
