"""/help (and /start in private): what the bot does and which commands there are, per role;
for a moderator in the group, the next-step card (conversations/next_step.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import BotContext
from bot.messaging import send_html
from conversations.next_step import show_card


async def show_help(update: Update, context: BotContext) -> None:
    """Explain the bot for this chat and this person's role."""
    chat = update.effective_chat
    assert chat is not None
    if context.private is not None:
        private = context.private
        text = context.render(
            "help/private",
            memberships=private.memberships,
            current=private.current,
            is_moderator=any(role == "moderator" for _, role in private.memberships),
        )
    else:
        actor = context.actor
        trajectory = actor.trajectory if actor else None
        if trajectory is None:
            text = context.render("onboarding/not_registered")
        else:
            if actor is not None and actor.is_moderator:
                # What a moderator needs is the next step, with its button; the full list is one press away.
                await show_card(context, trajectory.id, chat.id)
                return
            role = "member" if actor and actor.is_member else None
            text = context.render("help/group", trajectory=trajectory, role=role)
    await send_html(context.bot, chat.id, text)


def handlers() -> list:
    """Plain /start in private comes after the deep-link /start (conversations/joining.py)."""
    return [
        CommandHandler("start", show_help, filters=filters.ChatType.PRIVATE),
        CommandHandler("help", show_help),
    ]
