"""Keyboards of the candidate themes: catalogue choice, a theme's buttons, the SDG grid."""

from __future__ import annotations

from collections.abc import Collection

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts
from method.themes.catalogues import CATALOGUES

CATALOGUE_PATTERN = r"^cat:([0-9]{1,10}):(sdg|iso26000|examples)$"
THEME_PATTERN = r"^thm:([0-9]{1,10}):([0-9]{1,10}):(sdg|del|yes|no|done)$"
EDIT_PATTERN = r"^thm:([0-9]{1,10}):([0-9]{1,10}):(ren|desc|split|merge|ex)$"  # conversations/theme_edits.py
MERGE_PATTERN = r"^thg:([0-9]{1,10}):([0-9]{1,10}):([0-9]{1,10})$"  # merge the theme with another (by id)
SDG_PATTERN = r"^sdg:([0-9]{1,10}):([0-9]{1,10}):([0-9]{1,2})$"


def catalogue_keyboard(texts: Texts, lang: str, trajectory_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.label(lang, f"themes.catalogue.{key}"), callback_data=f"cat:{trajectory_id}:{key}") for key in CATALOGUES]]
    )


def theme_keyboard(texts: Texts, lang: str, trajectory_id: int, theme_id: int) -> InlineKeyboardMarkup:
    """The moderator's buttons under a theme's detail: every edit /thema knows, without its syntax."""

    def button(action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(texts.label(lang, f"themes.button.{action}"), callback_data=f"thm:{trajectory_id}:{theme_id}:{action}")

    return InlineKeyboardMarkup(
        [
            [button("ren"), button("desc")],
            [button("split"), button("merge")],
            [button("sdg"), button("ex")],
            [InlineKeyboardButton(texts.label(lang, "themes.button.remove"), callback_data=f"thm:{trajectory_id}:{theme_id}:del")],
        ]
    )


def merge_keyboard(texts: Texts, lang: str, trajectory_id: int, theme_id: int, others: list[tuple[int, int, str]]) -> InlineKeyboardMarkup:
    """The themes this one can be grouped with: (id, number, name), two to a row; then back."""
    buttons = [
        InlineKeyboardButton(f"{number}. {name[:28]}", callback_data=f"thg:{trajectory_id}:{theme_id}:{other_id}")
        for other_id, number, name in others
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(texts.label(lang, "themes.button.back"), callback_data=f"thm:{trajectory_id}:{theme_id}:done")])
    return InlineKeyboardMarkup(rows)


def remove_keyboard(texts: Texts, lang: str, trajectory_id: int, theme_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[
            InlineKeyboardButton(texts.label(lang, "themes.button.remove_yes"), callback_data=f"thm:{trajectory_id}:{theme_id}:yes"),
            InlineKeyboardButton(texts.label(lang, "themes.button.remove_no"), callback_data=f"thm:{trajectory_id}:{theme_id}:no"),
        ]]
    )


def sdg_keyboard(texts: Texts, lang: str, trajectory_id: int, theme_id: int, linked: Collection[int]) -> InlineKeyboardMarkup:
    """17 toggles, linked ones marked, six to a row; then Done."""
    buttons = [
        InlineKeyboardButton(f"✅ {n}" if n in linked else str(n), callback_data=f"sdg:{trajectory_id}:{theme_id}:{n}")
        for n in range(1, 18)
    ]
    rows = [buttons[i : i + 6] for i in range(0, len(buttons), 6)]
    rows.append([InlineKeyboardButton(texts.label(lang, "themes.button.done"), callback_data=f"thm:{trajectory_id}:{theme_id}:done")])
    return InlineKeyboardMarkup(rows)
