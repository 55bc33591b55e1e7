"""Joining: the "Doe mee" deep link lands a member in the private chat and registers them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import BotContext, telegram_user
from bot.guards import registered_group
from bot.keyboards import join_keyboard
from bot.messaging import send_html
from storage import people, trajectories

# Deep-link payloads are 1-64 characters of A-Z a-z 0-9 _ - (Telegram's rule).
DEEP_LINK = r"^/start [A-Za-z0-9_-]{1,64}$"


async def start_with_token(update: Update, context: BotContext) -> None:
    """/start <token> in private: register the member in the group the token belongs to."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None and context.args
    token = context.args[0]
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
