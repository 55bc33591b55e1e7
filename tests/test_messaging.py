"""Splitting long HTML messages at Telegram's limit."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.messaging import split_html, utf16_len

TAG = re.compile(r"</?([a-z]+)[^>]*>")


def balanced(part: str) -> bool:
    stack = []
    for match in TAG.finditer(part):
        name = match.group(1)
        if match.group(0).startswith("</"):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def plain(html: str) -> str:
    return " ".join(TAG.sub("", html).split())


def test_short_text_is_one_part() -> None:
    assert split_html("<b>Hallo</b> allemaal") == ["<b>Hallo</b> allemaal"]


def test_splits_at_line_breaks() -> None:
    lines = [f"Regel {i}: " + "woord " * 10 for i in range(200)]
    text = "\n".join(lines)
    parts = split_html(text, limit=500)
    assert len(parts) > 1
    assert all(utf16_len(p) <= 500 for p in parts)
    # every part ends at the end of a line: no line is cut in two
    assert all(p.rstrip().endswith("woord") for p in parts)
    assert plain("".join(p + "\n" for p in parts)) == plain(text)


def test_tag_open_at_cut_is_closed_and_reopened() -> None:
    text = "<b>" + "vet " * 400 + "</b> einde"
    parts = split_html(text, limit=300)
    assert len(parts) > 2
    assert all(balanced(p) for p in parts)
    assert all(p.startswith("<b>") for p in parts[:-1])
    assert plain(" ".join(parts)) == plain(text)


def test_never_cuts_inside_an_entity_and_counts_emoji_as_two() -> None:
    text = ("&amp;" + "😀" * 3 + " ") * 300
    parts = split_html(text, limit=100)
    assert all(utf16_len(p) <= 100 for p in parts)
    for part in parts:
        assert not re.search(r"&[a-z]*$", part)
        assert not re.match(r"^[a-z]*;", part)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "b", "i", "code"]),
            st.text(alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)), max_size=120),
        ),
        max_size=60,
    ),
    st.integers(min_value=60, max_value=400),
)
def test_property_parts_fit_and_keep_all_words(chunks: list[tuple[str, str]], limit: int) -> None:
    text = "".join(f"<{tag}>{body}</{tag}>" if tag else body for tag, body in chunks)
    parts = split_html(text, limit=limit)
    assert all(utf16_len(p) <= limit for p in parts)
    assert all(balanced(p) for p in parts)
    assert plain(" ".join(parts)).replace(" ", "") == plain(text).replace(" ", "")
