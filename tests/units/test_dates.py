"""Dates and times as people type them, Dutch and English, in the group's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from method.dates import parse_moment

BRUSSELS = ZoneInfo("Europe/Brussels")
# Thursday 26 November 2026, 10:00 in Brussels
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=BRUSSELS)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 december 14u", local(2026, 12, 10, 14, 0)),
        ("10 december om 14:00", local(2026, 12, 10, 14, 0)),
        ("10 dec 14u30", local(2026, 12, 10, 14, 30)),
        ("10/12 om 14:00", local(2026, 12, 10, 14, 0)),
        ("10/12/2026 14.30u", local(2026, 12, 10, 14, 30)),
        ("10-12-26 9u", local(2026, 12, 10, 9, 0)),
        ("2026-12-10 14:00", local(2026, 12, 10, 14, 0)),
        ("5 januari 2027 om 9 uur", local(2027, 1, 5, 9, 0)),
        ("15 januari 10u", local(2027, 1, 15, 10, 0)),  # passed this year: next year
        ("morgen 14u", local(2026, 11, 27, 14, 0)),
        ("vandaag 16:00", local(2026, 11, 26, 16, 0)),
        ("overmorgen om 9u", local(2026, 11, 28, 9, 0)),
        ("donderdag 14u", local(2026, 12, 3, 14, 0)),  # today is Thursday: the next one
        ("maandag om 10:30", local(2026, 11, 30, 10, 30)),
        ("volgende dinsdag 13u", local(2026, 12, 1, 13, 0)),
        ("tomorrow 2pm", local(2026, 11, 27, 14, 0)),
        ("next Thursday 2pm", local(2026, 12, 3, 14, 0)),
        ("Friday at 9am", local(2026, 11, 27, 9, 0)),
        ("December 10 at 2:30pm", local(2026, 12, 10, 14, 30)),
        ("10 December 2026, 14:00", local(2026, 12, 10, 14, 0)),
        ("12pm tomorrow", local(2026, 11, 27, 12, 0)),
        ("15u", local(2026, 11, 26, 15, 0)),  # a time alone: today when still to come
        ("9u", local(2026, 11, 27, 9, 0)),  # ... else tomorrow
    ],
)
def test_understood(text: str, expected: datetime) -> None:
    moment = parse_moment(text, now=NOW, tz=BRUSSELS)
    assert moment.ok, moment.problem
    assert moment.value == expected
    assert moment.value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ergens volgende week", "unclear"),
        ("10 december", "unclear"),  # no time while one is needed
        ("31/02 14u", "unclear"),
        ("32 december 14u", "unclear"),
        ("10 december 25u", "unclear"),
        ("10 december 14", "unclear"),  # "14" alone is not clearly an hour
        ("vandaag 8u", "past"),
        ("26/11/2026 09:00", "past"),
        ("1/1/2020 10u", "past"),
        ("<b>morgen</b>", "unclear"),
    ],
)
def test_refused_with_a_reason(text: str, problem: str) -> None:
    moment = parse_moment(text, now=NOW, tz=BRUSSELS)
    assert not moment.ok
    assert moment.problem == problem


def test_day_without_time_when_allowed() -> None:
    moment = parse_moment("10 december", now=NOW, tz=BRUSSELS, need_time=False)
    assert moment.value == local(2026, 12, 10, 0, 0)


def test_summer_time_is_the_groups() -> None:
    moment = parse_moment("1 juli 14u", now=NOW, tz=BRUSSELS)
    assert moment.value is not None and moment.value.utcoffset().total_seconds() == 7200


def test_past_allowed_when_asked() -> None:
    assert parse_moment("vandaag 8u", now=NOW, tz=BRUSSELS, allow_past=True).value == local(2026, 11, 26, 8, 0)


@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    moment = parse_moment(text, now=NOW, tz=BRUSSELS)
    assert moment.ok or moment.problem in {"empty", "unclear", "past", "weekday"}
    if moment.ok:
        assert moment.value > NOW
