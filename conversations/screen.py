"""/scherm: the moderator's link to the meeting room's screen; /scherm stop ends every link.

The link goes to the moderator privately, never to the group: whoever has it sees the screen
(conversations/screen_web.py serves it). It works for one session (storage/screen.py's
LINK_HOURS) or until /scherm stop.
"""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CommandHandler, filters

from bot.context import BotContext
from bot.guards import moderator_only
from bot.keyboards import join_keyboard
from bot.messaging import send_html
from method.screen_link import make_token, new_secret, screen_key, secret_hash
from storage import people, screen
from storage.models import utcnow
from storage.records import TelegramUser

STOP_WORDS = {"stop", "uit", "off", "einde"}
PATH = "/scherm/"


def screen_url(base_url: str, token: str) -> str:
    return f"{base_url}{PATH}{token}"


@moderator_only
async def screen_command(update: Update, context: BotContext) -> None:
    """/scherm: a new link to this group's screen, privately to the moderator; /scherm stop."""
    actor = context.actor
    assert actor is not None and actor.trajectory is not None and actor.person is not None
    trajectory, moderator = actor.trajectory, actor.person
    settings = context.services.settings
    words = [word.lower() for word in context.args or []]
    if words and words[0] in STOP_WORDS:
        stopped = await context.db.run(screen.stop_links, trajectory.id, utcnow())
        await send_html(context.bot, trajectory.chat_id, context.render("screen/stopped", count=stopped))
        return
    if words:
        await send_html(context.bot, trajectory.chat_id, context.render("screen/usage"))
        return
    if not settings.screen_enabled:
        await send_html(context.bot, trajectory.chat_id, context.render("screen/off"))
        return
    secret = new_secret()
    link = await context.db.run(screen.create_link, trajectory.id, secret_hash(secret), utcnow())
    url = screen_url(settings.screen_base_url, make_token(screen_key(context.services.ballot_key), link.id, secret))
    lang = context.texts.lang(moderator.language or trajectory.language)
    text = context.render(
        "screen/link",
        lang=lang,
        url=url,
        trajectory=trajectory,
        expires_at=link.expires_at,
        local=settings.mode == "polling" and not settings.screen_url,
        timezone=trajectory.timezone,
    )
    try:
        await send_html(context.bot, moderator.telegram_id, text)
    except (Forbidden, BadRequest):
        # Not sent: the link must not stay usable by anyone (nobody has it, but nobody needs it).
        await context.db.run(screen.stop_links, trajectory.id, utcnow(), only=link.id)
        await context.db.run(
            people.mark_reachable,
            TelegramUser(moderator.telegram_id, moderator.first_name, moderator.last_name, moderator.username),
            False,
        )
        keyboard = join_keyboard(context.texts, context.lang, context.bot.username, trajectory.join_token)
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("screen/unreachable", moderator=moderator),
            reply_markup=keyboard,
        )
        return
    await send_html(context.bot, trajectory.chat_id, context.render("screen/sent", moderator=moderator))


def handlers() -> list:
    return [CommandHandler("scherm", screen_command, filters=filters.ChatType.GROUPS)]
