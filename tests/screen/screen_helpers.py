"""Shared steps for the screen tests: the moderator's link, and one look at the page's state."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conversations.screen_view import ScreenState
from conversations.screen_web import ScreenHub
from tests.harness import Harness

LINK = re.compile(r"(https?://\S+/scherm/(\S+))")


async def ask_link(harness: Harness, group: dict, moderator: dict) -> tuple[str, str]:
    """The moderator types /scherm in the group; (the URL, the token) from the private message."""
    before = len(harness.core.sent_messages(moderator["id"]))
    await harness.say(moderator, group, "/scherm")
    sent = harness.bot_texts(moderator["id"])[before:]
    assert len(sent) == 1, sent
    found = LINK.search(sent[0])
    assert found is not None, sent[0]
    return found.group(1), found.group(2)


def hub_of(harness: Harness) -> ScreenHub:
    hub = harness.app.bot_data.get("screen_hub")
    if hub is None:
        hub = harness.app.bot_data["screen_hub"] = ScreenHub(harness.app.bot_data["services"])
    return hub


async def look(harness: Harness, token: str, pinned: str | None = None) -> ScreenState:
    return await hub_of(harness).state(token, pinned)


def text_of(html: str) -> str:
    """The words of page HTML, whitespace folded (as a person reads them)."""
    parser = _Words()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def blocks(html: str) -> list[str]:
    """The words of each message block (``<div class="message ...">``) of a scene."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return [" ".join("".join(parts).split()) for parts in parser.found]


def folded(text: str) -> str:
    return " ".join(text.split())


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[list[str]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += tag == "div"
        elif tag == "div" and "message" in classes:
            self.depth = 1
            self.found.append([])

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1].append(data)
