"""Thresholds as counts for this round's voters (a table for 3 to 25 voters), and shown figures that
never round into a threshold they do not meet."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from method.voting.consensus import DEFAULT_RULE, MAJORITY_RULE, TOP_MEAN_RULE
from method.voting.thresholds import at_least, at_most, floor_percent, floor_to, keep, more_than

# voters: (3s needed, most 1s allowed, 1s at which a theme drops out), worked out by hand:
# 3s: 75% of the voters rounded up; 1s: 15% rounded down; drop: 75% rounded up.
DEFAULT_TABLE = {
    3: (3, 0, 3), 4: (3, 0, 3), 5: (4, 0, 4), 6: (5, 0, 5), 7: (6, 1, 6), 8: (6, 1, 6), 9: (7, 1, 7),
    10: (8, 1, 8), 11: (9, 1, 9), 12: (9, 1, 9), 13: (10, 1, 10), 14: (11, 2, 11), 15: (12, 2, 12),
    16: (12, 2, 12), 17: (13, 2, 13), 18: (14, 2, 14), 19: (15, 2, 15), 20: (15, 3, 15), 21: (16, 3, 16),
    22: (17, 3, 17), 23: (18, 3, 18), 24: (18, 3, 18), 25: (19, 3, 19),
}
# Majority: more than half scored 3 (half rounded down, plus one); at most a quarter scored 1.
MAJORITY_TABLE = {
    3: (2, 0), 4: (3, 1), 5: (3, 1), 6: (4, 1), 7: (4, 1), 8: (5, 2), 9: (5, 2), 10: (6, 2), 11: (6, 2),
    12: (7, 3), 13: (7, 3), 14: (8, 3), 15: (8, 3), 16: (9, 4), 17: (9, 4), 18: (10, 4), 19: (10, 4),
    20: (11, 5), 21: (11, 5), 22: (12, 5), 23: (12, 5), 24: (13, 6), 25: (13, 6),
}


@pytest.mark.parametrize("voters", range(3, 26))
def test_default_rule_table(voters: int) -> None:
    limits = DEFAULT_RULE.thresholds(voters)
    assert (limits.min_threes, limits.max_ones, limits.drop_ones) == DEFAULT_TABLE[voters]
    # The definition in whole numbers: fewest c with 4c >= 3v; most c with 20c <= 3v.
    assert limits.min_threes == min(c for c in range(voters + 1) if 4 * c >= 3 * voters)
    assert limits.max_ones == max(c for c in range(voters + 1) if 20 * c <= 3 * voters)


@pytest.mark.parametrize("voters", range(3, 26))
def test_majority_rule_table(voters: int) -> None:
    limits = MAJORITY_RULE.thresholds(voters)
    assert (limits.min_threes, limits.max_ones) == MAJORITY_TABLE[voters]
    assert limits.min_threes == min(c for c in range(voters + 1) if 2 * c > voters)
    assert limits.max_ones == max(c for c in range(voters + 1) if 4 * c <= voters)


def test_top_mean_rule_has_no_share_thresholds() -> None:
    assert TOP_MEAN_RULE.thresholds(8).min_threes is None and TOP_MEAN_RULE.thresholds(8).drop_ones == 6


def test_readme_publishes_the_same_table() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", readme, flags=re.MULTILINE)
    published = {int(r[0]): tuple(int(x) for x in r[1:]) for r in rows}
    assert sorted(published) == list(range(3, 26))
    for voters, (threes, ones, drop, majority_threes, majority_ones) in published.items():
        assert (threes, ones, drop) == DEFAULT_TABLE[voters]
        assert (majority_threes, majority_ones) == MAJORITY_TABLE[voters]


def test_rule_table_runs_from_most_to_fewest() -> None:
    assert [t.voters for t in DEFAULT_RULE.table(5, 8)] == [8, 7, 6, 5]
    assert DEFAULT_RULE.table(1, 0) == ()


@given(st.integers(min_value=0, max_value=200), st.fractions(min_value=0, max_value=1, max_denominator=100))
def test_counts_meet_exactly_what_the_shares_meet(voters, share) -> None:
    for count in range(voters + 1):
        assert (count >= at_least(share, voters)) == (Fraction(count) >= share * voters)
        assert (count >= more_than(share, voters)) == (Fraction(count) > share * voters)
        assert (count <= at_most(share, voters)) == (Fraction(count) <= share * voters)


def test_float_shares_are_exact_decimals() -> None:
    assert at_most(0.15, 20) == 3  # 0.15 * 20 = 3.0000000000000004 in floats
    assert at_least(0.7, 10) == 7  # 0.7 * 10 = 7.000000000000001 in floats
    assert at_least(0.75, 8) == 6


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0.746, 74), (Fraction(746, 1000), 74), (Fraction(2, 3), 66), (0.29, 29), (0.57, 57), (1.0, 100), (0.0, 0), (Fraction(3, 4), 75)],
)
def test_percentages_are_rounded_down(share, shown) -> None:
    assert floor_percent(share) == shown


@given(st.integers(min_value=1, max_value=60), st.data())
def test_a_shown_percentage_never_reaches_a_threshold_it_misses(votes, data) -> None:
    count = data.draw(st.integers(min_value=0, max_value=votes))
    threshold = data.draw(st.integers(min_value=1, max_value=100))
    meets = 100 * count >= threshold * votes
    assert (floor_percent(Fraction(count, votes)) >= threshold) == meets
    assert (floor_percent(count / votes) >= threshold) == meets  # the float share as stored


@given(st.floats(min_value=-1, max_value=1, allow_nan=False), st.sampled_from([2, 3]))
def test_coefficients_are_rounded_down(value, decimals) -> None:
    kept = keep(value)
    shown = floor_to(kept, decimals)
    assert shown <= kept + 1e-12 and kept - shown < 10**-decimals + 1e-12
    for step in range(-1000, 1001, 37):
        threshold = step / 1000 if decimals == 3 else round(step / 1000, 2)
        assert (shown >= threshold) == (kept >= threshold) or abs(kept - threshold) < 1e-9


def test_coefficients_at_a_boundary() -> None:
    assert floor_to(0.667, 3) == 0.667 and floor_to(keep(2 / 3), 3) == 0.666 and floor_to(0.8, 2) == 0.8
    assert floor_to(-0.1234, 3) == -0.124
