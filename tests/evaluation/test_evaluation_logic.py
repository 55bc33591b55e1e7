"""The evaluation's pure logic: question order and progress, the command's words, the digest order."""

from __future__ import annotations

import itertools

from method.evaluation.digest import digest_order, weak_anonymity
from method.evaluation.questions import (
    QUESTIONS,
    command_action,
    next_question,
    number_of,
    parse_handled,
    store_handled,
)


def test_questions_come_in_the_methods_order_and_skips_count_as_handled() -> None:
    assert QUESTIONS == ("continuity", "view", "maturity")
    assert next_question(()) == "continuity"
    assert next_question(("continuity",)) == "view"
    assert next_question(("continuity", "view")) == "maturity"
    assert next_question(QUESTIONS) is None
    assert [number_of(q) for q in QUESTIONS] == [1, 2, 3]


def test_stored_progress_round_trips_and_ignores_junk() -> None:
    assert parse_handled("") == () and parse_handled(None) == ()
    assert parse_handled("maturity, continuity,bogus,,view") == QUESTIONS
    assert store_handled({"view", "continuity"}) == "continuity,view"
    for size in range(4):
        for handled in itertools.combinations(QUESTIONS, size):
            assert parse_handled(store_handled(handled)) == handled
    assert len(store_handled(QUESTIONS)) <= 64  # the column's width


def test_command_words() -> None:
    assert command_action([]) == "start"
    for word in ("sluiten", "SLUITEN", "afronden", "close", "stop"):
        assert command_action([word]) == "close"
    assert command_action(["iets"]) is None
    assert command_action(["sluiten", "nu"]) is None


def test_digest_order_is_deterministic_independent_of_arrival_and_not_alphabetical() -> None:
    texts = [f"Antwoord {n}" for n in range(12)]
    first = digest_order(7, "view", texts)
    assert sorted(first) == sorted(texts)
    for arrival in (list(reversed(texts)), texts[5:] + texts[:5]):
        assert digest_order(7, "view", arrival) == first  # arrival order never shows through
    assert list(first) != texts and list(first) != sorted(texts)
    # Another evaluation or question mixes differently: one order cannot be learned from another.
    assert digest_order(8, "view", texts) != first or digest_order(7, "maturity", texts) != first
    assert digest_order(7, "view", ["b", "a", "a"]).count("a") == 2  # equal answers both kept


def test_weak_anonymity_below_three_answers() -> None:
    assert [weak_anonymity(n) for n in range(5)] == [False, True, True, False, False]
