"""Telegram's HTML parse mode: turn ``<b>x</b>`` into plain text plus entities.

Only what Telegram accepts is accepted; anything else raises :class:`HtmlParseError`
whose message follows the style of Telegram's "can't parse entities" details.
Offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
SUPPORTED_TAGS = frozenset(_SIMPLE_TAGS) | {"a", "span", "tg-emoji"}

_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAME_RE = re.compile(r"[A-Za-z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[A-Za-z0-9_-]*")


class HtmlParseError(ValueError):
    """Raised for HTML that Telegram would refuse."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram counts)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the output text
    byte_offset: int
    language: str | None = None


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.out_len = 0  # UTF-16 units written so far
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    # -- helpers -----------------------------------------------------------------
    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def fail(self, message: str) -> HtmlParseError:
        return HtmlParseError(message)

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.out_len += utf16_len(text)

    def decode_entity(self, index: int) -> tuple[str, int]:
        """Decode the HTML entity at ``index``; return (text, next index)."""
        match = _ENTITY_RE.match(self.src, index)
        if not match:
            raise self.fail(f'Unsupported HTML entity or bare "&" at byte offset {self.byte_offset(index)}')
        named, dec, hexa = match.groups()
        if named:
            return _NAMED[named], match.end()
        code = int(dec) if dec else int(hexa, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise self.fail(f"Invalid numeric HTML entity at byte offset {self.byte_offset(index)}")
        return chr(code), match.end()

    # -- main loop ------------------------------------------------------------------
    def run(self) -> tuple[str, list[dict[str, Any]]]:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "&":
                text, self.pos = self.decode_entity(self.pos)
                self.emit(text)
            elif char == "<":
                if src.startswith("</", self.pos):
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                nxt = self.pos
                while nxt < len(src) and src[nxt] not in "<&":
                    nxt += 1
                self.emit(src[self.pos : nxt])
                self.pos = nxt
        if self.stack:
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def start_tag(self) -> None:
        begin = self.pos
        src = self.src
        match = _NAME_RE.match(src, begin + 1)
        name = match.group(0).lower()
        self.pos = match.end()
        if name not in SUPPORTED_TAGS:
            raise self.fail(f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}')
        attrs = self.attributes(name, begin)
        tag = _OpenTag(name, attrs, self.out_len, self.byte_offset(begin))
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" at byte offset {tag.byte_offset}')
        if name == "tg-emoji":
            emoji_id = attrs.get("emoji-id", "")
            if not emoji_id.isdigit():
                raise self.fail(
                    f'Tag "tg-emoji" must have a numeric "emoji-id" attribute at byte offset {tag.byte_offset}'
                )
        self.stack.append(tag)

    def attributes(self, tag_name: str, begin: int) -> dict[str, str]:
        src = self.src
        attrs: dict[str, str] = {}
        while True:
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(src):
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if src[self.pos] == ">":
                self.pos += 1
                return attrs
            match = _ATTR_NAME_RE.match(src, self.pos)
            attr = match.group(0).lower()
            if not attr:
                raise self.fail(
                    f'Empty attribute name in the tag "{tag_name}" at byte offset {self.byte_offset(self.pos)}'
                )
            self.pos = match.end()
            while self.pos < len(src) and src[self.pos].isspace():
                self.pos += 1
            if self.pos < len(src) and src[self.pos] == "=":
                self.pos += 1
                while self.pos < len(src) and src[self.pos].isspace():
                    self.pos += 1
                attrs[attr] = self.attribute_value(begin)
            else:
                attrs[attr] = ""

    def attribute_value(self, begin: int) -> str:
        src = self.src
        if self.pos >= len(src):
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        quote = src[self.pos]
        value: list[str] = []
        if quote in "\"'":
            self.pos += 1
            while self.pos < len(src) and src[self.pos] != quote:
                if src[self.pos] == "&":
                    text, self.pos = self.decode_entity(self.pos)
                    value.append(text)
                else:
                    value.append(src[self.pos])
                    self.pos += 1
            if self.pos >= len(src):
                raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            self.pos += 1
            return "".join(value)
        while self.pos < len(src) and not src[self.pos].isspace() and src[self.pos] != ">":
            if src[self.pos] in "\"'<=`":
                raise self.fail(f"Unexpected character in attribute value at byte offset {self.byte_offset(self.pos)}")
            if src[self.pos] == "&":
                text, self.pos = self.decode_entity(self.pos)
                value.append(text)
            else:
                value.append(src[self.pos])
                self.pos += 1
        return "".join(value)

    def end_tag(self) -> None:
        begin = self.pos
        src = self.src
        match = _NAME_RE.match(src, begin + 2)
        name = match.group(0).lower()
        self.pos = match.end()
        while self.pos < len(src) and src[self.pos].isspace():
            self.pos += 1
        if self.pos >= len(src) or src[self.pos] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        self.pos += 1
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        top = self.stack[-1]
        if name != top.name:
            raise self.fail(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, expected "
                f'"</{top.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self.close(top)

    def close(self, tag: _OpenTag) -> None:
        length = self.out_len - tag.start
        parent = self.stack[-1] if self.stack else None
        if tag.name == "code" and parent is not None and parent.name == "pre":
            css = tag.attrs.get("class", "")
            if css.startswith("language-") and tag.start == parent.start:
                parent.language = css[len("language-") :]
                return
        if length == 0:
            return
        entity: dict[str, Any] = {"offset": tag.start, "length": length}
        if tag.name == "a":
            href = tag.attrs.get("href", "")
            if not href:
                return
            entity.update(type="text_link", url=href)
        elif tag.name == "span":
            entity["type"] = "spoiler"
        elif tag.name == "tg-emoji":
            entity.update(type="custom_emoji", custom_emoji_id=tag.attrs["emoji-id"])
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        else:
            entity["type"] = _SIMPLE_TAGS[tag.name]
        if tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        self.entities.append(entity)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML; return (plain text, MessageEntity dicts) or raise."""
    return _Parser(text).run()


def strip_html(text: str) -> str:
    """Best-effort plain text of Telegram HTML (falls back to the raw text)."""
    try:
        return parse_html(text)[0]
    except HtmlParseError:
        return text
