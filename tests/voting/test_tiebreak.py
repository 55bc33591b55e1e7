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


# --- the dead end of issue 17: a tie-break with fewer themes than places ------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from method.voting.consensus import replan_tiebreak  # noqa: E402


def test_fewer_themes_than_places_completes_with_what_is_left() -> None:
    # Tie for 2 places among 3 themes; two were removed: one theme left for 2 places. It used to
    # raise IndexError; now the round completes with the theme that is left.
    tally = tally_round({"a": {4: 3}, "b": {4: 2}, "c": {4: 1}})
    outcome = evaluate_tiebreak(2, (1,), tally)
    assert (outcome.reached, outcome.reason, outcome.chosen) == (True, Reason.TIEBREAK, (1, 4))
    # As many themes as places: all of them, in rank order.
    tally = tally_round({"a": {4: 1, 5: 3}, "b": {4: 1, 5: 3}})
    assert evaluate_tiebreak(2, (), tally).chosen == (5, 4)


def test_no_themes_or_no_places_left() -> None:
    assert evaluate_tiebreak(2, (1, 2), tally_round({})).chosen == (1, 2)
    assert evaluate_tiebreak(0, (1, 2, 3), tally_round({"a": {4: 3, 5: 1}})).chosen == (1, 2, 3)


def test_nobody_voted_in_the_tie_break() -> None:
    # Closed by force without votes: all themes still tied, so they go again (no crash).
    outcome = evaluate_tiebreak(1, (1,), tally_round({}, themes=[4, 5]))
    assert (outcome.reached, outcome.tie, outcome.secured) == (False, (4, 5), (1,))


@given(
    st.integers(min_value=-1, max_value=6),
    st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.dictionaries(st.integers(min_value=10, max_value=15), st.integers(min_value=1, max_value=3), max_size=6),
        max_size=6,
    ),
    st.lists(st.integers(min_value=10, max_value=15), max_size=6, unique=True),
)
def test_a_tie_break_can_always_be_evaluated(places, ballots, themes) -> None:
    themes = sorted(set(themes) | {t for b in ballots.values() for t in b})
    tally = tally_round(ballots, themes=themes)
    outcome = evaluate_tiebreak(places, (1,), tally)
    if outcome.reached:
        assert outcome.chosen[0] == 1 and len(outcome.chosen) == 1 + min(max(places, 0), len(themes))
    else:
        assert len(outcome.tie) >= 2 and set(outcome.tie) <= set(themes) and len(outcome.secured) - 1 < places


def test_replan_follows_removed_merged_and_split_themes() -> None:
    # Secured 1; tied 2, 3, 4 for 2 places.
    unchanged = {1: (1,), 2: (2,), 3: (3,), 4: (4,)}
    plan = replan_tiebreak(3, (1,), (2, 3, 4), unchanged)
    assert (plan.secured, plan.tie, plan.places, plan.decided) == ((1,), (2, 3, 4), 2, False)
    # 3 and 4 removed: one theme left for 2 places -> no vote needed, 1 and 2 go through.
    plan = replan_tiebreak(3, (1,), (2, 3, 4), {1: (1,), 2: (2,)})
    assert (plan.decided, plan.chosen, plan.places) == (True, (1, 2), 2)
    # 2 and 3 merged into 7: 7 and 4 for 2 places -> decided.
    plan = replan_tiebreak(3, (1,), (2, 3, 4), {1: (1,), 2: (7,), 3: (7,), 4: (4,)})
    assert (plan.decided, plan.chosen) == (True, (1, 7, 4))
    # 4 split into 8 and 9: 2, 3, 8, 9 for 2 places -> a tie-break on four themes.
    plan = replan_tiebreak(3, (1,), (2, 3, 4), {1: (1,), 2: (2,), 3: (3,), 4: (8, 9)})
    assert (plan.decided, plan.tie, plan.places) == (False, (2, 3, 8, 9), 2)
    # The secured theme removed: a place opens up -> 2, 3, 4 for 3 places: decided.
    plan = replan_tiebreak(3, (1,), (2, 3, 4), {2: (2,), 3: (3,), 4: (4,)})
    assert (plan.places, plan.decided, plan.chosen) == (3, True, (2, 3, 4))
    # A tied theme merged into the secured one: it is not counted twice.
    plan = replan_tiebreak(3, (1,), (2, 3, 4), {1: (1,), 2: (1,), 3: (3,), 4: (4,)})
    assert (plan.secured, plan.tie, plan.places, plan.decided) == ((1,), (3, 4), 2, True)
    # Everything removed: nothing secured, nothing tied.
    plan = replan_tiebreak(3, (1,), (2, 3), {})
    assert (plan.secured, plan.tie, plan.chosen) == ((), (), ())
