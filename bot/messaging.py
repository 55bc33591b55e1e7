"""Sending HTML messages: long texts split cleanly at Telegram's 4096-character limit."""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import MessageLimit, ParseMode

LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted in UTF-16 code units
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Split Telegram HTML into parts of at most ``limit`` UTF-16 units each.

    Cuts at a line break where possible, else at a space, never inside a tag or an entity;
    tags open at a cut are closed at the end of one part and opened again in the next.
    """
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = _cut_position(rest, limit)
        head, opened = rest[:cut], _open_tags(rest[:cut])
        closing = "".join(f"</{name}>" for name, _ in reversed(opened))
        # Make room for the closing tags when needed.
        while utf16_len(head + closing) > limit:
            cut = _cut_position(rest, utf16_len(head) - (utf16_len(head + closing) - limit))
            head, opened = rest[:cut], _open_tags(rest[:cut])
            closing = "".join(f"</{name}>" for name, _ in reversed(opened))
        parts.append((head.rstrip() + closing) if head.strip() else head + closing)
        reopening = "".join(tag for _, tag in opened)
        rest = reopening + rest[cut:].lstrip("\n ")
    if rest.strip():
        parts.append(rest)
    return [part for part in parts if _visible(part)]


def _visible(part: str) -> bool:
    return bool(_TAG.sub("", part).strip())


def _cut_position(text: str, budget: int) -> int:
    """The largest good cut index whose prefix fits ``budget`` UTF-16 units."""
    end = 0
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > budget:
            break
        end = index + 1
    safe = [i for i in range(end, 0, -1) if _is_safe(text, i)]
    if not safe:
        return max(end, 1)
    top = safe[0]
    floor = top // 2
    for marker in ("\n\n", "\n", " "):
        position = text.rfind(marker, 0, top)
        if position >= floor and _is_safe(text, position + len(marker)):
            return position + len(marker)
    return top


def _is_safe(text: str, index: int) -> bool:
    """True when ``index`` is not inside a tag or an entity."""
    before = text[:index]
    if before.rfind("<") > before.rfind(">"):
        return False
    amp = before.rfind("&")
    return amp == -1 or ";" in before[amp:] or not re.match(r"&#?\w*$", before[amp:])


def _open_tags(html: str) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            for position in range(len(stack) - 1, -1, -1):
                if stack[position][0] == name:
                    del stack[position:]
                    break
        else:
            stack.append((name, match.group(0)))
    return stack


async def send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    *,
    reply_markup: object | None = None,
    reply_to: int | None = None,
) -> Sequence[Message]:
    """Send ``text`` (Telegram HTML) in as many messages as needed; buttons go on the last."""
    parts = split_html(text)
    sent = []
    for number, part in enumerate(parts, start=1):
        last = number == len(parts)
        sent.append(
            await bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=reply_markup if last else None,
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
                if reply_to and number == 1
                else None,
            )
        )
    return sent


async def edit_html(query: CallbackQuery, text: str, *, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the text of the message a button belongs to (texts here are always short)."""
    await query.edit_message_text(split_html(text)[0], parse_mode=ParseMode.HTML, reply_markup=reply_markup)
