"""The .ics invitation for the next session: parsed back with icalendar, and read as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.documents.calendar import session_invite

BRUSSELS = ZoneInfo("Europe/Brussels")
STAMP = datetime(2025, 5, 20, 8, 30, 15, tzinfo=UTC)
DESCRIPTION = (
    "Tweede sessie van de kopgroep: droombeelden bespreken; daarna doelstellingen.\n"
    "Breng je ingevulde sjabloon mee, of stuur het vooraf naar de bot. "
    "Agenda: 1) synthese, 2) droombeelden per thema, 3) SMART-doelstellingen (specifiek, meetbaar, "
    "acceptabel, realistisch, tijdgebonden) – koffie voorzien ☕"
)


def _invite(**changes) -> bytes:
    values = {
        "uid": "sessie-42@kopgroep",
        "starts_at": datetime(2025, 6, 3, 14, 0, tzinfo=BRUSSELS),
        "title": "Kopgroep MVO: sessie 3, droombeelden",
        "description": DESCRIPTION,
        "location": "Gemeentehuis, zaal 2; Markt 1, 8870 Izegem",
        "organiser_name": "An Peeters, MVO-coördinator",
        "stamp": STAMP,
    }
    values.update(changes)
    return session_invite(**values)


def _event(data: bytes):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _unfolded(data: bytes) -> str:
    return data.decode("utf-8").replace("\r\n ", "")


def test_fields_round_trip_through_icalendar():
    calendar, event = _event(_invite())
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Kopgroep//")
    assert str(event["UID"]) == "sessie-42@kopgroep"
    assert str(event["SUMMARY"]) == "Kopgroep MVO: sessie 3, droombeelden"
    assert str(event["DESCRIPTION"]) == DESCRIPTION
    assert str(event["LOCATION"]) == "Gemeentehuis, zaal 2; Markt 1, 8870 Izegem"
    assert str(event["CONTACT"]) == "An Peeters, MVO-coördinator"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTAMP") == STAMP


def test_times_are_utc_and_the_same_moment_as_in_brussels():
    data = _invite()
    _, event = _event(data)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2025, 6, 3, 14, 0, tzinfo=BRUSSELS)  # 12:00 UTC, summer time
    assert start.utcoffset() == timedelta(0)
    assert end - start == timedelta(minutes=120)
    text = _unfolded(data)
    assert "DTSTART:20250603T120000Z\r\n" in text
    assert "DTEND:20250603T140000Z\r\n" in text
    assert "DTSTAMP:20250520T083015Z\r\n" in text
    assert "VTIMEZONE" not in text and "TZID" not in text


def test_winter_time_and_duration():
    _, event = _event(_invite(starts_at=datetime(2025, 12, 9, 19, 30, tzinfo=BRUSSELS), duration_minutes=90))
    assert event.decoded("DTSTART") == datetime(2025, 12, 9, 18, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2025, 12, 9, 20, 0, tzinfo=UTC)


def test_commas_semicolons_and_newlines_are_escaped_and_long_lines_folded():
    data = _invite()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # octets, also with "ö", "–" and "☕"
    assert any(line.startswith(b" ") for line in lines)  # the description was folded
    assert b"\n" not in data.replace(b"\r\n", b"")
    text = _unfolded(data)
    assert "LOCATION:Gemeentehuis\\, zaal 2\\; Markt 1\\, 8870 Izegem\r\n" in text
    assert "droombeelden bespreken\\; daarna doelstellingen.\\nBreng je" in text
    assert "SUMMARY:Kopgroep MVO: sessie 3\\, droombeelden\r\n" in text
    assert "CONTACT:An Peeters\\, MVO-coördinator\r\n" in text


def test_a_new_version_keeps_the_uid_and_raises_the_sequence():
    first = _event(_invite())[1]
    moved = _event(
        _invite(starts_at=datetime(2025, 6, 10, 14, 0, tzinfo=BRUSSELS), sequence=1, stamp=STAMP + timedelta(days=2))
    )[1]
    assert str(moved["UID"]) == str(first["UID"])
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTAMP") > first.decoded("DTSTAMP")
    assert moved.decoded("DTSTART") - first.decoded("DTSTART") == timedelta(days=7)


def test_no_location_and_control_characters():
    data = _invite(location=None, description="Eerste regel\r\ntweede\x07 regel\x00", title="Sessie\x1b 4")
    _, event = _event(data)
    assert "LOCATION" not in event
    assert str(event["DESCRIPTION"]) == "Eerste regel\ntweede regel"
    assert str(event["SUMMARY"]) == "Sessie 4"
    _, event = _event(_invite(location="  ", description=""))
    assert "LOCATION" not in event and "DESCRIPTION" not in event


def test_any_aware_time_zone_gives_the_same_moment():
    a = _event(_invite(starts_at=datetime(2025, 6, 3, 14, 0, tzinfo=BRUSSELS)))[1]
    b = _event(_invite(starts_at=datetime(2025, 6, 3, 8, 0, tzinfo=timezone(timedelta(hours=-4)))))[1]
    assert a.decoded("DTSTART") == b.decoded("DTSTART")


def test_stamp_defaults_to_now():
    before = datetime.now(UTC).replace(microsecond=0)
    _, event = _event(_invite(stamp=None))
    assert before <= event.decoded("DTSTAMP") <= datetime.now(UTC)


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": datetime(2025, 6, 3, 14, 0)},
        {"uid": " "},
        {"title": ""},
        {"duration_minutes": 0},
        {"duration_minutes": 24 * 60 + 1},
        {"sequence": -1},
    ],
)
def test_bad_arguments_are_refused(changes):
    with pytest.raises(ValueError):
        _invite(**changes)
