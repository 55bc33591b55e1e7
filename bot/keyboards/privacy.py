"""Keyboards of /vergeetmij: confirm or keep.

``forget:<person>:yes|no`` is never trusted: the handler checks that the presser is that person,
in their own private chat, and asks the database again whether forgetting may go ahead.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts

FORGET_PATTERN = r"^forget:([0-9]{1,10}):(yes|no)$"


def forget_keyboard(texts: Texts, lang: str, person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, "data.button.forget_yes"), callback_data=f"forget:{person_id}:yes"
                )
            ],
            [InlineKeyboardButton(texts.label(lang, "data.button.forget_no"), callback_data=f"forget:{person_id}:no")],
        ]
    )
