"""Understanding the dates and times people type, in Dutch and English. No Telegram here.

``parse_moment("10 december 14u", now=..., tz=...)`` gives an aware datetime in the group's
time zone, or says why it could not: ``empty``, ``unclear`` (not understood, or a day without a
time when a time is needed) or ``past``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONTHS = {
    # Dutch
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # English (where different)
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "october": 10, "oct": 10,
}
WEEKDAYS = {
    "maandag": 0, "ma": 0, "dinsdag": 1, "di": 1, "woensdag": 2, "wo": 2, "donderdag": 3, "do": 3,
    "vrijdag": 4, "vr": 4, "zaterdag": 5, "za": 5, "zondag": 6, "zo": 6,
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
RELATIVE_DAYS = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
NEXT_WORDS = {"volgende", "komende", "next", "this", "deze", "aanstaande"}
FILLERS = {"om", "at", "op", "on", "de", "the", "van", "of", "rond", "around", "vanaf", "from"}


@dataclass(frozen=True)
class Moment:
    """The outcome of parsing: a moment, or the reason there is none."""

    value: datetime | None
    problem: str | None = None  # empty | unclear | past

    @property
    def ok(self) -> bool:
        return self.value is not None


def parse_moment(text: str, *, now: datetime, tz: ZoneInfo, need_time: bool = True, allow_past: bool = False) -> Moment:
    """Parse a date (and time) as people write them; ``now`` must be aware."""
    words = _normalise(text)
    if not words:
        return Moment(None, "empty")
    local_now = now.astimezone(tz)
    day, clock, leftover = _read(words, local_now.date())
    if leftover or (day is None and clock is None):
        return Moment(None, "unclear")
    if clock is None:
        if need_time:
            return Moment(None, "unclear")
        clock = time(0, 0)
    if day is None:
        # A time alone: today if still to come, else tomorrow.
        day = local_now.date()
        if datetime.combine(day, clock, tz) <= local_now:
            day += timedelta(days=1)
    value = datetime.combine(day, clock, tz)
    if not allow_past and value <= local_now:
        return Moment(None, "past")
    return Moment(value)


def _normalise(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower().strip()
    text = re.sub(r"[,;]+", " ", text)
    # "14u30", "14 u", "14h" -> clock tokens; keep "10/12", "2026-12-10", "14:00", "2pm"
    text = re.sub(r"(\d)\s+(u|uur|h|pm|am)\b", r"\1\2", text)
    return [word for word in text.split() if word and word not in FILLERS]


_CLOCK = re.compile(r"^(\d{1,2})(?:[:h.](\d{2}))?(?:u(\d{2})?|uur)?(am|pm)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _read(words: list[str], today: date) -> tuple[date | None, time | None, list[str]]:
    """Read a day and a clock time from the words; return what was not understood."""
    day: date | None = None
    clock: time | None = None
    leftover: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        if day is None and word in RELATIVE_DAYS:
            day = today + timedelta(days=RELATIVE_DAYS[word])
        elif day is None and word in NEXT_WORDS and following in WEEKDAYS:
            day = _next_weekday(today, WEEKDAYS[following], strictly_next_week=word in {"volgende", "next"})
            index += 1
        elif day is None and word in WEEKDAYS and (word not in {"do", "wo", "di", "ma", "vr", "za", "zo"} or index == 0):
            day = _next_weekday(today, WEEKDAYS[word], strictly_next_week=False)
        elif day is None and (match := _ISO_DATE.match(word)):
            day = _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if day is None:
                return None, None, [word]
        elif day is None and (match := _NUMERIC_DATE.match(word)) and _numeric_date(today, match):
            day = _numeric_date(today, match)
        elif day is None and word.isdigit() and following is not None and following.rstrip(".") in MONTHS:
            year = None
            skip = 1
            after = words[index + 2] if index + 2 < len(words) else None
            if after is not None and re.fullmatch(r"\d{4}", after):
                year, skip = int(after), 2
            day = _day_in_year(today, int(word), MONTHS[following.rstrip(".")], year)
            if day is None:
                return None, None, [word]
            index += skip
        elif day is None and word.rstrip(".") in MONTHS and following is not None and re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", following):
            # English order: "December 10" / "Dec 10th"
            day = _day_in_year(today, int(re.sub(r"\D", "", following)), MONTHS[word.rstrip(".")], None)
            if day is None:
                return None, None, [word]
            index += 1
        elif clock is None and (parsed := _clock(word)) is not None:
            clock = parsed
        elif word in {"noon", "middag", "'s"}:
            if word in {"noon", "middag"} and clock is None:
                clock = time(12, 0)
        else:
            leftover.append(word)
        index += 1
    return day, clock, leftover


def _numeric_date(today: date, match: re.Match[str]) -> date | None:
    """10/12, 10-12-2026, 10.12.26 (day first, as in Belgium)."""
    year = match.group(3)
    return _day_in_year(today, int(match.group(1)), int(match.group(2)), _full_year(year) if year else None)


def _clock(word: str) -> time | None:
    match = _CLOCK.match(word)
    if not match:
        return None
    hour = int(match.group(1))
    minute = int(match.group(2) or match.group(3) or 0)
    suffix = match.group(4)
    plain_number = match.group(2) is None and match.group(3) is None and suffix is None and not word.endswith(("u", "uur"))
    if plain_number:
        return None  # "14" alone is not clearly a time
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if suffix and not 1 <= int(match.group(1)) <= 12:
        return None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def _next_weekday(today: date, weekday: int, *, strictly_next_week: bool) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0:
        ahead = 7
    if strictly_next_week and ahead < 7 and (today + timedelta(days=ahead)).isocalendar()[1] == today.isocalendar()[1]:
        # "volgende donderdag" said on a Monday means the Thursday of next week.
        ahead += 7
    return today + timedelta(days=ahead)


def _full_year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_in_year(today: date, day: int, month: int, year: int | None) -> date | None:
    """Without a year: this year, or next year when the date has passed."""
    if year is not None:
        return _make_date(year, month, day)
    candidate = _make_date(today.year, month, day)
    if candidate is None:
        candidate = _make_date(today.year + 1, month, day)  # 29 February
        return candidate
    if candidate < today:
        return _make_date(today.year + 1, month, day)
    return candidate
