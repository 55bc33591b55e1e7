"""Telegram's MarkdownV2 and legacy Markdown parse modes."""

from __future__ import annotations

import pytest
from fake_telegram import ApiError
from fake_telegram.markdown_check import (
    MarkdownParseError,
    parse_markdown,
    parse_markdown_v2,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.helpers import escape_markdown


def test_markdown_v2_entities():
    text, entities = parse_markdown_v2(
        "*vet* _schuin_ __onder__ ~door~ ||geheim|| [link](https://x.be/a\\)b) `co\\`de` ```python\nprint()```"
    )
    assert text == "vet schuin onder door geheim link co`de print()"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "text_link",
        "code",
        "pre",
    ]
    assert entities[5]["url"] == "https://x.be/a)b"
    assert entities[7]["language"] == "python"


def test_markdown_v2_nesting_quotes_and_ambiguity():
    text, entities = parse_markdown_v2("*vet _en schuin_*")
    assert text == "vet en schuin"
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == [("bold", 0, 13), ("italic", 4, 9)]
    text, entities = parse_markdown_v2("___beide_\r__")
    assert text == "beide"
    assert {e["type"] for e in entities} == {"italic", "underline"}
    text, entities = parse_markdown_v2(">citaat\n>meer\nna")
    assert text == "citaat\nmeer\nna" and entities[0]["type"] == "blockquote"


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("Klaar.", "Character '.' is reserved"),
        ("Doe mee!", "Character '!' is reserved"),
        ("2024-01-01", "Character '-' is reserved"),
        ("(stil)", "Character '(' is reserved"),
        ("*vet", "Can't find end of Bold entity at byte offset 0"),
        ("a_b", "Can't find end of Italic entity at byte offset 1"),
        ("`code", "Can't find end of Code entity"),
        ("[x](https://x.be", "Can't find end of a URL"),
    ],
)
def test_markdown_v2_refusals(source, detail):
    with pytest.raises(MarkdownParseError) as info:
        parse_markdown_v2(source)
    assert detail in str(info.value)


def test_legacy_markdown():
    text, entities = parse_markdown("*vet* _schuin_ `code` [x](https://x.be) 1.5 - ok!")
    assert text == "vet schuin code x 1.5 - ok!"
    assert [e["type"] for e in entities] == ["bold", "italic", "code", "text_link"]
    for bad in ("*vet", "snake_case", "[x](y"):
        with pytest.raises(MarkdownParseError, match="Can't find end of the entity"):
            parse_markdown(bad)


def test_markdown_through_send_message(world):
    chat = world.alice["id"]
    with pytest.raises(ApiError) as info:
        world.core.call("sendMessage", {"chat_id": chat, "text": "Klaar.", "parse_mode": "MarkdownV2"})
    assert info.value.description == (
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
    )
    sent = world.core.call("sendMessage", {"chat_id": chat, "text": "*Klaar*\\.", "parse_mode": "MarkdownV2"})
    assert sent["text"] == "Klaar." and sent["entities"][0]["type"] == "bold"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_ptb_escaped_text_is_always_accepted(text):
    assert parse_markdown_v2(escape_markdown(text, version=2))[0] == text.replace("\r", "")
