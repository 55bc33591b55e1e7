"""The tie-break round: fill the open places among the tied themes by rank."""

from __future__ import annotations

from method.voting import tally_round
from method.voting.consensus import Reason, evaluate_tiebreak


def test_clear_winner_fills_the_place() -> None:
    # themes 2 and 3 tied before; theme 1 already secured; one place left
    tally = tally_round({"a": {2: 3, 3: 2}, "b": {2: 3, 3: 2}, "c": {2: 2, 3: 3}})
    outcome = evaluate_tiebreak(1, (1,), tally)
    assert outcome.reached and outcome.reason == Reason.TIEBREAK
    assert outcome.chosen == (1, 2)
    assert outcome.next_in_play == () and outcome.tie is None


def test_still_tied_goes_again_with_the_winners_above_secured() -> None:
    # two places among 4, 5, 6: theme 4 clearly first, 5 and 6 tie for the second place
    tally = tally_round({"a": {4: 3, 5: 3, 6: 1}, "b": {4: 3, 5: 1, 6: 3}, "c": {4: 3, 5: 2, 6: 2}})
    outcome = evaluate_tiebreak(2, (1,), tally)
    assert not outcome.reached
    assert outcome.tie == (5, 6) and outcome.next_in_play == (5, 6)
    assert outcome.secured == (1, 4)


def test_two_places_both_clear() -> None:
    tally = tally_round({"a": {4: 3, 5: 2, 6: 1}, "b": {4: 3, 5: 2, 6: 1}})
    assert evaluate_tiebreak(2, (), tally).chosen == (4, 5)


def test_voting_words_never_raise_on_odd_digits() -> None:
    from method.voting.commands import parse_numbers, parse_setting

    assert parse_numbers("¹ ²") is None
    assert parse_setting(["aantal", "³"]) is None
    assert parse_numbers("#1, 4 7") == [1, 4, 7]
