"""Sending HTML messages: long texts split cleanly at Telegram's 4096-character limit."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from typing import TypeVar

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, InputFile, Message, ReplyParameters
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, ChatMigrated, NetworkError, RetryAfter, TelegramError, TimedOut

LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096, counted in UTF-16 code units
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
# Pauses before the next try after a server error or a timeout; a 429 waits its retry_after.
RETRY_DELAYS: tuple[float, ...] = (0.5, 2.0, 5.0)
MAX_RETRY_AFTER = 30  # seconds; a longer flood wait is not waited out inside one update
# A group reply that would wait longer than this for the group's budget goes to the outbox.
REPLY_WAIT = 2.0
# The outbox of each bot (id(bot) -> queue a reply), set by its sender (bot/outbox.py).
OVERFLOW: dict[int, Callable[[int, str, int | None], Awaitable[None]]] = {}
T = TypeVar("T")
log = logging.getLogger(__name__)
# The forum topic (chat id, message_thread_id) the current update came from, set by the guard
# (bot/guards.py) for each update: what the bot says in that chat goes to the same topic.
_topic: ContextVar[tuple[int, int] | None] = ContextVar("topic", default=None)


def follow_topic(chat_id: int | None, thread_id: int | None) -> None:
    """Answers in ``chat_id`` go to forum topic ``thread_id`` (None: the chat's main thread)."""
    _topic.set((chat_id, thread_id) if chat_id is not None and thread_id is not None else None)


def topic_of(chat_id: int) -> int | None:
    topic = _topic.get()
    return topic[1] if topic is not None and topic[0] == chat_id else None


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
    retry_timeouts: bool = False,
    once: bool = False,
    thread_id: int | None = None,
    queue_when_busy: bool = True,
) -> Sequence[Message]:
    """Send ``text`` (Telegram HTML) in as many messages as needed; buttons go on the last.

    Each part is tried again after a 429 or a server error before the next part goes, so the
    parts stay in order. A timed-out part may have arrived, so it is sent again only with
    ``retry_timeouts`` (where a second copy does no harm, e.g. a ballot). With ``once`` each part
    is tried once and a 429 is not waited out here: the outbox's sender (bot/outbox.py) decides.

    A reply to a group that has used its 20 messages a minute is handed to the outbox and the
    handler goes on (nothing is returned then): the group's next updates, presses above all, do not
    wait for it. Callers that need the sent message (to edit it later) pass ``queue_when_busy=False``
    or buttons, which are never queued.
    """
    parts = split_html(text)
    thread = thread_id if thread_id is not None else topic_of(chat_id)
    overflow = OVERFLOW.get(id(bot))
    if queue_when_busy and not once and reply_markup is None and reply_to is None and overflow is not None and chat_id < 0:
        limiter = getattr(bot, "rate_limiter", None)
        if limiter is not None and hasattr(limiter, "chat_wait") and limiter.chat_wait(chat_id) > REPLY_WAIT:
            await overflow(chat_id, text, thread)
            return []
    # The rate limiter's own retries after a 429 would hold every chat back: not for the sender.
    limits = {"rate_limit_args": -1} if once and getattr(bot, "rate_limiter", None) is not None else {}
    target = [chat_id]  # the group may turn out to have become a supergroup (a new id)

    def part_call(part: str, number: int) -> Callable[[], Awaitable[Message]]:
        return lambda: bot.send_message(
            target[0],
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=reply_markup if number == len(parts) else None,
            message_thread_id=thread,
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to and number == 1
            else None,
            **limits,
        )

    async def attempt(call: Callable[[], Awaitable[Message]]) -> Message:
        return await (call() if once else with_retries(call, retry_timeouts=retry_timeouts))

    sent = []
    for number, part in enumerate(parts, start=1):
        try:
            sent.append(await attempt(part_call(part, number)))
        except ChatMigrated as error:
            # Sent to the old id after the upgrade: follow Telegram to the new one (the stored id
            # follows when the migrate notice arrives, conversations/chat_events.py).
            target[0] = error.new_chat_id
            sent.append(await attempt(part_call(part, number)))
    return sent


async def send_picture(bot: Bot, chat_id: int, png: bytes, filename: str, caption_html: str) -> Message:
    """A picture with its caption (Telegram HTML), in the forum topic the update came from."""
    return await with_retries(
        lambda: bot.send_photo(
            chat_id,
            InputFile(png, filename=filename),
            caption=split_html(caption_html, limit=MessageLimit.CAPTION_LENGTH)[0],
            parse_mode=ParseMode.HTML,
            message_thread_id=topic_of(chat_id),
        )
    )


async def with_retries(call: Callable[[], Awaitable[T]], *, retry_timeouts: bool = False) -> T:
    """Run a Bot API call, trying again after a 429 (its retry_after) or a 5xx/network error."""
    for attempt in range(len(RETRY_DELAYS) + 1):
        try:
            return await call()
        except RetryAfter as error:
            wait = (
                error.retry_after if isinstance(error.retry_after, int | float) else error.retry_after.total_seconds()
            )
            if attempt == len(RETRY_DELAYS) or wait > MAX_RETRY_AFTER:
                raise
        except BadRequest:
            raise  # our request is wrong (or the chat is gone): another try answers the same
        except TimedOut:
            if not retry_timeouts or attempt == len(RETRY_DELAYS):
                raise
            wait = RETRY_DELAYS[attempt]
        except NetworkError:
            if attempt == len(RETRY_DELAYS):
                raise
            wait = RETRY_DELAYS[attempt]
        log.info("send failed, try %s again in %.1f s", attempt + 2, wait)
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")


async def answer(query: CallbackQuery, text: str | None = None, *, show_alert: bool = False) -> bool:
    """Answer a button press, best effort: what the press stored is stored, and the redraw that
    follows shows it; a failed answer only leaves the button's spinner a few seconds longer."""
    try:
        await query.answer(text, show_alert=show_alert)
        return True
    except TelegramError as error:
        log.info("press not answered: %s", type(error).__name__)
        return False


def plain_text(html_text: str) -> str:
    """What Telegram shows of an HTML text: the tags gone, the entities read."""
    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


def shows_already(message: object, html_text: str, reply_markup: InlineKeyboardMarkup | None) -> bool:
    """The message (as the pressed button's update carries it) already shows this text and these buttons."""
    text = getattr(message, "text", None)
    if text is None:
        return False
    current = getattr(message, "reply_markup", None)
    same_buttons = (current is None or not current.inline_keyboard) if reply_markup is None else current == reply_markup
    return same_buttons and text == plain_text(html_text).strip()


async def edit_html(query: CallbackQuery, text: str, *, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the text of the message a button belongs to (texts here are always short).

    A message that already says exactly this (the same button pressed again, or a message that
    happens to read the same) is left as it is: Telegram refuses an edit that changes nothing."""
    first = split_html(text)[0]
    if shows_already(query.message, first, reply_markup):
        return
    try:
        await query.edit_message_text(first, parse_mode=ParseMode.HTML, reply_markup=reply_markup)
    except BadRequest as error:
        if not unchanged(error):
            raise


def unchanged(error: BadRequest) -> bool:
    """Telegram refused an edit because it would change nothing: the message already shows it."""
    return "not modified" in str(error).lower()


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message; already gone (pressed twice quickly) is fine."""
    markup = getattr(query.message, "reply_markup", None)
    if markup is None or not markup.inline_keyboard:
        return  # nothing to take off: an edit would change nothing
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as error:
        log.info("buttons not removed: %s", error)
