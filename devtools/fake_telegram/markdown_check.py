"""Telegram's Markdown and MarkdownV2 parse modes: plain text plus entities, or refusal.

Follows the rules of the Bot API formatting options: in MarkdownV2 every reserved
character outside an entity delimiter must be escaped with a backslash; legacy
Markdown only knows ``*bold*``, ``_italic_``, `` `code` ``, ```` ```pre``` ```` and
``[text](url)``. Offsets are UTF-16 code units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .html_check import HtmlParseError, utf16_len

RESERVED_V2 = set("_*[]()~`>#+-=|{}.!")
_V2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "code": "Code",
    "pre": "Pre",
}


class MarkdownParseError(HtmlParseError):
    """Markdown Telegram would refuse (subclass so callers can catch one type)."""


@dataclass
class _Open:
    kind: str
    start: int  # UTF-16 offset in the output
    byte_offset: int
    language: str = ""


class _Output:
    def __init__(self, source: str) -> None:
        self.src = source
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[dict[str, Any]] = []

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.length += utf16_len(text)

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.length > start:
            self.entities.append({"type": kind, "offset": start, "length": self.length - start, **extra})

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), self.entities


def _read_until(src: str, index: int, closing: str, escapable: str) -> tuple[str, int] | None:
    """Read raw text up to ``closing`` (honouring backslash escapes); None if absent."""
    out: list[str] = []
    while index < len(src):
        if src[index] == "\\" and index + 1 < len(src) and src[index + 1] in escapable:
            out.append(src[index + 1])
            index += 2
        elif src.startswith(closing, index):
            return "".join(out), index + len(closing)
        else:
            out.append(src[index])
            index += 1
    return None


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2; raise MarkdownParseError where Telegram refuses."""
    out = _Output(source)
    stack: list[_Open] = []
    quote: _Open | None = None
    i = 0
    n = len(source)
    while i < n:
        char = source[i]
        at_line_start = i == 0 or source[i - 1] == "\n"
        if at_line_start and char == ">" or at_line_start and source.startswith("**>", i):
            if quote is None:
                expandable = char == "*"
                quote = _Open("expandable_blockquote" if expandable else "blockquote", out.length, out.byte_offset(i))
            i += 3 if char == "*" else 1
            continue
        if (
            char == "\n"
            and quote is not None
            and not (source.startswith(">", i + 1) or source.startswith("**>", i + 1))
        ):
            out.entity(quote.kind, quote.start)
            quote = None
        if char == "\r":  # documented as ignored (used to split "___" ambiguities)
            i += 1
            continue
        if char == "\\":
            if i + 1 < n and 0 < ord(source[i + 1]) <= 126:
                out.emit(source[i + 1])
                i += 2
                continue
            out.emit(char)
            i += 1
            continue
        if char == "`":
            i = _code_v2(source, i, out)
            continue
        if char not in RESERVED_V2:
            out.emit(char)
            i += 1
            continue
        if (
            quote is not None
            and quote.kind == "expandable_blockquote"
            and source.startswith("||", i)
            and (i + 2 == n or source[i + 2] == "\n")
        ):
            i += 2  # end marker of an expandable blockquote
            continue
        top = stack[-1] if stack else None
        token, kind = _v2_token(source, i, top)
        if kind is None:
            raise MarkdownParseError(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
        if top is not None and top.kind == kind and kind not in ("text_link", "custom_emoji"):
            stack.pop()
            out.entity(kind, top.start)
            i += len(token)
            continue
        if token == "]":
            if top is None or top.kind not in ("text_link", "custom_emoji"):
                raise MarkdownParseError("Character ']' is reserved and must be escaped with the preceding '\\'")
            stack.pop()
            i = _link_target(source, i + 1, out, top)
            continue
        stack.append(_Open(kind, out.length, out.byte_offset(i)))
        i += len(token)
    if stack:
        top = stack[-1]
        raise MarkdownParseError(f"Can't find end of {_V2_NAMES[top.kind]} entity at byte offset {top.byte_offset}")
    if quote is not None:
        out.entity(quote.kind, quote.start)
    return out.result()


def _v2_token(source: str, i: int, top: _Open | None) -> tuple[str, str | None]:
    char = source[i]
    if char == "*":
        return "*", "bold"
    if char == "~":
        return "~", "strikethrough"
    if char == "_":
        if source.startswith("__", i) and not (top is not None and top.kind == "italic"):
            return "__", "underline"
        return "_", "italic"
    if source.startswith("||", i):
        return "||", "spoiler"
    if char == "[":
        return "[", "text_link"
    if source.startswith("![", i):
        return "![", "custom_emoji"
    if char == "]":
        return "]", "text_link"
    return char, None


def _code_v2(source: str, i: int, out: _Output) -> int:
    start, offset = out.length, out.byte_offset(i)
    if source.startswith("```", i):
        found = _read_until(source, i + 3, "```", "`\\")
        if found is None:
            raise MarkdownParseError(f"Can't find end of Pre entity at byte offset {offset}")
        body, end = found
        language = ""
        if "\n" in body:
            first, rest = body.split("\n", 1)
            if first and " " not in first:
                language, body = first, rest
        out.emit(body)
        extra = {"language": language} if language else {}
        out.entity("pre", start, **extra)
        return end
    found = _read_until(source, i + 1, "`", "`\\")
    if found is None:
        raise MarkdownParseError(f"Can't find end of Code entity at byte offset {offset}")
    body, end = found
    out.emit(body)
    out.entity("code", start)
    return end


def _link_target(source: str, i: int, out: _Output, link: _Open) -> int:
    """After ``]``: read ``(url)``; create the text_link/custom_emoji entity."""
    if not source.startswith("(", i):
        if link.kind == "custom_emoji":
            raise MarkdownParseError(f"Can't find end of CustomEmoji entity at byte offset {link.byte_offset}")
        return i  # "[text]" without a URL is plain text
    found = _read_until(source, i + 1, ")", ")\\")
    if found is None:
        raise MarkdownParseError(f"Can't find end of a URL at byte offset {out.byte_offset(i)}")
    url, end = found
    if link.kind == "custom_emoji":
        prefix = "tg://emoji?id="
        if not url.startswith(prefix) or not url[len(prefix) :].isdigit():
            raise MarkdownParseError("Custom emoji entity must contain a tg://emoji URL")
        out.entity("custom_emoji", link.start, custom_emoji_id=url[len(prefix) :])
    elif url:
        out.entity("text_link", link.start, url=url)
    return end


def parse_markdown(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse legacy Markdown (no nesting; only _ * ` [ are special)."""
    out = _Output(source)
    i = 0
    n = len(source)
    while i < n:
        char = source[i]
        if char == "\\" and i + 1 < n and source[i + 1] in "_*`[":
            out.emit(source[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.emit(char)
            i += 1
            continue
        start, offset = out.length, out.byte_offset(i)
        missing = f"Can't find end of the entity starting at byte offset {offset}"
        if source.startswith("```", i):
            end = source.find("```", i + 3)
            if end < 0:
                raise MarkdownParseError(missing)
            body = source[i + 3 : end]
            language = ""
            if "\n" in body and body.split("\n", 1)[0] and " " not in body.split("\n", 1)[0]:
                language, body = body.split("\n", 1)
            out.emit(body)
            out.entity("pre", start, **({"language": language} if language else {}))
            i = end + 3
        elif char == "[":
            close = source.find("]", i + 1)
            if close < 0 or not source.startswith("(", close + 1):
                raise MarkdownParseError(missing)
            url_end = source.find(")", close + 2)
            if url_end < 0:
                raise MarkdownParseError(missing)
            out.emit(source[i + 1 : close])
            out.entity("text_link", start, url=source[close + 2 : url_end])
            i = url_end + 1
        else:
            end = source.find(char, i + 1)
            if end < 0:
                raise MarkdownParseError(missing)
            out.emit(source[i + 1 : end])
            out.entity({"_": "italic", "*": "bold", "`": "code"}[char], start)
            i = end + 1
    return out.result()
