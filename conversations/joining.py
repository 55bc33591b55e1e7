"""Joining: the "Doe mee" deep link lands a member in the private chat and registers them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import BotContext, telegram_user
from bot.guards import registered_group
from bot.keyboards import join_keyboard
from bot.membership import in_group
from bot.messaging import send_html
from storage import membership, people, trajectories

# Deep-link payloads are 1-64 characters of A-Z a-z 0-9 _ - (Telegram's rule).
DEEP_LINK = r"^/start [A-Za-z0-9_-]{1,64}$"


async def start_with_token(update: Update, context: BotContext) -> None:
    """/start <token> in private: register the member in the group the token belongs to."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None and context.args
    token = context.args[0]
    if not await _in_the_group(context, token, user.id, message.chat_id):
        return
    joined = await context.db.run(people.join, token, telegram_user(user))
    if joined is None:
        await send_html(context.bot, message.chat_id, context.render("joining/bad_token"))
        return
    trajectory_id, newly = joined
    trajectory = await context.db.run(trajectories.by_id, trajectory_id)
    private = await context.db.run(people.private_context, telegram_user(user))
    assert trajectory is not None
    lang = context.texts.lang(private.person.language or trajectory.language)
    if newly:
        text = context.render(
            "joining/joined",
            lang=lang,
            person=private.person,
            trajectory=trajectory,
            other_groups=len(private.memberships) - 1,
        )
    else:
        text = context.render("joining/already_joined", lang=lang, trajectory=trajectory)
    await send_html(context.bot, message.chat_id, text)
    if newly:
        from conversations.dreams import welcome_late_joiner

        await welcome_late_joiner(context, trajectory_id, user.id)
    # Also after a rejoin: whoever (re)opens the private chat gets their next evaluation question.
    from conversations.evaluation import welcome_joiner

    await welcome_joiner(context, trajectory_id, user.id)


async def _in_the_group(context: BotContext, token: str, user_id: int, chat_id: int) -> bool:
    """Only the group's members join: someone with the link who is not in the group is told so.

    An unknown token passes on (``people.join`` refuses it with its own message)."""
    found = await context.db.run(membership.chat_of_token, token)
    if found is None:
        return True
    group_chat, language = found
    present = await in_group(context.bot, context.services, group_chat, user_id)
    if present:
        return True
    template = "joining/not_in_group" if present is False else "joining/check_failed"
    await send_html(context.bot, chat_id, context.render(template, lang=context.texts.lang(language)))
    return False


@registered_group
async def invite(update: Update, context: BotContext) -> None:
    """/uitnodiging in the group: post the "Doe mee" button again."""
    trajectory = context.trajectory
    keyboard = join_keyboard(context.texts, context.lang, context.bot.username, trajectory.join_token)
    await send_html(
        context.bot, trajectory.chat_id, context.render("joining/invite", trajectory=trajectory), reply_markup=keyboard
    )


def handlers() -> list:
    """The deep-link /start must come before the plain /start (conversations/help.py)."""
    return [
        CommandHandler("start", start_with_token, filters=filters.ChatType.PRIVATE & filters.Regex(DEEP_LINK)),
        CommandHandler("uitnodiging", invite, filters=filters.ChatType.GROUPS),
    ]
