"""Command menus, set per scope (private chats, groups, group admins) and per language."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)

from bot.config import LANGUAGES
from bot.render import Texts

PRIVATE = (
    "help", "groep", "taal", "stembiljet", "begrip", "droombeelden", "sjabloon", "doelen",
    "mijngegevens", "vergeetmij", "evaluatie",
)
GROUP = ("help", "leden", "uitnodiging", "themas", "thema", "stemregel", "uitslag", "geparkeerd", "vragen", "begrip", "doelen")
# Group admins see the moderator commands too: moderators are made from admins. One line per step.
ADMINS = GROUP + (
    "organisatie", "moderator", "taal",
    "catalogus", "importeer", "sessie", "notitie", "scherm",
    "stemronde", "sluitronde", "verleng", "consensus", "dialoog", "volgende", "deelname",
    "droombeelden", "volgendesessie", "herinneringen", "herinner", "verwerk",
    "rapport", "beslissing",
    "export", "herstel",
    "evaluatie", "afsluiten",
)

SCOPES = (
    (BotCommandScopeAllPrivateChats(), PRIVATE),
    (BotCommandScopeAllGroupChats(), GROUP),
    (BotCommandScopeAllChatAdministrators(), ADMINS),
)


def commands_for(texts: Texts, lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, texts.label(lang, f"command.{name}")) for name in names]


async def set_menus(bot: Bot, texts: Texts, default_language: str) -> None:
    """Dutch (or the configured default) for everyone; English for English-language clients."""
    for scope, names in SCOPES:
        await bot.set_my_commands(commands_for(texts, default_language, names), scope=scope)
        for lang in LANGUAGES:
            if lang != default_language:
                await bot.set_my_commands(commands_for(texts, lang, names), scope=scope, language_code=lang)
