"""Inline keyboards and the callback data they carry, one module per step.

Callback data is namespaced (``<ns>:<ids>``), well under Telegram's 64 bytes, and matched by
anchored patterns defined beside the builders. It is never trusted: handlers check that the
presser may do what it says.
"""

from bot.keyboards.common import (
    GROUP_PATTERN,
    LANGUAGE_PATTERN,
    MODERATOR_PATTERN,
    TAKE_OVER_PATTERN,
    group_keyboard,
    join_keyboard,
    language_keyboard,
    moderator_keyboard,
    organisation_prompt,
    take_over_keyboard,
)

__all__ = [
    "GROUP_PATTERN",
    "LANGUAGE_PATTERN",
    "MODERATOR_PATTERN",
    "TAKE_OVER_PATTERN",
    "group_keyboard",
    "join_keyboard",
    "language_keyboard",
    "moderator_keyboard",
    "organisation_prompt",
    "take_over_keyboard",
]
