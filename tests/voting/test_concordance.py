"""Kendall's W (kept to 9 decimals) against hand-worked figures and an independent computation with scipy;
Schmidt's bands as he wrote them."""

from __future__ import annotations

import math
from itertools import combinations, permutations

import numpy as np
import pytest
from scipy.stats import rankdata, spearmanr

from method.voting.concordance import AGREEMENT_KEYS, Concordance, concordance, describe_agreement, kendall_w


def reference_w(matrix: list[list[int]]) -> float | None:
    """W from its definition, with scipy's average ranks. Rows are ballots, columns themes."""
    x = np.asarray(matrix, dtype=float)
    m, n = x.shape
    if m < 2 or n < 2:
        return None
    ranks = np.vstack([rankdata(row, method="average") for row in x])
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - m * (n + 1) / 2) ** 2).sum())
    ties = sum(float((counts**3 - counts).sum()) for counts in (np.unique(row, return_counts=True)[1] for row in x))
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator == 0:
        return None
    return 12 * s / denominator


def as_ballots(matrix: list[list[int]], themes: list[int] | None = None) -> dict[str, dict[int, int]]:
    themes = themes or list(range(1, len(matrix[0]) + 1))
    return {f"p{j}": dict(zip(themes, row, strict=True)) for j, row in enumerate(matrix)}


# Three members, three themes, no ties. Ranks = scores here (3 = highest rank).
#   A: 3 2 1    B: 3 2 1    C: 3 1 2
#   rank sums R = 9, 5, 4; mean rank sum m(n+1)/2 = 3*4/2 = 6
#   S = 3^2 + 1^2 + 2^2 = 14
#   W = 12*14 / (3^2 * (27 - 3)) = 168 / 216 = 7/9
NO_TIES = [[3, 2, 1], [3, 2, 1], [3, 1, 2]]

# Three members, three themes, with ties.
#   A: 3 3 1 -> ranks 2.5 2.5 1, one pair tied:  T = 2^3 - 2 = 6
#   B: 3 2 1 -> ranks 3   2   1,                 T = 0
#   C: 2 2 2 -> ranks 2   2   2, all three tied: T = 3^3 - 3 = 24
#   R = 7.5, 6.5, 4; mean 6; S = 1.5^2 + .5^2 + 2^2 = 6.5
#   W = 12*6.5 / (9*24 - 3*(6 + 0 + 24)) = 78 / 126 = 13/21
WITH_TIES = [[3, 3, 1], [3, 2, 1], [2, 2, 2]]

# Four members, four themes.
#   A, B, C: 3 3 2 1 -> ranks 3.5 3.5 2 1, T = 6 each
#   D:       3 2 3 1 -> ranks 3.5 2 3.5 1, T = 6
#   R = 14, 12.5, 9.5, 4; mean 4*5/2 = 10; S = 16 + 6.25 + .25 + 36 = 58.5
#   W = 12*58.5 / (16*60 - 4*24) = 702 / 864 = 0.8125
FOUR = [[3, 3, 2, 1], [3, 3, 2, 1], [3, 3, 2, 1], [3, 2, 3, 1]]


@pytest.mark.parametrize(
    ("matrix", "expected"),
    [(NO_TIES, 7 / 9), (WITH_TIES, 13 / 21), (FOUR, 0.8125)],
)
def test_hand_worked_w(matrix: list[list[int]], expected: float) -> None:
    assert kendall_w(as_ballots(matrix)) == pytest.approx(expected, abs=1e-9)
    assert reference_w(matrix) == pytest.approx(expected, abs=1e-9)


def test_tie_correction_matters() -> None:
    # Without the correction the WITH_TIES denominator would be 9*24 = 216: W = 78/216 = .361.
    assert kendall_w(as_ballots(WITH_TIES)) != pytest.approx(78 / 216)


@pytest.mark.parametrize(
    "matrix",
    [
        [[1, 2, 3, 3, 2], [2, 2, 3, 1, 1], [3, 3, 3, 1, 2], [1, 1, 2, 3, 3]],
        [[3, 1], [1, 3]],
        [[3, 1], [3, 2], [2, 1]],
        [[1, 1, 1, 2], [2, 2, 2, 2], [3, 3, 1, 1], [3, 2, 1, 1], [1, 2, 3, 3], [2, 2, 2, 3]],
    ],
)
def test_matches_scipy_reference(matrix: list[list[int]]) -> None:
    assert kendall_w(as_ballots(matrix)) == pytest.approx(reference_w(matrix), abs=1e-9)


