"""Keyboards of the foundation: joining, languages, co-moderators, group choice.

Callback data is namespaced (``<ns>:<ids>``), well under Telegram's 64 bytes, and matched by
the anchored patterns below. It is never trusted: handlers check the presser may do it.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import create_deep_linked_url

from bot.config import LANGUAGES
from bot.keyboards.ids import ROW_ID, USER_ID
from bot.render import Texts
from storage.records import TrajectoryRecord

MODERATOR_PATTERN = rf"^mod:{ROW_ID}:{USER_ID}$"
TAKE_OVER_PATTERN = rf"^mtk:{ROW_ID}:{USER_ID}$"  # no moderator left: a group admin picks one
LANGUAGE_PATTERN = r"^lang:(g[0-9]{1,10}|p):(nl|en)$"
GROUP_PATTERN = rf"^grp:{ROW_ID}$"


def join_keyboard(texts: Texts, lang: str, bot_username: str, token: str) -> InlineKeyboardMarkup:
    """The "Doe mee" button: a deep link that opens the private chat with the group's token."""
    url = create_deep_linked_url(bot_username, token)
    return InlineKeyboardMarkup([[InlineKeyboardButton(texts.label(lang, "button.join"), url=url)]])


def organisation_prompt() -> ForceReply:
    """Makes the moderator's client answer as a reply, which the bot sees even in privacy mode."""
    return ForceReply(selective=True, input_field_placeholder="Gemeente Zottegem")


def language_keyboard(texts: Texts, lang: str, scope: str) -> InlineKeyboardMarkup:
    """``scope`` is ``g<trajectory id>`` for a group or ``p`` for the private chat."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.label(lang, f"button.language_{code}"), callback_data=f"lang:{scope}:{code}")
                for code in LANGUAGES
            ]
        ]
    )


def moderator_keyboard(trajectory_id: int, candidates: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup:
    """One button per group admin who could become co-moderator: (telegram id, name)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(name[:60], callback_data=f"mod:{trajectory_id}:{user_id}")] for user_id, name in candidates]
    )


def take_over_keyboard(trajectory_id: int, candidates: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup:
    """One button per group admin who could become the moderator: (telegram id, name)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(name[:60], callback_data=f"mtk:{trajectory_id}:{user_id}")] for user_id, name in candidates]
    )


def group_keyboard(trajectories: Iterable[TrajectoryRecord]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton((t.organisation or t.title)[:60], callback_data=f"grp:{t.id}")]
            for t in trajectories
        ]
    )
