"""Reading the council's decision as the moderator types it. No Telegram, no SQL.

``/beslissing goedgekeurd 12 december 2026 Het college gaat akkoord met de drie thema's``: an
outcome word (Dutch or English), a date in any form method/dates.py understands, then remarks
(optional). A date without a year is the last such day, unless it lies within the coming month
(a decision recorded just ahead of the meeting): "12 november" typed on 27 November 2026 is
12 November 2026, "12 december" is 12 December 2026, "12 juni" is 12 June 2026.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from method.dates import FILLERS, Moment, parse_moment
from method.text_input import clean_text

OUTCOME_WORDS = {
    "goedgekeurd": "approved",
    "goedkeuring": "approved",
    "akkoord": "approved",
    "approved": "approved",
    "approve": "approved",
    "afgekeurd": "rejected",
    "afgewezen": "rejected",
    "rejected": "rejected",
    "reject": "rejected",
    "uitgesteld": "postponed",
    "uitstel": "postponed",
    "postponed": "postponed",
    "postpone": "postponed",
}
MAX_REMARKS = 2000
MAX_DATE_WORDS = 6  # "volgende donderdag 12 december 2026 om" is as long as a date gets
AHEAD = timedelta(days=31)  # a year-less date this far ahead is still this year's
FAR = timedelta(days=366)  # a date further away than this (either way) is a typo
_YEAR = re.compile(r"\b\d{4}\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class DecisionInput:
    outcome: str  # approved | rejected | postponed
    decided_on: date
    remarks: str | None


@dataclass(frozen=True)
class DecisionProblem:
    code: str  # empty | outcome | date | weekday | far | long
    moment: Moment | None = None  # with "weekday": the weekday and the date that disagree


def parse_outcome(word: str) -> str | None:
    return OUTCOME_WORDS.get(word.strip().lower().rstrip(".,:;!"))


def parse_decision(text: str, today: date) -> DecisionInput | DecisionProblem:
    """The whole command's arguments: outcome, date, remarks."""
    words = text.split(maxsplit=1)
    if not words:
        return DecisionProblem("empty")
    outcome = parse_outcome(words[0])
    if outcome is None:
        return DecisionProblem("outcome")
    return parse_date_and_remarks(outcome, words[1] if len(words) > 1 else "", today)


def parse_date_and_remarks(outcome: str, text: str, today: date) -> DecisionInput | DecisionProblem:
    """A date at the start of ``text``, the rest as remarks (the guided version's answer)."""
    words = text.split()
    found = _date_prefix(words, today)
    if isinstance(found, Moment):
        return DecisionProblem("weekday", found)
    if found is None:
        return DecisionProblem("date")
    decided_on, used = found
    if abs(decided_on - today) > FAR:
        return DecisionProblem("far")
    rest = text
    for word in words[:used]:  # keep the remarks' own line breaks and spacing
        rest = rest.split(word, 1)[1] if word in rest else rest
    remarks = None
    if rest.strip():
        cleaned = clean_text(rest.strip(" ,;:-–"), MAX_REMARKS)
        if not cleaned.ok and cleaned.problem == "long":
            return DecisionProblem("long")
        remarks = cleaned.value
    return DecisionInput(outcome, decided_on, remarks)


def _date_prefix(words: list[str], today: date) -> tuple[date, int] | Moment | None:
    """The longest run of first words that is a date, without trailing filler words; a weekday that
    does not match its date is that moment (asked back, never a shorter guess)."""
    now = datetime.combine(today, time(12, 0), UTC)
    for count in range(min(len(words), MAX_DATE_WORDS), 0, -1):
        day = _day(words[:count], now, today)
        if isinstance(day, Moment):
            return day
        if day is None:
            continue
        while count > 1 and words[count - 1].lower() in FILLERS and _day(words[: count - 1], now, today) == day:
            count -= 1  # "12 december de gemeenteraad ...": "de" belongs to the remarks
        return day, count
    return None


def _day(words: list[str], now: datetime, today: date) -> date | Moment | None:
    phrase = " ".join(word.rstrip(":") for word in words)
    moment = parse_moment(phrase, now=now, tz=_UTC, need_time=False, allow_past=True)
    if moment.problem == "weekday":
        return moment
    if not moment.ok or moment.value is None:
        return None
    day = moment.value.date()
    if not _YEAR.search(phrase) and day > today + AHEAD:
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            day = day.replace(year=day.year - 1, day=28)
    return day
