"""Keyboards of the report (step 7): with or without names, and the council's decision.

Callback data is never trusted: handlers check that the presser moderates that group and
pressed in that group's chat.
"""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts

_ID = r"([0-9]{1,10})"
NAMES_PATTERN = rf"^rpt:{_ID}:([01])$"  # build the report without (0) or with (1) members' names
OUTCOMES = ("approved", "rejected", "postponed")
DECISION_PATTERN = rf"^dec:{_ID}:(approved|rejected|postponed)$"  # the council's outcome


def names_keyboard(texts: Texts, lang: str, trajectory_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, "report.button.without_names"), callback_data=f"rpt:{trajectory_id}:0"
                ),
                InlineKeyboardButton(
                    texts.label(lang, "report.button.with_names"), callback_data=f"rpt:{trajectory_id}:1"
                ),
            ]
        ]
    )


def outcome_keyboard(texts: Texts, lang: str, trajectory_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, f"report.button.{outcome}"), callback_data=f"dec:{trajectory_id}:{outcome}"
                )
                for outcome in OUTCOMES
            ]
        ]
    )


def date_prompt(texts: Texts, lang: str) -> ForceReply:
    """The moderator's client answers as a reply, which the bot sees even in privacy mode."""
    return ForceReply(selective=True, input_field_placeholder=texts.label(lang, "report.placeholder"))
