"""Goal follow-up, the pure part: values as owners type them, deadlines as goals state them, the
rhythm of the rounds, and whether a goal is on its path from start value to target. No Telegram, no SQL.

A goal's parts are free text ("12% in 2025", "30%", "eind 2027"). The unit of its indicator is
the unit written after the target's number (else the start value's); a reported value must be a
number, and when it carries a unit, that unit. The path is a straight line from the start value
on the day follow-up started to the target on the deadline: a value on or past the line is on
time, below it behind, at or past the target done.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

CADENCES = {"monthly": 1, "quarterly": 3}
DEFAULT_CADENCE = "quarterly"
MAX_ROUNDS = 40  # regular rounds planned at most (ten years quarterly)
HORIZON_DAYS = 366  # without any deadline: one year of rounds
TOLERANCE = 0.02  # share of the way from start to target a value may lag and still be on time

# --- values ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*([-+−]?)\s*(\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)")
# Units written in several ways, mapped to one spelling.
_UNIT_ALIASES = {
    "%": "%",
    "procent": "%",
    "percent": "%",
    "pct": "%",
    "€": "euro",
    "eur": "euro",
    "euro": "euro",
    "euros": "euro",
    "kilometer": "km",
    "kilometers": "km",
    "km": "km",
    "kwh": "kwh",
    "mwh": "mwh",
    "ton": "ton",
    "tonnen": "ton",
    "tons": "ton",
    "kg": "kg",
    "kilo": "kg",
}
_WORD = re.compile(r"[^\W\d_]+|%|€", re.UNICODE)
# Words after a number that are no unit: "12% in 2025", "30 tegen 2027".
_NOT_UNITS = frozenset(
    "in tegen voor tot eind einde begin by before until end of per op van de het een en and the a at"
    " jaar jaarlijks year yearly".split()
)


@dataclass(frozen=True)
class Amount:
    value: float
    unit: str | None  # normalised ("%", "euro", "km", or the word as written, lower case)
    rest: str  # what follows the number and its unit


def _number(text: str) -> tuple[float, str] | None:
    """The number a text starts with, Flemish or English style ("1.250,5", "12,5", "12.5")."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    sign, digits = match.groups()
    if re.fullmatch(r"\d{1,3}(?:[.\s]\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(".", "").replace(" ", "")  # thousands separators
    value = float(digits.replace(",", "."))
    return (-value if sign in ("-", "−") else value), text[match.end() :]


def _unit(word: str) -> str:
    return _UNIT_ALIASES.get(word, word)


def parse_amount(text: str | None) -> Amount | None:
    """The first number in ``text`` and the unit right after it: "12% in 2025" -> (12, "%")."""
    if not text:
        return None
    clean = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").strip()
    start = re.search(r"[-+−]?\d", clean)
    if start is None:
        return None
    found = _number(clean[start.start() :])
    if found is None:
        return None
    value, rest = found
    rest = rest.lstrip()
    unit = None
    word = _WORD.match(rest.casefold())
    if word is not None and word.group(0) not in _NOT_UNITS:
        unit = _unit(word.group(0))
        rest = rest[word.end() :]
    return Amount(value, unit, rest.strip(" \t-–—:;,."))


def goal_unit(baseline: str | None, target: str | None) -> str | None:
    """The indicator's unit: the target's, else the start value's."""
    for text in (target, baseline):
        amount = parse_amount(text)
        if amount is not None and amount.unit is not None:
            return amount.unit
    return None


@dataclass(frozen=True)
class ValueCheck:
    ok: bool
    value: float | None = None
    note: str | None = None  # the words after the value: "what happened", when given with it
    problem: str | None = None  # not_number | wrong_unit
    unit: str | None = None  # the unit given, when it is the wrong one


def check_value(text: str | None, unit: str | None) -> ValueCheck:
    """An owner's answer: a number (in the goal's unit when one is given), maybe a line after it.

    The number must come first ("18", "18%", "18 % - twee stallingen erbij"); a different unit
    than the goal's is refused, never converted.
    """
    if not text or not text.strip():
        return ValueCheck(False, problem="not_number")
    clean = unicodedata.normalize("NFKC", text).strip()
    if _number(clean) is None:
        return ValueCheck(False, problem="not_number")
    amount = parse_amount(clean)
    assert amount is not None
    given, note = amount.unit, amount.rest
    if given is not None and given != unit and given not in _UNIT_ALIASES.values():
        # Not a unit we know nor the goal's: the line starts right after the number ("5 nieuwe fietsen").
        given, note = None, clean[len(clean) - len(_number(clean)[1]) :].strip(" \t-–—:;,.")
    if given is not None and unit is not None and given != unit:
        return ValueCheck(False, problem="wrong_unit", unit=given)
    return ValueCheck(True, value=amount.value, note=note or None)


def shown(value: float) -> str:
    """A value as people write it: no ".0", a decimal comma is left to the templates' locale."""
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.3e}"


