"""Telegram's semantic checks on top of the type-level spec validation."""

from __future__ import annotations

import re
from typing import Any

from .errors import bad_request
from .html_check import HtmlParseError, parse_html, utf16_len
from .markdown_check import parse_markdown, parse_markdown_v2

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200
PARSE_MODES = {"": "", "html": "HTML", "markdown": "Markdown", "markdownv2": "MarkdownV2"}
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_URL_RE = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)


def formatted_text(
    text: str,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    *,
    limit: int = MESSAGE_LIMIT,
    caption: bool = False,
) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode, then Telegram's empty/too-long checks; return (text, entities)."""
    mode = (parse_mode or "").strip().lower()
    if mode not in PARSE_MODES:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    parser = {"html": parse_html, "markdown": parse_markdown, "markdownv2": parse_markdown_v2}.get(mode)
    if parser is not None:
        try:
            plain, ents = parser(text)
        except HtmlParseError as exc:  # MarkdownParseError is a subclass
            raise bad_request(f"can't parse entities: {exc}") from None
    else:
        plain, ents = text, list(entities or [])
    if not plain.strip():
        if caption:
            return "", []
        raise bad_request("message text is empty")
    if utf16_len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return plain, ents


def check_reply_markup(markup: dict[str, Any] | None) -> None:
    """Refuse inline keyboards Telegram refuses (spec types are already checked)."""
    if not markup or "inline_keyboard" not in markup:
        if markup and "keyboard" in markup:
            for row in markup["keyboard"]:
                for button in row:
                    if not button["text"]:
                        raise bad_request("can't parse keyboard button: Text must be non-empty")
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            check_inline_button(button)


def check_inline_button(button: dict[str, Any]) -> None:
    """One inline button: non-empty text, exactly one action, valid callback data/url."""
    if not button["text"]:
        raise bad_request("BUTTON_TEXT_EMPTY")
    actions = [name for name in INLINE_BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be "
            f"used, found {', '.join(actions)}"
        )
    if "callback_data" in button:
        size = len(button["callback_data"].encode("utf-8"))
        if not 1 <= size <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not _URL_RE.match(button["url"]):
        raise bad_request("BUTTON_URL_INVALID")


def check_commands(commands: list[dict[str, Any]]) -> None:
    """setMyCommands: at most 100 commands, lowercase names, 1-256 char descriptions."""
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not _COMMAND_RE.match(command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(command["description"].strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


def chat_action(action: str) -> None:
    """sendChatAction: only Telegram's known actions."""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")


def callback_answer_text(text: str | None) -> None:
    """answerCallbackQuery: text is limited to 200 characters."""
    if text is not None and len(text) > CALLBACK_ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")


def url_ok(url: str) -> bool:
    """Whether ``url`` looks like an http(s)/tg URL."""
    return bool(_URL_RE.match(url))
