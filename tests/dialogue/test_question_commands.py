"""The pure parsers of /vragen, /dialoog and /begrip, and the answer check."""

from __future__ import annotations

import pytest

from method.dialogue import (
    MAX_ANSWER,
    MAX_QUESTION,
    MAX_TERM,
    DialogueCommand,
    Problem,
    QuestionCommand,
    TermCommand,
    clean_answer,
    command_rest,
    parse_dialogue_command,
    parse_question_command,
    parse_term_command,
)


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("/vragen", ""),
        ("/vragen nieuw Wat?", "nieuw Wat?"),
        ("/vragen@kopgroep_bot  wijzig 3 Tekst ", "wijzig 3 Tekst"),
        ("/begrip SDG\nen meer", "SDG\nen meer"),
        (None, ""),
        ("", ""),
    ],
)
def test_command_rest(text: str | None, rest: str) -> None:
    assert command_rest(text) == rest


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("", QuestionCommand("list")),
        ("   ", QuestionCommand("list")),
        ("nieuw Wie betrekken we?", QuestionCommand("add", text="Wie betrekken we?")),
        ("NIEUW   Wie\n betrekken\twe? ", QuestionCommand("add", text="Wie betrekken we?")),
        ("add Who else? 🤝", QuestionCommand("add", text="Who else? 🤝")),
        ("toevoegen <b>vet</b>", QuestionCommand("add", text="<b>vet</b>")),
        ("wijzig 3 Nieuwe tekst", QuestionCommand("edit", number=3, text="Nieuwe tekst")),
        ("edit #3 New text", QuestionCommand("edit", number=3, text="New text")),
        ("change 3. New", QuestionCommand("edit", number=3, text="New")),
        ("verwijder 2", QuestionCommand("remove", number=2)),
        ("remove #12", QuestionCommand("remove", number=12)),
        ("delete 1", QuestionCommand("remove", number=1)),
        ("verplaats 5 2", QuestionCommand("move", number=5, position=2)),
        ("move 1 #8", QuestionCommand("move", number=1, position=8)),
        ("nieuw مرحبا بكم", QuestionCommand("add", text="مرحبا بكم")),
        ("nieuw a\u202eb", QuestionCommand("add", text="ab")),  # a bidi override is dropped
    ],
)
def test_question_commands(rest: str, expected: QuestionCommand) -> None:
    assert parse_question_command(rest) == expected


@pytest.mark.parametrize(
    ("rest", "code", "action"),
    [
        ("hernoem 3", "unknown_action", None),
        ("3", "unknown_action", None),
        ("<b>", "unknown_action", None),
        ("nieuw", "empty", "add"),
        ("nieuw    ", "empty", "add"),
        ("nieuw \x00\x01\x7f", "empty", "add"),
        ("nieuw " + "x" * (MAX_QUESTION + 1), "long", "add"),
        ("wijzig", "missing_number", "edit"),
        ("wijzig drie Tekst", "bad_number", "edit"),
        ("wijzig 0 Tekst", "bad_number", "edit"),
        ("wijzig -1 Tekst", "bad_number", "edit"),
        ("wijzig 3", "empty", "edit"),
        ("wijzig 3 " + "x" * 10_000, "long", "edit"),
        ("wijzig ³ Tekst", "bad_number", "edit"),
        ("wijzig 12345 Tekst", "bad_number", "edit"),
        ("verwijder", "missing_number", "remove"),
        ("verwijder x", "bad_number", "remove"),
        ("verwijder 3 4", "bad_number", "remove"),
        ("verplaats", "missing_number", "move"),
        ("verplaats 3", "missing_position", "move"),
        ("verplaats 3 x", "bad_number", "move"),
        ("verplaats 3 1 2", "bad_number", "move"),
        ("verplaats </i> 1", "bad_number", "move"),
    ],
)
def test_question_command_problems(rest: str, code: str, action: str | None) -> None:
    assert parse_question_command(rest) == Problem(code, action)


def test_question_text_at_the_limit_is_accepted() -> None:
    assert parse_question_command("nieuw " + "x" * MAX_QUESTION) == QuestionCommand("add", text="x" * MAX_QUESTION)


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("", DialogueCommand("open")),
        ("open", DialogueCommand("open")),
        ("anoniem", DialogueCommand("anonymous")),
        ("Anonymous", DialogueCommand("anonymous")),
        ("stop", DialogueCommand("stop")),
        ("einde", DialogueCommand("stop")),
        ("end", DialogueCommand("stop")),
        ("morgen", Problem("unknown_action")),
        ("anoniem nu", Problem("unknown_action")),
    ],
)
def test_dialogue_commands(rest: str, expected: object) -> None:
    assert parse_dialogue_command(rest) == expected


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ("", TermCommand("list")),
        ("duurzaamheid", TermCommand("lookup", word="duurzaamheid")),
        ("  lokale   foto ", TermCommand("lookup", word="lokale foto")),
        (
            "Impact = Het verschil dat we maken.",
            TermCommand("set", word="Impact", explanation="Het verschil dat we maken."),
        ),
        ("Impact=Regel 1\nRegel 2", TermCommand("set", word="Impact", explanation="Regel 1\nRegel 2")),
        ("Impact = a = b", TermCommand("set", word="Impact", explanation="a = b")),
        ("Impact =", TermCommand("remove", word="Impact")),
        ("Impact =   ", TermCommand("remove", word="Impact")),
        ("= uitleg", Problem("empty", "word")),
        ("???", Problem("no_letters", "word")),
        ("'-' = x", Problem("no_letters", "word")),
        ("w" * (MAX_TERM + 1), Problem("long", "word")),
        ("Impact = " + "x" * 1001, Problem("long", "explanation")),
    ],
)
def test_term_commands(rest: str, expected: object) -> None:
    assert parse_term_command(rest) == expected


def test_answers_keep_line_breaks_and_have_a_limit() -> None:
    assert clean_answer("  Eerste\n\n\n\nTweede  ").value == "Eerste\n\nTweede"
    assert clean_answer("x" * MAX_ANSWER).ok
    assert clean_answer("x" * (MAX_ANSWER + 1)).problem == "long"
    assert clean_answer(" \x00 ").problem == "empty"
    assert clean_answer(None).problem == "empty"
    assert clean_answer("Goed idee 👍 שלום").value == "Goed idee 👍 שלום"
