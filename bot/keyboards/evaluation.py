"""Keyboards of the closing evaluation (step 8) and of closing the trajectory.

Callback data is never trusted: the handlers check that a skip comes from the member the
question was sent to, in their own private chat, for their next question of an open evaluation;
and that closing is pressed by a moderator of the group the data names, in that group.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keyboards.common import join_keyboard
from bot.render import Texts
from method.evaluation.questions import QUESTIONS

_ID = r"([0-9]{1,10})"
_QUESTION = "(" + "|".join(QUESTIONS) + ")"
SKIP_PATTERN = rf"^evs:{_ID}:{_QUESTION}$"  # member: skip this question
CLOSE_PATTERN = rf"^evc:{_ID}$"  # moderator, in the group: close the evaluation, digest privately
TRAJECTORY_PATTERN = rf"^tcl:{_ID}:(ok|no)$"  # moderator, in the group: close the trajectory, or not


def _data(*parts: object) -> str:
    data = ":".join(str(part) for part in parts)
    assert len(data.encode()) <= 64, data
    return data


def question_keyboard(texts: Texts, lang: str, evaluation_id: int, question: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, "evaluation.button.skip"), callback_data=_data("evs", evaluation_id, question)
                )
            ]
        ]
    )


def status_keyboard(
    texts: Texts, lang: str, evaluation_id: int, bot_username: str | None = None, token: str | None = None
) -> InlineKeyboardMarkup:
    """Close now (and the join button when someone still has to open the private chat)."""
    rows = [
        [InlineKeyboardButton(texts.label(lang, "evaluation.button.close"), callback_data=_data("evc", evaluation_id))]
    ]
    if bot_username and token:
        rows = list(join_keyboard(texts, lang, bot_username, token).inline_keyboard) + rows
    return InlineKeyboardMarkup(rows)


def confirm_close_keyboard(texts: Texts, lang: str, trajectory_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, "evaluation.button.close_trajectory"),
                    callback_data=_data("tcl", trajectory_id, "ok"),
                ),
                InlineKeyboardButton(
                    texts.label(lang, "evaluation.button.cancel"), callback_data=_data("tcl", trajectory_id, "no")
                ),
            ]
        ]
    )
