"""Dates as Flemish invitations and English e-mails write them: a table of real expressions.

Each row: what a moderator typed, and what it must mean (start, end of a range, the part of the
day when the hour was assumed from it) or why it is refused. The clock is Thursday 26 November
2026, 10:00 in Brussels (the 10th of December is a Thursday, the 15th a Tuesday).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from method.dates import parse_moment

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=BRUSSELS)


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


# (text, start, end, part of the day the hour came from)
UNDERSTOOD = [
    # Dutch: a weekday before the date
    ("donderdag 10 december 14u", at(12, 10, 14), None, None),
    ("do 10/12 14u", at(12, 10, 14), None, None),
    ("do. 10 dec. 14u", at(12, 10, 14), None, None),
    ("Donderdag 10 December 14u", at(12, 10, 14), None, None),
    ("dinsdag 15 december om 19u30", at(12, 15, 19, 30), None, None),
    ("di 15/12 om 19u30", at(12, 15, 19, 30), None, None),
    ("dinsdag 15 december 2026 om 19.30 uur", at(12, 15, 19, 30), None, None),
    ("vrijdag 4 december 9u30", at(12, 4, 9, 30), None, None),
    ("woensdag 9/12 om 20u", at(12, 9, 20), None, None),
    ("vrijdag 27 november 17u", at(11, 27, 17), None, None),
    ("zaterdag 28/11 10u", at(11, 28, 10), None, None),
    ("zo 29/11 10u", at(11, 29, 10), None, None),
    ("ma 30/11 om 9u", at(11, 30, 9), None, None),
    ("10de december 14u", at(12, 10, 14), None, None),
    ("10 december om 14 uur", at(12, 10, 14), None, None),
    ("10 december 14.30u", at(12, 10, 14, 30), None, None),
    ("10/12/2026 om 14:00", at(12, 10, 14), None, None),
    # Dutch: next week
    ("volgende week donderdag 14u", at(12, 3, 14), None, None),
    ("donderdag volgende week om 10u", at(12, 3, 10), None, None),
    ("volgende week dinsdag 19u", at(12, 1, 19), None, None),
    ("volgende donderdag 14u", at(12, 3, 14), None, None),
    ("komende dinsdag 19u", at(12, 1, 19), None, None),
    ("tot vrijdag 17u", at(11, 27, 17), None, None),
    # Dutch: time ranges
    ("15/12 19u30-21u", at(12, 15, 19, 30), at(12, 15, 21), None),
    ("dinsdag 15/12 19u30 - 21u", at(12, 15, 19, 30), at(12, 15, 21), None),
    ("donderdag 10 december van 14u tot 16u", at(12, 10, 14), at(12, 10, 16), None),
    ("10 december 14-16u", at(12, 10, 14), at(12, 10, 16), None),
    ("dinsdag 1 december 19u-21u", at(12, 1, 19), at(12, 1, 21), None),
    ("15 december 19u30 tot 21u", at(12, 15, 19, 30), at(12, 15, 21), None),
    ("15 december 's avonds van 19u30 tot 21u", at(12, 15, 19, 30), at(12, 15, 21), None),
    ("15 december 's avonds van 7 tot 9u", at(12, 15, 19), at(12, 15, 21), None),
    ("22u-1u", at(11, 26, 22), at(11, 27, 1), None),
    # Dutch: parts of the day
    ("op 15 december 's avonds", at(12, 15, 19), None, "evening"),
    ("op 15 december ’s avonds", at(12, 15, 19), None, "evening"),
    ("maandag 7 december 's avonds", at(12, 7, 19), None, "evening"),
    ("1 december 's middags", at(12, 1, 12), None, "noon"),
    ("morgen 's ochtends", at(11, 27, 9), None, "morning"),
    ("morgen in de namiddag", at(11, 27, 14), None, "afternoon"),
    ("donderdag in de voormiddag", at(12, 3, 9), None, "morning"),
    ("morgenavond", at(11, 27, 19), None, "evening"),
    ("vanavond", at(11, 26, 19), None, "evening"),
    ("morgenavond 20u", at(11, 27, 20), None, None),
    ("vanavond 19u30", at(11, 26, 19, 30), None, None),
    ("8u 's avonds", at(11, 26, 20), None, None),
    ("8 uur 's avonds", at(11, 26, 20), None, None),
    ("15 december 8 's avonds", at(12, 15, 20), None, None),
    ("2u 's middags", at(11, 26, 14), None, None),
    # Dutch: the clock in words
    ("half acht 's avonds", at(11, 26, 19, 30), None, None),
    ("15 december om half acht 's avonds", at(12, 15, 19, 30), None, None),
    ("15 december half 8 's avonds", at(12, 15, 19, 30), None, None),
    ("kwart over 7 's avonds", at(11, 26, 19, 15), None, None),
    ("15 december kwart voor 8 's avonds", at(12, 15, 19, 45), None, None),
    ("morgen om acht uur", at(11, 27, 8), None, None),
    # English
    ("Thursday 10 December 2pm", at(12, 10, 14), None, None),
    ("Thu 10/12 2pm", at(12, 10, 14), None, None),
    ("Tuesday 15 December at 7.30pm", at(12, 15, 19, 30), None, None),
    ("Tuesday, December 15, 2026 at 7:30pm", at(12, 15, 19, 30), None, None),
    ("December 15th at 7:30 pm", at(12, 15, 19, 30), None, None),
    ("Wed 9 Dec 8pm", at(12, 9, 20), None, None),
    ("10th December 2pm", at(12, 10, 14), None, None),
    ("December 10 2026 2pm", at(12, 10, 14), None, None),
    ("15th of December, 7 p.m.", at(12, 15, 19), None, None),
    ("next week Thursday 2pm", at(12, 3, 14), None, None),
    ("Thursday next week at 10am", at(12, 3, 10), None, None),
    ("next Tuesday 7pm", at(12, 1, 19), None, None),
    ("until Friday 5pm", at(11, 27, 17), None, None),
    ("15/12 7:30pm-9pm", at(12, 15, 19, 30), at(12, 15, 21), None),
    ("15/12 7-9pm", at(12, 15, 19), at(12, 15, 21), None),
    ("Friday 4 December from 9am to 11am", at(12, 4, 9), at(12, 4, 11), None),
    ("from 2pm until 4pm tomorrow", at(11, 27, 14), at(11, 27, 16), None),
    ("14:00-16:00", at(11, 26, 14), at(11, 26, 16), None),
    ("on 15 December in the evening", at(12, 15, 19), None, "evening"),
    ("Monday 7 December in the afternoon", at(12, 7, 14), None, "afternoon"),
    ("tomorrow evening", at(11, 27, 19), None, "evening"),
    ("tomorrow noon", at(11, 27, 12), None, "noon"),
    ("tonight", at(11, 26, 19), None, "evening"),
    ("tonight at 8pm", at(11, 26, 20), None, None),
    ("tomorrow at 8 in the evening", at(11, 27, 20), None, None),
    ("2 pm", at(11, 26, 14), None, None),
]

# (text, problem)
REFUSED = [
    ("dinsdag 10 december 14u", "weekday"),
    ("vrijdag 10/12 14u", "weekday"),
    ("do 15/12 19u30", "weekday"),
    ("maandag 1 december 's avonds", "weekday"),
    ("Tuesday 10 December 2pm", "weekday"),
    ("Friday 10/12 2pm", "weekday"),
    ("10 december", "unclear"),
    ("December 10", "unclear"),
    ("ergens volgende week", "unclear"),
    ("sometime next week", "unclear"),
    ("14u 's avonds", "unclear"),
    ("19u30 's ochtends", "unclear"),
    ("7pm in the morning", "unclear"),
    ("32 december 14u", "unclear"),
    ("31/11 14u", "unclear"),
    ("25u", "unclear"),
    ("gisteren 14u", "unclear"),
    ("donderdag 10 december 14", "unclear"),
    ("vandaag 8u", "past"),
    ("1/1/2020 10u", "past"),
    ("", "empty"),
]


@pytest.mark.parametrize(("text", "start", "end", "part"), UNDERSTOOD)
def test_understood(text: str, start: datetime, end: datetime | None, part: str | None) -> None:
    moment = parse_moment(text, now=NOW, tz=BRUSSELS)
    assert moment.problem is None, (text, moment.problem)
    assert (moment.value, moment.end, moment.day_part) == (start, end, part)


@pytest.mark.parametrize(("text", "problem"), REFUSED)
def test_refused(text: str, problem: str) -> None:
    moment = parse_moment(text, now=NOW, tz=BRUSSELS)
    assert moment.value is None
    assert moment.problem == problem


def test_a_weekday_that_does_not_match_is_asked_back_with_what_was_written() -> None:
    moment = parse_moment("dinsdag 10 december 14u", now=NOW, tz=BRUSSELS)
    assert moment.weekday_given == 1  # dinsdag
    assert moment.day is not None and moment.day.isoformat() == "2026-12-10" and moment.day.weekday() == 3


def test_the_table_is_as_large_as_promised() -> None:
    assert len(UNDERSTOOD) + len(REFUSED) >= 80
    dutch = [row for row in UNDERSTOOD if not any(word in row[0].lower() for word in ("pm", "am", "th", "next", "tomorrow", "tonight", "on ", "from", "until"))]
    assert len(dutch) >= 40 and len(UNDERSTOOD) - len(dutch) >= 20
