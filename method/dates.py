"""Understanding the dates and times people type, in Dutch and English. No Telegram here.

``parse_moment("donderdag 10 december 14u", now=..., tz=...)`` gives an aware datetime in the
group's time zone, or says why it could not:

- ``empty``: nothing written;
- ``unclear``: not understood, or a day without a time when a time is needed;
- ``past``: the moment has passed;
- ``weekday``: a weekday and a date that do not agree ("dinsdag 10 december" when the 10th is a
  Thursday). The moment is then asked back, never guessed: ``weekday_given`` and ``day`` say what
  was written, so the answer can name the real weekday.

Understood, besides plain dates and times: a weekday before the date ("do 10/12 14u"), next week
("volgende week donderdag", "Thursday next week"), a time range ("15/12 19u30-21u", "van 14u tot
16u", "7-9pm": the start is the moment, ``end`` the end), parts of the day ("'s avonds", "in de
namiddag", "morgenavond", "in the evening"), with or without an hour ("8u 's avonds" is 20:00;
alone they stand for a usual hour, and ``day_part`` says the hour was assumed), "half acht",
"kwart over 7", "noon".
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
}  # fmt: skip
WEEKDAYS = {
    "maandag": 0, "ma": 0, "dinsdag": 1, "di": 1, "woensdag": 2, "wo": 2, "donderdag": 3, "do": 3,
    "vrijdag": 4, "vr": 4, "zaterdag": 5, "za": 5, "zondag": 6, "zo": 6,
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
# Two-letter Dutch abbreviations are ordinary words too ("zo", "do"): a weekday only first, or before a date.
SHORT_WEEKDAYS = frozenset({"ma", "di", "wo", "do", "vr", "za", "zo"})
RELATIVE_DAYS = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
NEXT_WORDS = {"volgende", "komende", "next", "this", "deze", "aanstaande", "eerstvolgende"}
WEEK_WORDS = {"week"}
FILLERS = {
    "om", "at", "op", "on", "de", "the", "van", "of", "rond", "around", "vanaf", "from", "in", "het",
    "ongeveer", "about", "tegen", "by",
}  # fmt: skip
RANGE_WORDS = {"-", "–", "—", "tot", "to", "until", "till", "tot en met"}

# A part of the day and the hour it stands for when no hour is given (a usual meeting hour).
DAY_PARTS = {
    "morning": time(9, 0),
    "noon": time(12, 0),
    "afternoon": time(14, 0),
    "evening": time(19, 0),
}
_PART_WORDS = {
    "s_ochtends": "morning", "ochtend": "morning", "s_morgens": "morning", "voormiddag": "morning",
    "s_voormiddags": "morning", "morning": "morning",
    "middag": "noon", "s_middags": "noon", "noon": "noon", "midday": "noon",
    "namiddag": "afternoon", "s_namiddags": "afternoon", "afternoon": "afternoon",
    "avond": "evening", "s_avonds": "evening", "evening": "evening",
}  # fmt: skip
# One word for a day and its part: "morgenavond", "vanavond", "tonight".
_DAY_AND_PART = {
    "vanochtend": (0, "morning"), "vanmorgen": (0, "morning"), "vanvoormiddag": (0, "morning"),
    "vanmiddag": (0, "noon"), "vannamiddag": (0, "afternoon"), "vanavond": (0, "evening"),
    "tonight": (0, "evening"),
    "morgenochtend": (1, "morning"), "morgenvroeg": (1, "morning"), "morgenvoormiddag": (1, "morning"),
    "morgenmiddag": (1, "noon"), "morgennamiddag": (1, "afternoon"), "morgenavond": (1, "evening"),
}  # fmt: skip
NUMBER_WORDS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


@dataclass(frozen=True)
class Moment:
    """The outcome of parsing: a moment, or the reason there is none."""

    value: datetime | None
    problem: str | None = None  # empty | unclear | past | weekday
    end: datetime | None = None  # the end of a time range: shown, the start is the moment
    day_part: str | None = None  # morning | noon | afternoon | evening, when the hour was assumed from it
    weekday_given: int | None = None  # problem "weekday": the weekday written (0 = Monday) ...
    day: date | None = None  # ... and the date written, which falls on another weekday

    @property
    def ok(self) -> bool:
        return self.value is not None


def parse_moment(text: str, *, now: datetime, tz: ZoneInfo, need_time: bool = True, allow_past: bool = False) -> Moment:
    """Parse a date (and time) as people write them; ``now`` must be aware."""
    words = _normalise(text)
    if not words:
        return Moment(None, "empty")
    local_now = now.astimezone(tz)
    read = _Reader(words, local_now.date()).read()
    if read is None or (read.day is None and read.clock is None and read.part is None and read.weekday is None):
        return Moment(None, "unclear")
    day = read.day
    if read.weekday is not None:
        if day is None:
            day = _next_weekday(local_now.date(), read.weekday, read.next_week, read.next_word)
        elif day.weekday() != read.weekday:
            earlier = _make_date(day.year - 1, day.month, day.day) if allow_past and not read.year_given else None
            if earlier is None or earlier.weekday() != read.weekday:
                return Moment(None, "weekday", weekday_given=read.weekday, day=day)
            day = earlier  # "donderdag 12 november" looking back: the last 12 November that was a Thursday
    clock, assumed = read.clock, None
    if clock is None and read.part is not None:
        clock, assumed = DAY_PARTS[read.part], read.part
    elif clock is not None and read.part is not None:
        clock = _in_part(clock, read.part)
        if clock is None:
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
    end = None
    if read.end is not None:
        end_clock = read.end
        if read.part is not None:
            end_clock = _in_part(end_clock, read.part) or end_clock
        end = datetime.combine(day, end_clock, tz)
        if end <= value:
            end = datetime.combine(day + timedelta(days=1), end_clock, tz)  # "22u-1u": past midnight
    return Moment(value, end=end, day_part=assumed)


def _normalise(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower().strip()
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[,;()]+", " ", text)
    text = re.sub(r"'s[ -]?(ochtends|morgens|middags|namiddags|voormiddags|avonds)\b", r"s_\1", text)
    text = re.sub(r"\bin (de|the) (ochtend|voormiddag|middag|namiddag|avond|morning|afternoon|evening)\b", r"\2", text)
    text = text.replace("tot en met", "tot")
    # "14u30", "14 u", "14h", "2 pm" -> one clock token; keep "10/12", "2026-12-10", "14:00"
    text = re.sub(r"(\d)\s+(u|uur|h|pm|am|p\.m\.|a\.m\.)(?=\s|$|-|–)", r"\1\2", text)
    text = text.replace("p.m.", "pm").replace("a.m.", "am")
    # A time range written as one word ("19u30-21u", "7-9pm"): split around the dash.
    text = re.sub(rf"(?<![\d/.-])({_CLOCKISH})\s*[-–—]\s*({_CLOCKISH})(?![\d/.-])", _split_range, text)
    words = []
    for word in text.split():
        word = word.strip(".!?") if not re.fullmatch(r"\d{1,2}\.\d{1,2}(\.\d{2,4})?", word) else word
        if word and word not in FILLERS:
            words.append(word)
    return words


_CLOCKISH = r"\d{1,2}(?:[:h.u]\d{2})?(?:u|uur|h|am|pm)?"


def _split_range(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    marked = any(mark in left + right for mark in (":", "u", "h", "am", "pm"))
    if not marked:
        return match.group(0)  # "10-12": a date, not a range
    return f"{left} - {right}"


_CLOCK = re.compile(r"^(\d{1,2})(?:[:h.](\d{2}))?(?:u(\d{2})?|uur)?(am|pm)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|de|ste|e)?$")


@dataclass
class _Read:
    day: date | None = None
    weekday: int | None = None
    next_week: bool = False  # "volgende week donderdag": the Thursday of next week
    next_word: bool = False  # "volgende donderdag" / "next Thursday"
    clock: time | None = None
    end: time | None = None
    part: str | None = None
    year_given: bool = False


class _Reader:
    """Reads a day, a weekday, a clock time (or range) and a part of the day from the words."""

    def __init__(self, words: list[str], today: date) -> None:
        self.words = words
        self.today = today
        self.index = 0
        self.found = _Read()

    def peek(self, ahead: int = 0) -> str | None:
        position = self.index + ahead
        return self.words[position] if position < len(self.words) else None

    def read(self) -> _Read | None:
        while self.index < len(self.words):
            if not self._step():
                return None
        return self.found

    def _step(self) -> bool:  # noqa: C901 - one branch per form, in the order they are tried
        found, word, following = self.found, self.peek(), self.peek(1)
        assert word is not None
        if word in {"tot", "until"} and self.index == 0:
            self.index += 1  # "tot vrijdag 17u": a deadline, said as one
            return True
        if found.day is None and word in _DAY_AND_PART and found.part is None:
            offset, found.part = _DAY_AND_PART[word]
            found.day = self.today + timedelta(days=offset)
        elif found.day is None and word in RELATIVE_DAYS:
            found.day = self.today + timedelta(days=RELATIVE_DAYS[word])
        elif word in NEXT_WORDS and following in WEEK_WORDS and not found.next_week:
            found.next_week = True  # "volgende week (donderdag)"
            self.index += 1
        elif found.weekday is None and word in NEXT_WORDS and following is not None and following in WEEKDAYS:
            found.weekday, found.next_word = WEEKDAYS[following], word in {"volgende", "next"}
            self.index += 1
        elif found.weekday is None and word in WEEKDAYS and (word not in SHORT_WEEKDAYS or self._weekday_position()):
            found.weekday = WEEKDAYS[word]
        elif found.day is None and (match := _ISO_DATE.match(word)):
            found.day, found.year_given = _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3))), True
            if found.day is None:
                return False
        elif found.day is None and (match := _NUMERIC_DATE.match(word)) and _numeric_date(self.today, match):
            found.day, found.year_given = _numeric_date(self.today, match), match.group(3) is not None
        elif found.day is None and (match := _ORDINAL.match(word)) and following is not None and following in MONTHS:
            year, skip = None, 1
            after = self.peek(2)
            if after is not None and re.fullmatch(r"\d{4}", after):
                year, skip, found.year_given = int(after), 2, True
            found.day = _day_in_year(self.today, int(match.group(1)), MONTHS[following], year)
            if found.day is None:
                return False
            self.index += skip
        elif found.day is None and word in MONTHS and following is not None and (match := _ORDINAL.match(following)):
            # English order: "December 10" / "Dec 10th" (and a year after it)
            year, skip = None, 1
            after = self.peek(2)
            if after is not None and re.fullmatch(r"\d{4}", after):
                year, skip, found.year_given = int(after), 2, True
            found.day = _day_in_year(self.today, int(match.group(1)), MONTHS[word], year)
            if found.day is None:
                return False
            self.index += skip
        elif found.clock is None and self._spoken_clock():
            return True
        elif found.clock is None and (parsed := _clock(word)) is not None:
            found.clock = parsed
            if following in RANGE_WORDS and (end := self.peek(2)) is not None and (end_clock := _clock(end, loose=True)):
                found.end = end_clock
                self.index += 2
        elif found.clock is None and re.fullmatch(r"\d{1,2}", word) and following in RANGE_WORDS:
            # "7-9pm", "14-16u": the start is a bare number, the end says what it is
            end = self.peek(2)
            end_clock = _clock(end, loose=True) if end is not None else None
            if end_clock is None:
                return False
            start = _clock(word + _suffix_of(end), loose=True)
            if start is None:
                return False
            found.clock, found.end = start, end_clock
            self.index += 2
        elif found.part is None and word in _PART_WORDS:
            found.part = _PART_WORDS[word]
        elif word in {"uur", "u", "h"} and found.clock is not None:
            pass  # "om 8 uur" read as one already
        elif word.isdigit() and found.clock is None and following in _PART_WORDS:
            found.clock = _clock(word + "u")  # "8 's avonds"
            if found.clock is None:
                return False
        else:
            return False
        self.index += 1
        return True

    def _weekday_position(self) -> bool:
        """A short weekday ("do") counts first, or right before a date."""
        following = self.peek(1)
        if self.index == 0:
            return True
        return following is not None and bool(_NUMERIC_DATE.match(following) or _ORDINAL.match(following))

    def _spoken_clock(self) -> bool:
        """"half acht", "half 8", "kwart over 7", "kwart voor 8", "acht uur"."""
        word, following, third = self.peek(), self.peek(1), self.peek(2)
        hour = _hour_word(following)
        if word == "half" and hour is not None:
            self.found.clock = time((hour - 1) % 24, 30)
            self.index += 2
            return True
        if word == "kwart" and following in {"over", "voor"} and (hour := _hour_word(third)) is not None:
            self.found.clock = time(hour % 24, 15) if following == "over" else time((hour - 1) % 24, 45)
            self.index += 3
            return True
        if word in NUMBER_WORDS and following in {"uur", "u", "o'clock"}:
            self.found.clock = time(NUMBER_WORDS[word] % 24, 0)
            self.index += 2
            return True
        return False


def _hour_word(word: str | None) -> int | None:
    if word is None:
        return None
    if word.isdigit() and 1 <= int(word) <= 12:
        return int(word)
    return NUMBER_WORDS.get(word)


def _suffix_of(end: str) -> str:
    for suffix in ("am", "pm", "uur", "u", "h"):
        if end.endswith(suffix):
            return suffix
    return "u" if ":" in end else ""


# The hours a part of the day can mean: "8u 's avonds" is 20:00, "14u 's avonds" is unclear.
_PART_HOURS = {"morning": range(5, 12), "noon": range(11, 16), "afternoon": range(12, 19), "evening": range(17, 24)}


def _in_part(clock: time, part: str) -> time | None:
    """An hour said with a part of the day, on a 24-hour or a 12-hour clock; None when they disagree."""
    for hour in (clock.hour, clock.hour + 12):
        if hour in _PART_HOURS[part]:
            return time(hour, clock.minute)
    return None


def _numeric_date(today: date, match: re.Match[str]) -> date | None:
    """10/12, 10-12-2026, 10.12.26 (day first, as in Belgium)."""
    year = match.group(3)
    return _day_in_year(today, int(match.group(1)), int(match.group(2)), _full_year(year) if year else None)


def _clock(word: str, *, loose: bool = False) -> time | None:
    """A clock time; ``loose`` also takes a bare hour (the end of "van 14 tot 16u" is clear enough)."""
    match = _CLOCK.match(word)
    if not match:
        return None
    hour = int(match.group(1))
    minute = int(match.group(2) or match.group(3) or 0)
    suffix = match.group(4)
    plain_number = match.group(2) is None and match.group(3) is None and suffix is None and not word.endswith(("u", "uur"))
    if plain_number and not loose:
        return None  # "14" alone is not clearly a time
    if suffix and not 1 <= hour <= 12:
        return None
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def _next_weekday(today: date, weekday: int, next_week: bool, next_word: bool) -> date:
    """The weekday to come; "volgende week donderdag" is the Thursday of next week."""
    if next_week:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0:
        ahead = 7
    if next_word and ahead < 7 and (today + timedelta(days=ahead)).isocalendar()[1] == today.isocalendar()[1]:
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
        return _make_date(today.year + 1, month, day)  # 29 February
    if candidate < today:
        return _make_date(today.year + 1, month, day)
    return candidate
