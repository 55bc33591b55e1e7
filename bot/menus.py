"""Command menus: what each person sees behind the "/" button, in the chat's language.

- Private chats: the member's private commands (in their language once they chose one).
- A group: the members' commands for everyone, in the group's language (``BotCommandScopeChat``);
  each moderator of that group gets the moderator's menu there (``BotCommandScopeChatMember``),
  whether or not they are a Telegram admin. Admins who are not moderators see the members' menu.

Group menus are set again when a moderator is added or leaves and when the group's language
changes (``refresh_group``). A menu is a convenience: a failure to set one is logged, never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatMember,
)
from telegram.error import TelegramError

from bot.config import LANGUAGES
from bot.render import Texts
from storage import people, trajectories
from storage.db import Database

log = logging.getLogger("kopgroep.menus")

PRIVATE = (
    "help", "groep", "taal", "stembiljet", "begrip", "droombeelden", "sjabloon", "doelen",
    "mijngegevens", "vergeetmij", "evaluatie",
)  # fmt: skip
GROUP = ("help", "leden", "uitnodiging", "themas", "thema", "stemregel", "uitslag", "geparkeerd", "vragen", "begrip", "doelen", "voortgang", "vorigtraject")
# A moderator's menu: the members' commands, then one line per step of the method.
MODERATOR = GROUP + (
    "organisatie", "moderator", "taal",
    "catalogus", "importeer", "sessie", "notitie", "scherm",
    "stemronde", "sluitronde", "verleng", "consensus", "dialoog", "volgende", "deelname",
    "droombeelden", "volgendesessie", "herinneringen", "herinner", "verwerk",
    "rapport", "beslissing", "opvolging",
    "export", "herstel",
    "evaluatie", "afsluiten", "nieuwtraject",
)  # fmt: skip


def commands_for(texts: Texts, lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, texts.label(lang, f"command.{name}")) for name in names]


async def set_menus(bot: Bot, texts: Texts, default_language: str) -> None:
    """The defaults, at start: Dutch (or the configured default), English for English-language clients."""
    for scope, names in ((BotCommandScopeAllPrivateChats(), PRIVATE), (BotCommandScopeAllGroupChats(), GROUP)):
        await bot.set_my_commands(commands_for(texts, default_language, names), scope=scope)
        for lang in LANGUAGES:
            if lang != default_language:
                await bot.set_my_commands(commands_for(texts, lang, names), scope=scope, language_code=lang)
    # Earlier versions gave every group admin the moderator's menu; moderators now get it per group.
    for lang in ("", *LANGUAGES):
        await bot.delete_my_commands(scope=BotCommandScopeAllChatAdministrators(), language_code=lang or None)


async def group_menus(
    bot: Bot, texts: Texts, chat_id: int, lang: str, moderators: Iterable[int], former: Iterable[int] = ()
) -> None:
    """One group's menus in its language: the members' for all, the moderator's for each moderator."""
    await _quietly(bot.set_my_commands(commands_for(texts, lang, GROUP), scope=BotCommandScopeChat(chat_id)), chat_id)
    moderator_menu = commands_for(texts, lang, MODERATOR)
    for user_id in moderators:
        await _quietly(bot.set_my_commands(moderator_menu, scope=BotCommandScopeChatMember(chat_id, user_id)), chat_id)
    for user_id in former:
        await _quietly(bot.delete_my_commands(scope=BotCommandScopeChatMember(chat_id, user_id)), chat_id)


async def refresh_group(bot: Bot, texts: Texts, db: Database, trajectory_id: int, former: Iterable[int] = ()) -> None:
    """The group's menus as the database has them now; ``former``: Telegram ids that lost the role."""
    trajectory = await db.run(trajectories.by_id, trajectory_id)
    if trajectory is None:
        return
    moderators = await db.run(people.moderator_ids, trajectory_id)
    await group_menus(bot, texts, trajectory.chat_id, trajectory.language, sorted(moderators), set(former) - moderators)


async def private_menu(bot: Bot, texts: Texts, chat_id: int, lang: str) -> None:
    """A private chat's menu in the language its member chose (/taal)."""
    await _quietly(bot.set_my_commands(commands_for(texts, lang, PRIVATE), scope=BotCommandScopeChat(chat_id)), chat_id)


async def _quietly(call: object, chat_id: int) -> None:
    try:
        await call  # type: ignore[misc]
    except TelegramError as error:
        log.warning("menu for chat %s not set: %s", chat_id, type(error).__name__)
