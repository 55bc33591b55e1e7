"""Stability between rounds: the shift of each theme's distribution (the 15% change criterion) against
the net-change count written out here, and the rank correlation against scipy's Spearman."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from method.voting.stability import STABLE_SHIFT, rank_correlation, shift, stability
from method.voting.tally import tally_round

from .test_tally import ballots_from_columns


def one_theme(scores: list[int]):
    return tally_round(ballots_from_columns({1: scores})).theme(1)


def test_shift_counts_moved_votes() -> None:
    # Eight voters: one moved from 2 to 3 -> 1 of 8 = 12.5%: stable (< 15%). Two moved -> 25%.
    before = one_theme([3, 3, 3, 3, 2, 2, 2, 1])
    assert shift(before, one_theme([3, 3, 3, 3, 3, 2, 2, 1])) == Fraction(1, 8)
    assert shift(before, one_theme([3, 3, 3, 3, 3, 3, 2, 1])) == Fraction(2, 8)
    assert shift(before, before) == 0
    assert shift(one_theme([3, 3]), one_theme([1, 1])) == 1  # everyone moved
    assert Fraction(1, 8) < STABLE_SHIFT <= Fraction(2, 8)


def test_shift_with_a_different_number_of_voters() -> None:
    # 4 voters all 3, then 5 voters with one 2: shares 1 -> 4/5, so 20% moved.
    assert shift(one_theme([3, 3, 3, 3]), one_theme([3, 3, 3, 3, 2])) == Fraction(1, 5)


def test_shift_undefined_without_votes() -> None:
    empty = tally_round({}, themes=[1]).theme(1)
    assert shift(empty, one_theme([3])) is None and shift(one_theme([3]), empty) is None


def net_change(before: list[int], after: list[int]) -> Fraction:
    """Scheibe et al.'s net change for equal voter numbers: the units that must move, over the voters."""
    moved = sum(abs(before.count(s) - after.count(s)) for s in (1, 2, 3))
    return Fraction(moved, 2 * len(before))


@given(st.lists(st.integers(1, 3), min_size=1, max_size=25), st.data())
def test_shift_is_the_net_change(before, data) -> None:
    after = data.draw(st.lists(st.integers(1, 3), min_size=len(before), max_size=len(before)))
    assert shift(one_theme(before), one_theme(after)) == net_change(before, after)


@given(st.lists(st.integers(1, 3), min_size=1, max_size=25), st.lists(st.integers(1, 3), min_size=1, max_size=25))
def test_shift_is_a_share(before, after) -> None:
    moved = shift(one_theme(before), one_theme(after))
    assert 0 <= moved <= 1 and moved == shift(one_theme(after), one_theme(before))


def rounds(previous: dict[int, list[int]], current: dict[int, list[int]]):
    return tally_round(ballots_from_columns(previous)), tally_round(ballots_from_columns(current))


def test_rank_correlation_same_and_reversed_order() -> None:
    previous, current = rounds({1: [3, 3], 2: [2, 3], 3: [2, 2], 4: [1, 1]}, {1: [3, 3], 2: [2, 3], 3: [2, 2], 4: [1, 1]})
    assert rank_correlation(previous, current) == 1.0
    previous, current = rounds({1: [3, 3], 2: [2, 3], 3: [2, 2], 4: [1, 1]}, {1: [1, 1], 2: [2, 2], 3: [2, 3], 4: [3, 3]})
    assert rank_correlation(previous, current) == -1.0


def test_rank_correlation_undefined() -> None:
    # fewer than three themes in both rounds; or every theme tied in one round
    previous, current = rounds({1: [3], 2: [1]}, {1: [1], 2: [3]})
    assert rank_correlation(previous, current) is None
    previous, current = rounds({1: [3], 2: [1], 3: [2]}, {1: [2], 2: [2], 3: [2]})
    assert rank_correlation(previous, current) is None


@settings(max_examples=120, deadline=None)
@given(st.integers(3, 30), st.integers(1, 25), st.integers(1, 25), st.data())
def test_rank_correlation_matches_scipy(themes, voters_before, voters_after, data) -> None:
    previous = {t: data.draw(st.lists(st.integers(1, 3), min_size=voters_before, max_size=voters_before)) for t in range(themes)}
    current = {t: data.draw(st.lists(st.integers(1, 3), min_size=voters_after, max_size=voters_after)) for t in range(themes)}
    before, after = rounds(previous, current)
    ids = list(range(themes))
    # Ranks 1 = best; scipy averages tied ranks itself, and the sign does not depend on direction.
    x = [before.theme(t).rank for t in ids]
    y = [after.theme(t).rank for t in ids]
    ours = rank_correlation(before, after)
    if len(set(x)) == 1 or len(set(y)) == 1:
        assert ours is None
    else:
        assert ours == pytest.approx(spearmanr(x, y).statistic, abs=1e-9)


def test_rank_correlation_only_over_themes_in_both_rounds() -> None:
    previous, current = rounds({1: [3, 3], 2: [2, 3], 3: [2, 2], 9: [1, 1]}, {1: [3, 3], 2: [2, 3], 3: [2, 2], 7: [3, 3]})
    assert rank_correlation(previous, current) == 1.0


def test_stability_of_the_top() -> None:
    previous, current = rounds(
        {1: [3] * 8, 2: [3] * 5 + [2] * 3, 3: [2] * 7 + [3], 4: [1] * 8},
        {1: [3] * 8, 2: [3] * 6 + [2] * 2, 3: [2] * 8, 4: [1] * 8},
    )
    moved = stability(previous, current, top_n=3)
    assert moved.top == (1, 2, 3) and moved.top_same and moved.top_stable
    assert moved.shifts == {1: 0, 2: Fraction(1, 8), 3: Fraction(1, 8), 4: 0}
    assert moved.largest_top_shift == Fraction(1, 8)
    assert not stability(previous, current, top_n=3, limit=Fraction(1, 8)).top_stable  # strictly less
    # Theme 3 climbs above 2: the top 2 {1, 2} became {1, 3}.
    climbed = tally_round(ballots_from_columns({1: [3] * 8, 2: [2] * 8, 3: [3] * 7 + [2], 4: [1] * 8}))
    changed = stability(previous, climbed, top_n=2)
    assert changed.top == (1, 3) and not changed.top_same and not changed.top_stable
    with pytest.raises(ValueError):
        stability(previous, current, top_n=0)
