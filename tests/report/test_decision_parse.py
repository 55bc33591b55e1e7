"""Reading /beslissing: outcome words in both languages, dates as people write them, remarks kept."""

from __future__ import annotations

from datetime import date

import pytest

from method.decisions import DecisionInput, DecisionProblem, parse_date_and_remarks, parse_decision

TODAY = date(2026, 11, 27)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "goedgekeurd 12 december 2026 Het college gaat akkoord met de drie thema's",
            DecisionInput("approved", date(2026, 12, 12), "Het college gaat akkoord met de drie thema's"),
        ),
        ("approved 12/12/2026", DecisionInput("approved", date(2026, 12, 12), None)),
        ("Afgekeurd 3 november: te vaag", DecisionInput("rejected", date(2026, 11, 3), "te vaag")),
        (
            "uitgesteld 12 juni de gemeenteraad wil cijfers",
            DecisionInput("postponed", date(2026, 6, 12), "de gemeenteraad wil cijfers"),
        ),
        ("postponed today waiting for the budget", DecisionInput("postponed", TODAY, "waiting for the budget")),
        ("rejected 2026-10-01", DecisionInput("rejected", date(2026, 10, 1), None)),
        # Without a year: the last such day, unless within the coming month.
        ("goedgekeurd 12 december", DecisionInput("approved", date(2026, 12, 12), None)),
        ("goedgekeurd 5 februari", DecisionInput("approved", date(2026, 2, 5), None)),
        ("goedgekeurd 12 december 14u Akkoord", DecisionInput("approved", date(2026, 12, 12), "Akkoord")),
        (
            "goedgekeurd 12 december\nRegel een\nRegel twee",
            DecisionInput("approved", date(2026, 12, 12), "Regel een\nRegel twee"),
        ),
    ],
)
def test_good_input(text: str, expected: DecisionInput) -> None:
    assert parse_decision(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ja 12 december", "outcome"),
        ("12 december goedgekeurd", "outcome"),
        ("goedgekeurd", "date"),
        ("goedgekeurd gisteravond", "date"),
        ("goedgekeurd 31 februari 2026", "date"),
        ("goedgekeurd 12/12/2029", "far"),
        ("goedgekeurd 12 december 2026 " + "x" * 2001, "long"),
    ],
)
def test_bad_input_says_why(text: str, code: str) -> None:
    assert parse_decision(text, TODAY) == DecisionProblem(code)


def test_the_guided_answer_is_a_date_and_remarks() -> None:
    assert parse_date_and_remarks("approved", "12 December 2026 Agreed", TODAY) == DecisionInput(
        "approved", date(2026, 12, 12), "Agreed"
    )
    assert parse_date_and_remarks("approved", "next week", TODAY) == DecisionProblem("date")
