"""A calendar invitation (.ics, RFC 5545) for the next session, for Outlook, Google and Apple.

Times are written in UTC (``DTSTART:20250603T130000Z``): every calendar converts them to the
reader's own time zone, and no VTIMEZONE is needed. ``METHOD:PUBLISH`` makes it a plain
event to add, not a meeting request that expects an answer. The UID stays the same for a
session: a new file with the same UID and a higher ``sequence`` replaces the earlier one.

Pure logic: plain data in, bytes out.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//Kopgroep//Kopgroep bot//NL"
MAX_DURATION_MINUTES = 24 * 60


def _text(value: str) -> str:
    """Control characters out (line breaks kept as \\n); icalendar escapes and folds the rest."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in value if char == "\n" or unicodedata.category(char) not in ("Cc", "Cs")).strip()


def _line(value: str) -> str:
    return " ".join(_text(value).split())


def session_invite(
    *,
    uid: str,
    starts_at: datetime,
    duration_minutes: int = 120,
    title: str,
    description: str,
    location: str | None,
    organiser_name: str,
    sequence: int = 0,
    stamp: datetime | None = None,
) -> bytes:
    """The .ics file. ``stamp`` (aware; default now) is DTSTAMP and LAST-MODIFIED.

    Raises ValueError on a naive time, an empty uid or title, a duration outside 1 minute to 24
    hours, or a negative sequence.
    """
    uid = _line(uid)
    title = _line(title)
    if not uid or not title:
        raise ValueError("uid and title must not be empty")
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise ValueError("starts_at must be timezone-aware")
    if not 0 < duration_minutes <= MAX_DURATION_MINUTES:
        raise ValueError("duration_minutes must be between 1 and 1440")
    if sequence < 0:
        raise ValueError("sequence must not be negative")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    start = starts_at.astimezone(UTC).replace(microsecond=0)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=duration_minutes))
    event.add("summary", title)
    description = _text(description)
    if description:
        event.add("description", description)
    location = _line(location or "")
    if location:
        event.add("location", location)
    organiser = _line(organiser_name)
    if organiser:
        # ORGANIZER needs an e-mail address, and one would make Outlook treat the file as a
        # meeting to answer; CONTACT holds a name as plain text
        event.add("contact", organiser)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()
