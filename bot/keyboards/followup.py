"""Keyboards of the goal follow-up: the moderator's rhythm, and the owner's answer buttons.

Callback data is never trusted: handlers check that the presser moderates the group, or reports
on that goal (or moderates its group, to hand it on), and that the goal is still followed.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts
from method.followup import CADENCES

_ID = r"(\d{1,12})"
CADENCE_PATTERN = rf"^fuc:{_ID}:(monthly|quarterly)$"  # moderator: the rhythm
ROUND_NOW_PATTERN = rf"^fur:{_ID}$"  # moderator: ask for the values now
SAME_PATTERN = rf"^fun:{_ID}$"  # owner: nothing changed
ANSWER_PATTERN = rf"^fua:{_ID}$"  # owner: the next text is this goal's value
HAND_PATTERN = rf"^fuh:{_ID}$"  # owner or moderator: hand the goal on (choose whom)
HAND_TO_PATTERN = rf"^fuh:{_ID}:{_ID}$"  # ... to this person
SKIP_NOTE_PATTERN = rf"^fus:{_ID}$"  # owner: no line on what happened
MAX_PEOPLE = 24


def _data(*parts: object) -> str:
    data = ":".join(str(part) for part in parts)
    assert len(data.encode()) <= 64, data
    return data


def plan_keyboard(texts: Texts, lang: str, trajectory_id: int, cadence: str) -> InlineKeyboardMarkup:
    """The rhythm as two buttons (the current one marked) and "ask now"."""
    row = [
        InlineKeyboardButton(
            ("✓ " if key == cadence else "") + texts.label(lang, f"followup.cadence.{key}"),
            callback_data=_data("fuc", trajectory_id, key),
        )
        for key in CADENCES
    ]
    now = [
        InlineKeyboardButton(texts.label(lang, "followup.button.round_now"), callback_data=_data("fur", trajectory_id))
    ]
    return InlineKeyboardMarkup([row, now])


def ask_keyboard(texts: Texts, lang: str, goal_id: int) -> InlineKeyboardMarkup:
    """Under a question: nothing changed, hand it on; "answer for this goal" points the next text here."""
    rows = [
        [InlineKeyboardButton(texts.label(lang, "followup.button.answer"), callback_data=_data("fua", goal_id))],
        [
            InlineKeyboardButton(texts.label(lang, "followup.button.same"), callback_data=_data("fun", goal_id)),
            InlineKeyboardButton(texts.label(lang, "followup.button.hand"), callback_data=_data("fuh", goal_id)),
        ],
    ]
    return InlineKeyboardMarkup(rows)


def note_keyboard(texts: Texts, lang: str, goal_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.label(lang, "followup.button.skip_note"), callback_data=_data("fus", goal_id))]]
    )


def people_keyboard(goal_id: int, people: Iterable[tuple[int, str]]) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(name[:60], callback_data=_data("fuh", goal_id, person_id))]
        for person_id, name in list(people)[:MAX_PEOPLE]
    ]
    return InlineKeyboardMarkup(rows)
