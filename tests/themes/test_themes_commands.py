"""Parsing the moderator's /thema commands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from method.themes.commands import CommandProblem, ThemeCommand, parse_theme_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", ThemeCommand("show", (3,))),
        ("#3", ThemeCommand("show", (3,))),
        ("nieuw Duurzame mobiliteit", ThemeCommand("add", text="Duurzame mobiliteit")),
        ("add Mobility", ThemeCommand("add", text="Mobility")),
        ("hernoem 2 Toegankelijke dienstverlening", ThemeCommand("rename", (2,), text="Toegankelijke dienstverlening")),
        ("beschrijf #4 Alles rond de eigen werking", ThemeCommand("describe", (4,), text="Alles rond de eigen werking")),
        ("verwijder 5", ThemeCommand("remove", (5,))),
        ("splits 1 Energie; Water ;Afval", ThemeCommand("split", (1,), parts=("Energie", "Water", "Afval"))),
        ("groepeer 1,2 Klimaat en energie", ThemeCommand("merge", (1, 2), text="Klimaat en energie")),
        ("merge 1, 2 & 7 Climate", ThemeCommand("merge", (1, 2, 7), text="Climate")),
        ("groepeer 3 4 Samen", ThemeCommand("merge", (3, 4), text="Samen")),
        ("sdg 3 +7 -13 12 SDG5", ThemeCommand("sdg", (3,), add=(7, 12, 5), drop=(13,))),
        ("voorbeeld 2 Gent werkt met een aankoopcharter", ThemeCommand("example", (2,), text="Gent werkt met een aankoopcharter")),
    ],
)
def test_understood(text: str, expected: ThemeCommand) -> None:
    assert parse_theme_command(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "usage"), ("   ", "usage"), ("schilder 3 rood", "usage"), ("3 4", "usage"),
        ("nieuw", "text"), ("nieuw    ", "text"), ("hernoem drie Nieuw", "number"), ("hernoem 3", "text"),
        ("sdg 3 +18", "sdg"), ("sdg 3", "sdg"), ("sdg 3 +x", "sdg"), ("groepeer 3 Alleen", "number"),
        ("groepeer 3,3 Dubbel", "number"), ("groepeer 1,2", "text"), ("splits 1 ;;", "text"), ("verwijder", "number"), ("verwijder 5 extra", "usage"),
    ],
)
def test_refused_with_a_reason(text: str, code: str) -> None:
    assert parse_theme_command(text) == CommandProblem(code)


@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    assert isinstance(parse_theme_command(text), ThemeCommand | CommandProblem)