def test_against_mean_spearman_without_ties() -> None:
    # Without ties, the mean of Spearman's rho over all pairs of members is (m W - 1) / (m - 1).
    orders = list(permutations([1, 2, 3]))
    for matrix in ([orders[0], orders[1], orders[3]], [orders[0], orders[5]], [orders[2]] * 2 + [orders[4]] * 3):
        m = len(matrix)
        w = kendall_w(as_ballots([list(row) for row in matrix]))
        rhos = [spearmanr(a, b).statistic for a, b in combinations(matrix, 2)]
        assert (m * w - 1) / (m - 1) == pytest.approx(float(np.mean(rhos)), abs=1e-9)


def test_perfect_and_opposite_agreement() -> None:
    assert kendall_w(as_ballots([[3, 2, 1]] * 5)) == 1.0
    assert kendall_w(as_ballots([[3, 3, 1, 2]] * 4)) == 1.0  # identical ballots with ties
    assert kendall_w(as_ballots([[3, 2, 1], [1, 2, 3]])) == 0.0  # R = 4, 4, 4: S = 0


def test_only_complete_ballots_count() -> None:
    ballots = as_ballots(NO_TIES)
    ballots["p9"] = {1: 1, 2: 3}  # left theme 3 unscored: left out, W stays 7/9
    result = concordance(ballots)
    assert result == Concordance(w=pytest.approx(7 / 9), ballots=3, excluded=1, themes=3)
    # With a fourth theme in play nobody scored, no ballot is complete.
    assert concordance(ballots, themes=[1, 2, 3, 4]) == Concordance(w=None, ballots=0, excluded=4, themes=4)


@pytest.mark.parametrize(
    "ballots",
    [
        {},  # no ballots
        {"a": {1: 3, 2: 1}},  # one complete ballot
        {"a": {1: 3, 2: 1}, "b": {1: 2}},  # one complete ballot
        {"a": {1: 3}, "b": {1: 1}},  # one theme
        {"a": {1: 2, 2: 2, 3: 2}, "b": {1: 3, 2: 3, 3: 3}},  # all tied: zero denominator
    ],
)
def test_undefined_w(ballots: dict[str, dict[int, int]]) -> None:
    assert kendall_w(ballots) is None


def test_one_all_tied_ballot_among_others_is_fine() -> None:
    # B gives all the same: it adds no rank variance but still counts (m = 2).
    # A: 3 2 1 (ranks 3 2 1), B: 2 2 2 (ranks 2 2 2, T = 24). R = 5, 4, 3; mean 4; S = 2.
    # W = 12*2 / (4*24 - 2*24) = 24 / 48 = .5
    assert kendall_w({"a": {1: 3, 2: 2, 3: 1}, "b": {1: 2, 2: 2, 3: 2}}) == 0.5


def test_invalid_scores_rejected() -> None:
    with pytest.raises(ValueError):
        kendall_w({"a": {1: 3, 2: 0}, "b": {1: 1, 2: 2}})
    with pytest.raises(ValueError):
        kendall_w({"a": {1: 3, 2: 1}}, themes=[1])


@pytest.mark.parametrize(
    ("w", "key"),
    [
        (0.0, "very_weak"),
        (0.1, "very_weak"),  # Schmidt's anchor .1: very weak
        (0.2999, "very_weak"),
        (0.3, "weak"),
        (0.4999, "weak"),
        (0.5, "moderate"),
        (0.55, "moderate"),  # the example: not "strong" before .7
        (0.6999, "moderate"),
        (0.7, "strong"),
        (0.8999, "strong"),
        (0.9, "unusually_strong"),
        (1.0, "unusually_strong"),
    ],
)
def test_describe_agreement_as_schmidt_wrote_it(w: float, key: str) -> None:
    # Schmidt (1997), Table 2: .1 very weak, .3 weak, .5 moderate, .7 strong, .9 unusually strong;
    # a value reads as the highest anchor it reaches.
    assert describe_agreement(w) == key
    assert key in AGREEMENT_KEYS


def test_all_twos_member_makes_w_half_whatever_the_other_does() -> None:
    # The issue: one opinionated member plus one who scores everything 2 gives W = 0.5, always.
    for row in ([3, 2, 1, 1], [3, 3, 1, 2], [1, 3, 2, 3, 1]):
        assert kendall_w(as_ballots([row, [2] * len(row)])) == 0.5


@pytest.mark.parametrize("w", [-0.01, 1.01, math.nan])
def test_describe_agreement_rejects_out_of_range(w: float) -> None:
    with pytest.raises(ValueError):
        describe_agreement(w)
