"""The pure part of the goal follow-up: values as owners type them, units, deadlines, the rhythm,
and on time or behind on the path from start value to target."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from method import followup as m


@pytest.mark.parametrize(
    ("text", "unit", "value", "note", "problem"),
    [
        ("18", "%", 18.0, None, None),
        ("18%", "%", 18.0, None, None),
        ("18 procent", "%", 18.0, None, None),
        ("18 % - twee stallingen erbij", "%", 18.0, "twee stallingen erbij", None),
        ("12,5%", "%", 12.5, None, None),
        ("1.250 euro", "euro", 1250.0, None, None),
        ("1.250,5 €", "euro", 1250.5, None, None),
        ("-3%", "%", -3.0, None, None),
        ("40.000 km; nieuwe fietsroute", "km", 40000.0, "nieuwe fietsroute", None),
        ("5 zalen, de leidingen liggen er", "zalen", 5.0, "de leidingen liggen er", None),
        ("5 nieuwe fietsen", None, 5.0, "nieuwe fietsen", None),
        ("5 nieuwe fietsen", "%", 5.0, "nieuwe fietsen", None),  # not a unit: the line starts there
        ("18 km", "%", None, None, "wrong_unit"),
        ("18%", "km", None, None, "wrong_unit"),
        ("300 euro", "ton", None, None, "wrong_unit"),
        ("ongeveer 18", "%", None, None, "not_number"),
        ("achttien", "%", None, None, "not_number"),
        ("", "%", None, None, "not_number"),
        ("  ", None, None, None, "not_number"),
    ],
)
def test_values_are_checked(
    text: str, unit: str | None, value: float | None, note: str | None, problem: str | None
) -> None:
    check = m.check_value(text, unit)
    assert (check.ok, check.value, check.note, check.problem) == (problem is None, value, note, problem)


def test_the_unit_comes_from_the_target_then_the_start() -> None:
    assert m.goal_unit("12% in 2025", "30%") == "%"
    assert m.goal_unit("40.000 km per jaar", "60.000") == "km"
    assert m.goal_unit("2 zalen in 2026", "12 zalen") == "zalen"
    assert m.goal_unit("nog niet gemeten", "veel meer") is None
    assert m.parse_amount("12% in 2025") == m.Amount(12.0, "%", "in 2025")
    assert m.parse_amount("30 tegen 2027") == m.Amount(30.0, None, "tegen 2027")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("31/12/2027", date(2027, 12, 31)),
        ("1.3.2027", date(2027, 3, 1)),
        ("2027-06-30", date(2027, 6, 30)),
        ("15 maart 2027", date(2027, 3, 15)),
        ("15 March 2027", date(2027, 3, 15)),
        ("juni 2027", date(2027, 6, 30)),
        ("feb 2028", date(2028, 2, 29)),
        ("Q3 2027", date(2027, 9, 30)),
        ("K1 2028", date(2028, 3, 31)),
        ("eind 2027", date(2027, 12, 31)),
        ("tegen 2027", date(2027, 12, 31)),
        ("31/02/2027", None),
        ("binnen 18 maanden", None),
        ("zo snel mogelijk", None),
        (None, None),
    ],
)
def test_deadlines_as_days(text: str | None, day: date | None) -> None:
    assert m.deadline_day(text) == day


def test_rounds_follow_the_rhythm_up_to_the_last_deadline() -> None:
    start = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    quarterly = m.round_moments(start, "quarterly", date(2026, 12, 31), start)
    assert [moment.date().isoformat() for moment in quarterly] == ["2026-04-30", "2026-07-31", "2026-10-31"]
    monthly = m.round_moments(start, "monthly", date(2026, 4, 30), datetime(2026, 3, 1, tzinfo=UTC))
    assert [moment.date().isoformat() for moment in monthly] == ["2026-03-31", "2026-04-30"]
    assert len(m.round_moments(start, "quarterly", None, start)) == 4  # a year without any deadline
    assert len(m.round_moments(start, "monthly", date(2060, 1, 1), start)) == m.MAX_ROUNDS


PATH = m.Path(12.0, 30.0, date(2027, 1, 1), date(2028, 1, 1))  # +18 points in 365 days


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        ([], m.NO_REPORT),
        ([(date(2027, 7, 2), 21.0)], m.ON_TRACK),  # halfway, halfway there
        ([(date(2027, 7, 2), 20.7)], m.ON_TRACK),  # within 2% of the way
        ([(date(2027, 7, 2), 19.0)], m.BEHIND),
        ([(date(2027, 3, 1), 30.0)], m.DONE),
        ([(date(2027, 3, 1), 35.0)], m.DONE),
        ([(date(2028, 6, 1), 29.0)], m.BEHIND),  # past the deadline, not there
        ([(date(2027, 7, 2), 19.0), (date(2027, 2, 1), 30.0)], m.BEHIND),  # the latest counts
        ([(date(2027, 3, 1), 18.0), (date(2027, 3, 1), 31.0)], m.DONE),  # of one day, the last given
        ([(date(2027, 3, 1), 31.0), (date(2027, 3, 1), 18.0)], m.ON_TRACK),
    ],
)
def test_on_time_or_behind(reports: list[tuple[date, float]], expected: str) -> None:
    assert m.status(PATH, reports) == expected


def test_a_goal_that_goes_down_and_one_without_numbers() -> None:
    down = m.Path(100.0, 60.0, date(2027, 1, 1), date(2028, 1, 1))  # less paper: 100 -> 60 ton
    assert m.status(down, [(date(2027, 7, 2), 80.0)]) == m.ON_TRACK
    assert m.status(down, [(date(2027, 7, 2), 90.0)]) == m.BEHIND
    assert m.status(down, [(date(2027, 7, 2), 55.0)]) == m.DONE
    no_deadline = m.Path(12.0, 30.0, date(2027, 1, 1), None)
    assert m.status(no_deadline, [(date(2027, 7, 2), 13.0)]) == m.ON_TRACK
    assert m.status(no_deadline, [(date(2027, 7, 2), 11.0)]) == m.BEHIND
    assert m.status(m.Path(None, None, date(2027, 1, 1), None), [(date(2027, 7, 2), 11.0)]) == m.UNKNOWN
    assert m.path_of("12% in 2025", "30%", date(2027, 1, 1), None) == m.Path(12.0, 30.0, date(2027, 1, 1), None)
