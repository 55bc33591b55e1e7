"""Keyboards of the open dialogue.

``dlg:<trajectory>:<dialogue>:invite`` (at most 38 bytes) is never trusted: the handler checks
again that the presser is a moderator of that group and that the dialogue still runs.
"""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts

INVITE_PATTERN = r"^dlg:([0-9]{1,10}):([0-9]{1,10}):(invite)$"


def invite_data(trajectory_id: int, dialogue_id: int) -> str:
    data = f"dlg:{trajectory_id}:{dialogue_id}:invite"
    assert len(data.encode()) <= 64
    return data


def invite_keyboard(texts: Texts, lang: str, trajectory_id: int, dialogue_id: int) -> InlineKeyboardMarkup:
    """Under the moderator's private participation overview."""
    button = InlineKeyboardButton(
        texts.label(lang, "dialogue.button.invite"), callback_data=invite_data(trajectory_id, dialogue_id)
    )
    return InlineKeyboardMarkup([[button]])


def private_answer_keyboard(texts: Texts, lang: str, bot_username: str) -> InlineKeyboardMarkup:
    """Under an anonymous question: opens the private chat with the bot."""
    button = InlineKeyboardButton(
        texts.label(lang, "dialogue.button.answer_privately"), url=f"https://t.me/{bot_username}"
    )
    return InlineKeyboardMarkup([[button]])


def open_answer_prompt(texts: Texts, lang: str) -> ForceReply:
    """Under an open question: members' apps answer as a reply, which the bot sees in privacy mode."""
    return ForceReply(selective=False, input_field_placeholder=texts.label(lang, "dialogue.placeholder")[:64])
