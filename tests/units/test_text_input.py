"""Free text from users: control characters out, emoji and right-to-left text kept, limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from method.text_input import clean_text


def test_whitespace_and_controls() -> None:
    assert clean_text("  Gemeente\x00  Zottegem\x07 ", 100).value == "Gemeente Zottegem"
    assert clean_text("a\u202eb", 100).value == "ab"
    assert clean_text("regel 1\n\n\n\nregel 2", 100).value == "regel 1\n\nregel 2"
    assert clean_text("regel 1\nregel 2", 100, single_line=True).value == "regel 1 regel 2"


def test_emoji_rtl_and_html_are_kept_as_text() -> None:
    assert clean_text("🌍 مرحبا <b>", 100).value == "🌍 مرحبا <b>"


def test_empty_and_long() -> None:
    assert clean_text("   \n\t ", 10).problem == "empty"
    assert clean_text(None, 10).problem == "empty"
    assert clean_text("x" * 11, 10).problem == "long"
    assert clean_text("x" * 10, 10).value == "x" * 10


@given(st.text(max_size=300), st.integers(min_value=1, max_value=200))
def test_result_is_clean_and_within_limit(raw: str, limit: int) -> None:
    result = clean_text(raw, limit)
    if result.ok:
        assert result.value == result.value.strip() and 0 < len(result.value) <= limit
        assert not any(ord(c) < 32 and c != "\n" for c in result.value)
    else:
        assert result.problem in {"empty", "long"}
