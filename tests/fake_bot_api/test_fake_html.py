"""Telegram's HTML parse mode: accepted markup and refusals."""

from __future__ import annotations

import html

import pytest
from fake_telegram import ApiError
from fake_telegram.html_check import HtmlParseError, parse_html, strip_html, utf16_len
from hypothesis import given, settings
from hypothesis import strategies as st


def test_good_html_gives_text_and_entities():
    text, entities = parse_html(
        '<b>Vet</b> <i>schuin</i> <a href="https://x.be/?a=1&amp;b=2">link</a> '
        '<span class="tg-spoiler">geheim</span> <tg-spoiler>ook</tg-spoiler> '
        '<code>x</code> <pre><code class="language-python">print()</code></pre> '
        "<blockquote expandable>citaat</blockquote> <u>o</u><s>d</s> "
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &lt;&gt;&quot;&#65;&#x42;'
    )
    assert text == 'Vet schuin link geheim ook x print() citaat od 👍 <>"AB'
    kinds = [e["type"] for e in entities]
    assert kinds == [
        "bold",
        "italic",
        "text_link",
        "spoiler",
        "spoiler",
        "code",
        "pre",
        "expandable_blockquote",
        "underline",
        "strikethrough",
        "custom_emoji",
    ]
    link = entities[2]
    assert link["url"] == "https://x.be/?a=1&b=2"
    assert text[link["offset"] : link["offset"] + link["length"]] == "link"
    assert entities[6]["language"] == "python"


def test_offsets_are_utf16():
    text, entities = parse_html("😀 <b>x</b>")
    assert entities == [{"offset": 3, "length": 1, "type": "bold"}]
    assert utf16_len(text) == 4


def test_nesting_and_uppercase_tags():
    text, entities = parse_html("<B>a<I>b</I></B>")
    assert text == "ab"
    assert [e["type"] for e in entities] == ["bold", "italic"]


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("a <3", 'Unsupported start tag "3" at byte offset 2'),
        ("Tom & Jerry", 'bare "&" at byte offset 4'),
        ("&nbsp;", 'bare "&" at byte offset 0'),
        ("&#0;", "Invalid numeric HTML entity"),
        ('<a href="x>y</a>', "Unclosed start tag"),
        ("<b", "Unclosed start tag"),
        ("<b>x</b", "Unclosed end tag"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<tg-emoji>x</tg-emoji>", '"tg-emoji" must have a numeric "emoji-id"'),
        ("é<x>", 'Unsupported start tag "x" at byte offset 2'),
    ],
)
def test_bad_html_is_refused(source, detail):
    with pytest.raises(HtmlParseError) as info:
        parse_html(source)
    assert detail in str(info.value)


def test_bad_html_through_send_message(world):
    with pytest.raises(ApiError) as info:
        world.core.call("sendMessage", {"chat_id": world.alice["id"], "text": "<b>x</i>", "parse_mode": "HTML"})
    assert info.value.error_code == 400
    assert info.value.description.startswith("Bad Request: can't parse entities: ")
    # without parse_mode the same text is fine, and the caption is checked too
    world.core.call("sendMessage", {"chat_id": world.alice["id"], "text": "<b>x</i>"})
    with pytest.raises(ApiError):
        world.core.call(
            "sendDocument",
            {"chat_id": world.alice["id"], "caption": "a & b", "parse_mode": "HTML"},
            {"document": ("a.txt", b"x")},
        )


def test_strip_html():
    assert strip_html("<b>Hoi</b> &amp; dag") == "Hoi & dag"
    assert strip_html("<b>kapot") == "<b>kapot"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_is_always_accepted(text):
    assert parse_html(html.escape(text))[0] == text
    assert parse_html(html.escape(text, quote=False))[0] == text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab<>&/ ", max_size=12))
def test_parser_never_crashes(source):
    try:
        plain, entities = parse_html(source)
    except HtmlParseError:
        return
    for entity in entities:
        assert entity["length"] > 0
        assert entity["offset"] + entity["length"] <= utf16_len(plain)