# --- deadlines ---------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            (),
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("maart", "march", "mrt", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augustus", "august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_YEAR = r"((?:19|20)\d{2})"


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_day(text: str | None) -> date | None:
    """The day a goal's deadline text names, the last day of a month, quarter or year it names:
    "31/12/2027", "2027-06-30", "15 maart 2027", "juni 2027", "Q3 2027", "eind 2027", "tegen 2027"."""
    if not text:
        return None
    t = unicodedata.normalize("NFKC", text).casefold()
    if m := re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]" + _YEAR + r"\b", t):
        day, month, year = (int(g) for g in m.groups())
        return _safe(year, month, day)
    if m := re.search(r"\b" + _YEAR + r"-(\d{1,2})-(\d{1,2})\b", t):
        year, month, day = (int(g) for g in m.groups())
        return _safe(year, month, day)
    months = "|".join(sorted(_MONTHS, key=len, reverse=True))
    if m := re.search(rf"\b(\d{{1,2}})\s+({months})\.?\s+{_YEAR}\b", t):
        return _safe(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    if m := re.search(rf"\b({months})\.?\s+{_YEAR}\b", t):
        return _last_day(int(m.group(2)), _MONTHS[m.group(1)])
    if m := re.search(r"\b[qk]([1-4])\s*" + _YEAR + r"\b", t):
        return _last_day(int(m.group(2)), int(m.group(1)) * 3)
    if m := re.search(r"\b" + _YEAR + r"\b", t):
        return date(int(m.group(1)), 12, 31)
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- the rhythm ---------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it has fewer)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def round_moments(started: datetime, cadence: str, until: date | None, after: datetime) -> list[datetime]:
    """The regular rounds: every ``cadence`` from ``started``, later than ``after``, up to the last
    deadline ``until`` (one year when no goal has one); at most ``MAX_ROUNDS``."""
    step = CADENCES[cadence]
    last = until or (started + timedelta(days=HORIZON_DAYS)).date()
    out = []
    k = 1
    while len(out) < MAX_ROUNDS:
        moment = add_months(started, step * k)
        if moment.date() > last:
            break
        if moment > after:
            out.append(moment)
        k += 1
    return out


# --- on time or behind ------------------------------------------------------------------------

DONE, ON_TRACK, BEHIND, NO_REPORT, UNKNOWN = "done", "on_track", "behind", "no_report", "unknown"
STATUSES = (ON_TRACK, BEHIND, DONE, NO_REPORT, UNKNOWN)


@dataclass(frozen=True)
class Path:
    """A goal's line from start to target; ``start_day``/``end_day`` bound it in time."""

    start: float | None
    target: float | None
    start_day: date
    end_day: date | None

    def expected(self, day: date) -> float | None:
        """Where the goal should stand on ``day``."""
        if self.start is None or self.target is None:
            return None
        if self.end_day is None or self.end_day <= self.start_day:
            return self.target if self.end_day is not None and day >= self.end_day else None
        share = (day - self.start_day).days / (self.end_day - self.start_day).days
        return self.start + (self.target - self.start) * min(1.0, max(0.0, share))


def status(path: Path, reports: list[tuple[date, float]]) -> str:
    """done | on_track | behind | no_report | unknown (no number to compare with) for the latest report."""
    if not reports:
        return NO_REPORT
    # The latest report counts; of several on one day, the last given (a correction).
    day, value = max(reversed(reports), key=lambda item: item[0])
    if path.target is None:
        return UNKNOWN
    start = path.start if path.start is not None else reports[0][1]
    direction = 1.0 if path.target >= start else -1.0
    if (value - path.target) * direction >= 0 and path.target != start or value == path.target:
        return DONE
    expected = path.expected(day)
    if expected is None:
        # No deadline to pace it: moving towards the target (or holding) is on time.
        return ON_TRACK if (value - start) * direction >= 0 else BEHIND
    slack = abs(path.target - start) * TOLERANCE
    return ON_TRACK if (value - expected) * direction >= -slack else BEHIND


def path_of(baseline: str | None, target: str | None, start_day: date, end_day: date | None) -> Path:
    start, goal = parse_amount(baseline), parse_amount(target)
    return Path(start.value if start else None, goal.value if goal else None, start_day, end_day)
