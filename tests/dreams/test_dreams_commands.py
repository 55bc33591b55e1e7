"""The moderator's typed processing steps and the reminder moments: what is understood, what not."""

from __future__ import annotations

import pytest

from method.dreams.commands import MAX_HOURS, MAX_MOMENTS, Edit, parse_edit, parse_hours


@pytest.mark.parametrize(
    "text, edit",
    [
        ("3+7", Edit("merge", (3, 7))),
        (" #3 + #7 ", Edit("merge", (3, 7))),
        ("3 & 7", Edit("merge", (3, 7))),
        ("samenvoegen 3 en 7", Edit("merge", (3, 7))),
        ("Merge 3 and 7", Edit("merge", (3, 7))),
        ("7 onder 3", Edit("group", (7, 3))),
        ("7 UNDER 3", Edit("group", (7, 3))),
        (
            "3: Het gemeentepersoneel geeft het goede voorbeeld:",
            Edit("rephrase", (3,), "Het gemeentepersoneel geeft het goede voorbeeld:"),
        ),
        ("3 : -", Edit("rephrase", (3,), None)),
        ("7 weg", Edit("remove", (7,))),
        ("schrap 7", Edit("remove", (7,))),
        ("7 remove", Edit("remove", (7,))),
        ("7 terug", Edit("restore", (7,))),
        ("restore 7", Edit("restore", (7,))),
    ],
)
def test_processing_steps_are_understood(text: str, edit: Edit) -> None:
    assert parse_edit(text) == edit


@pytest.mark.parametrize(
    "text",
    ["3 fietsenstallingen voor het personeel", "Een autovrije dag", "3+", "+7", "3 onder", "weg", "3 7", "", "3:"],
)
def test_other_text_is_not_a_processing_step(text: str) -> None:
    """A moderator writes dream images too: only the exact forms are taken as steps."""
    assert parse_edit(text) is None


@pytest.mark.parametrize(
    "words, hours",
    [
        (["72", "24"], (72, 24)),
        (["24,", "72"], (72, 24)),
        (["3d", "1d"], (72, 24)),
        (["2", "dagen", "2", "uur"], (48, 2)),
        (["36u", "36h"], (36,)),
        (["1", "day"], (24,)),
        (["geen"], ()),
        (["none"], ()),
    ],
)
def test_reminder_moments(words: list[str], hours: tuple[int, ...]) -> None:
    assert parse_hours(words) == hours


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["0"],
        ["morgen"],
        ["72", "soms"],
        [str(MAX_HOURS + 1)],
        ["31d"],
        [str(n) for n in range(1, MAX_MOMENTS + 2)],
        ["-5"],
    ],
)
def test_unclear_reminder_moments(words: list[str]) -> None:
    assert parse_hours(words) is None
