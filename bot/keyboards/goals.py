"""Keyboards of the SMART goals (step 6): write links per theme, the questions, the summary, decisions.

The group gets URL buttons: a deep link ``goal-<theme>`` opens the private chat, where the goal is
written. Callback data (at most 20 bytes) is never trusted: handlers check again that the presser
wrote the draft, or moderates the goal's group, and that the goal is not decided yet.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import create_deep_linked_url

from bot.render import Texts
from method.goals.parts import LETTERS
from storage.records import GoalRecord

_ID = r"([0-9]{1,10})"
# Deep-link payload; always shorter than a join token (22 characters), so the two never meet.
DEEP_LINK = rf"^/start goal-{_ID}$"
LETTER_PATTERN = rf"^gl:{_ID}:([SMART])$"  # adjust one letter
SUBMIT_PATTERN = rf"^gs:{_ID}$"  # the author is done (keeps any flags as they are)
PAUSE_PATTERN = rf"^gp:{_ID}$"  # stop for now, continue later
DISCARD_PATTERN = rf"^gx:{_ID}$"  # throw the draft away
CONTINUE_PATTERN = rf"^gc:{_ID}$"  # continue a draft
DECIDE_PATTERN = rf"^gd:{_ID}:(ok|drop|edit|back)$"  # moderator: approve, drop, adjust, send back

MAX_THEME_BUTTONS = 10


def _data(*parts: object) -> str:
    data = ":".join(str(part) for part in parts)
    assert len(data.encode()) <= 64, data
    return data


def _label(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def deep_link_payload(theme_id: int) -> str:
    return f"goal-{theme_id}"


def write_keyboard(
    texts: Texts,
    lang: str,
    bot_username: str,
    themes: Iterable[tuple[int, str]],
    drafts: Iterable[GoalRecord] = (),
    pending: Iterable[GoalRecord] = (),
) -> InlineKeyboardMarkup | None:
    """One "write a goal" link per chosen theme (id, name); "continue" per own draft; "decide" per
    proposal waiting for the moderator."""
    rows = [
        [
            InlineKeyboardButton(
                _label(texts.label(lang, "goals.button.write", name=name)),
                url=create_deep_linked_url(bot_username, deep_link_payload(theme_id)),
            )
        ]
        for theme_id, name in list(themes)[:MAX_THEME_BUTTONS]
    ]
    rows += [
        [
            InlineKeyboardButton(
                _label(texts.label(lang, "goals.button.continue", number=draft.number, name=draft.theme_name)),
                callback_data=_data("gc", draft.id),
            )
        ]
        for draft in drafts
    ]
    rows += [
        [
            InlineKeyboardButton(
                _label(texts.label(lang, "goals.button.review", number=goal.number, name=goal.theme_name)),
                callback_data=_data("gd", goal.id, "edit"),
            )
        ]
        for goal in pending
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def question_keyboard(texts: Texts, lang: str, goal: GoalRecord, *, adjust: str | None = None) -> InlineKeyboardMarkup:
    """Under a question: adjust the letter just answered (when it has flags), pause, throw away."""
    rows = []
    if adjust is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    texts.label(lang, "goals.button.adjust", letter=adjust), callback_data=_data("gl", goal.id, adjust)
                )
            ]
        )
    row = [InlineKeyboardButton(texts.label(lang, "goals.button.pause"), callback_data=_data("gp", goal.id))]
    if goal.status == "draft" and not goal.returned:
        row.append(InlineKeyboardButton(texts.label(lang, "goals.button.discard"), callback_data=_data("gx", goal.id)))
    rows.append(row)
    return InlineKeyboardMarkup(rows)


def _letters(texts: Texts, lang: str, goal: GoalRecord) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            texts.label(lang, "goals.button.letter", letter=letter), callback_data=_data("gl", goal.id, letter)
        )
        for letter in LETTERS
    ]


def summary_keyboard(texts: Texts, lang: str, goal: GoalRecord, *, moderator: bool) -> InlineKeyboardMarkup | None:
    """The goal as it stands: a button per letter to adjust, then what may happen next."""
    if goal.status == "draft":
        key = "approve_own" if moderator else ("submit_flagged" if goal.flags else "submit")
        return InlineKeyboardMarkup(
            [
                _letters(texts, lang, goal),
                [InlineKeyboardButton(texts.label(lang, f"goals.button.{key}"), callback_data=_data("gs", goal.id))],
            ]
            + (
                []
                if goal.returned
                else [[InlineKeyboardButton(texts.label(lang, "goals.button.discard"), callback_data=_data("gx", goal.id))]]
            )
        )
    if moderator and goal.status in ("proposed", "approved"):
        rows = [_letters(texts, lang, goal)]
        if goal.flags and goal.author_id is not None:
            rows.append([_back(texts, lang, goal)])
        last = []
        if goal.status == "proposed":
            last.append(
                InlineKeyboardButton(
                    texts.label(lang, "goals.button.approve_flagged" if goal.flags else "goals.button.approve"),
                    callback_data=_data("gd", goal.id, "ok"),
                )
            )
        last.append(
            InlineKeyboardButton(texts.label(lang, "goals.button.drop"), callback_data=_data("gd", goal.id, "drop"))
        )
        rows.append(last)
        return InlineKeyboardMarkup(rows)
    return None


def _back(texts: Texts, lang: str, goal: GoalRecord) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        _label(texts.label(lang, "goals.button.back", name=goal.author_name or "")), callback_data=_data("gd", goal.id, "back")
    )


def decision_keyboard(texts: Texts, lang: str, goal: GoalRecord) -> InlineKeyboardMarkup:
    """For the moderator, under a member's proposed goal: approve, adjust, drop; with flags first
    "send back", and approving says it is done anyway."""
    approve = "approve_flagged" if goal.flags else "approve"
    return InlineKeyboardMarkup(
        ([[_back(texts, lang, goal)]] if goal.flags and goal.author_id is not None else [])
        + [
            [
                InlineKeyboardButton(
                    texts.label(lang, f"goals.button.{approve}"), callback_data=_data("gd", goal.id, "ok")
                ),
                InlineKeyboardButton(
                    texts.label(lang, "goals.button.edit"), callback_data=_data("gd", goal.id, "edit")
                ),
                InlineKeyboardButton(
                    texts.label(lang, "goals.button.drop"), callback_data=_data("gd", goal.id, "drop")
                ),
            ]
        ]
    )
