"""Krippendorff's alpha (ordinal) against a hand-worked figure, the textbook pairwise formula written
out here, and the ``krippendorff`` package; with 1-2 voters, all-equal scores, abstentions and
30 themes x 25 voters."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from method.voting.alpha import ALPHA_KEYS, describe_alpha, ordinal_alpha, ordinal_alpha_exact

Ballots = dict[str, dict[int, int]]


def package_alpha(ballots: Ballots, themes: list[int]) -> float | None:
    """The krippendorff package: rows are voters (coders), columns themes (units), NaN = no score."""
    data = np.array([[ballot.get(t, np.nan) for t in themes] for ballot in ballots.values()], dtype=float)
    try:
        with np.errstate(invalid="ignore", divide="ignore"):  # all scores equal: the package gives NaN
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal", value_domain=[1, 2, 3])
    except ValueError:  # no theme with two scores
        return None
    return None if math.isnan(value) else float(value)


def pairwise_alpha(ballots: Ballots, themes: list[int]) -> float | None:
    """The textbook form: alpha = 1 - D_o / D_e, with D_o the mean ordinal distance between two scores
    of the same theme (each theme weighted 1 / (m_u - 1)) and D_e the mean distance between any two
    pairable scores; the ordinal distance of c and k is (sum of n_g for g from c to k - (n_c + n_k) / 2)^2
    with n_g the number of pairable scores g."""
    units = [[b[t] for b in ballots.values() if t in b] for t in themes]
    units = [u for u in units if len(u) >= 2]
    values = [v for u in units for v in u]
    n = len(values)
    if n < 2:
        return None
    count = {g: values.count(g) for g in (1, 2, 3)}

    def d2(c: int, k: int) -> float:
        low, high = min(c, k), max(c, k)
        return (sum(count[g] for g in range(low, high + 1)) - (count[c] + count[k]) / 2) ** 2

    observed = sum(
        sum(d2(a, b) for i, a in enumerate(u) for j, b in enumerate(u) if i != j) / (len(u) - 1) for u in units
    ) / n
    expected = sum(d2(a, b) for i, a in enumerate(values) for j, b in enumerate(values) if i != j) / (n * (n - 1))
    if expected == 0:
        return None
    return 1 - observed / expected


def columns(data: dict[int, list[int | None]]) -> Ballots:
    """Scores per theme (None = abstained) -> ballots."""
    voters = max(len(v) for v in data.values())
    return {f"v{i}": {t: s[i] for t, s in data.items() if i < len(s) and s[i] is not None} for i in range(voters)}


def test_hand_worked() -> None:
    # Two voters: p0 3 3 2 2, p1 3 2 2 1 over themes 1-4 (worked out in test_consensus.test_top_mean_rule):
    # alpha = 1 - 7 * 37 / 560 = 301 / 560.
    ballots = columns({1: [3, 3], 2: [3, 2], 3: [2, 2], 4: [2, 1]})
    assert ordinal_alpha_exact(ballots) == Fraction(301, 560)
    assert ordinal_alpha(ballots) == round(301 / 560, 9)


def test_perfect_agreement_and_perfect_disagreement() -> None:
    assert ordinal_alpha(columns({1: [3, 3, 3], 2: [1, 1, 1], 3: [2, 2, 2]})) == 1.0
    # Two voters who always differ by the most: alpha is far below 0.
    opposed = ordinal_alpha(columns({1: [3, 1], 2: [1, 3], 3: [3, 1], 4: [1, 3]}))
    assert opposed is not None and opposed < -0.5
    assert describe_alpha(opposed) == "opposed"


def test_an_all_twos_member_counts_as_disagreeing() -> None:
    # W gives 0.5 for any opinionated member plus an all-2s member (test_concordance); alpha does not:
    # the all-2s member disagrees with every 1 and 3, and how much depends on the other member.
    def with_all_twos(row: list[int]) -> float | None:
        return ordinal_alpha({"a": dict(enumerate(row, start=1)), "b": {t: 2 for t in range(1, len(row) + 1)}})

    found = {with_all_twos(row) for row in ([3, 3, 1, 1], [3, 1, 3, 1, 3, 1], [3, 3, 3, 1], [2, 2, 1, 2])}
    assert len(found) == 4  # not one fixed value, as W's 0.5
    assert all(value is not None and value < 0.667 for value in found)  # never "agree"


@pytest.mark.parametrize(
    "ballots",
    [
        {},  # nobody voted
        {"a": {1: 3, 2: 1, 3: 2}},  # one voter: no theme has two scores
        {"a": {1: 3}, "b": {2: 1}},  # two voters who scored different themes
        {"a": {1: 2, 2: 2}, "b": {1: 2, 2: 2}},  # everyone gave the same score everywhere
        {"a": {1: 3, 2: 3}, "b": {1: 3, 2: 3}, "c": {1: 3}},
    ],
)
def test_undefined(ballots: Ballots) -> None:
    themes = sorted({t for b in ballots.values() for t in b}) or [1]
    assert ordinal_alpha(ballots, themes=themes) is None
    assert package_alpha(ballots, themes) is None if ballots else True


def test_two_voters() -> None:
    ballots = columns({1: [3, 3], 2: [2, 3], 3: [1, 1], 4: [2, 1]})
    assert ordinal_alpha(ballots) == pytest.approx(package_alpha(ballots, [1, 2, 3, 4]), abs=1e-9)
    assert ordinal_alpha(ballots) == pytest.approx(pairwise_alpha(ballots, [1, 2, 3, 4]), abs=1e-9)


def test_abstentions_leave_unpaired_scores_out() -> None:
    # Theme 3 got one score only: it cannot be paired, so it changes nothing.
    with_single = columns({1: [3, 3, 2], 2: [1, 2, 1], 3: [3, None, None]})
    without = columns({1: [3, 3, 2], 2: [1, 2, 1]})
    assert ordinal_alpha(with_single) == ordinal_alpha(without)
    themes = [1, 2, 3]
    assert ordinal_alpha(with_single) == pytest.approx(package_alpha(with_single, themes), abs=1e-9)
    # A theme in play that nobody scored is fine too.
    assert ordinal_alpha(without, themes=[1, 2, 9]) == ordinal_alpha(without)


def test_thirty_themes_by_twenty_five_voters() -> None:
    rng = random.Random(17)
    themes = list(range(1, 31))
    for _ in range(5):
        # themes with a "true" priority, voters who mostly follow it, some abstaining
        truth = {t: rng.choice((1, 2, 3)) for t in themes}
        ballots = {
            f"v{i}": {
                t: (truth[t] if rng.random() < 0.7 else rng.choice((1, 2, 3)))
                for t in themes
                if rng.random() > 0.05
            }
            for i in range(25)
        }
        ours = ordinal_alpha(ballots, themes=themes)
        assert ours == pytest.approx(package_alpha(ballots, themes), abs=1e-9)
        assert ours == pytest.approx(pairwise_alpha(ballots, themes), abs=1e-9)
        assert 0.2 < ours < 1


def test_invalid_scores_are_refused() -> None:
    with pytest.raises(ValueError):
        ordinal_alpha({"a": {1: 4}, "b": {1: 3}})
    with pytest.raises(ValueError):
        ordinal_alpha({"a": {1: 3}, "b": {2: 3}}, themes=[1])


@pytest.mark.parametrize(
    ("alpha", "key"),
    [(1.0, "high"), (0.8, "high"), (0.7999, "tentative"), (0.667, "tentative"), (0.6669, "low"), (0.0, "low"), (-0.01, "opposed")],
)
def test_bands_after_krippendorff(alpha: float, key: str) -> None:
    assert describe_alpha(alpha) == key and key in ALPHA_KEYS


def test_bands_refuse_nonsense() -> None:
    for value in (1.01, math.nan):
        with pytest.raises(ValueError):
            describe_alpha(value)


# --- properties --------------------------------------------------------------------------------

scores = st.integers(min_value=1, max_value=3)


@st.composite
def ballots_with_abstentions(draw):
    n = draw(st.integers(min_value=1, max_value=7))
    themes = list(range(1, n + 1))
    voters = draw(st.integers(min_value=0, max_value=9))
    ballots = {f"b{i}": draw(st.dictionaries(st.sampled_from(themes), scores, max_size=n)) for i in range(voters)}
    return themes, ballots


@settings(max_examples=200, deadline=None)
@given(ballots_with_abstentions())
def test_matches_the_package_and_the_textbook(data) -> None:
    themes, ballots = data
    ours = ordinal_alpha(ballots, themes=themes)
    textbook = pairwise_alpha(ballots, themes)
    if textbook is None:
        assert ours is None
    else:
        assert ours is not None and ours <= 1.0
        assert ours == pytest.approx(textbook, abs=1e-9)
        if ballots:
            assert ours == pytest.approx(package_alpha(ballots, themes), abs=1e-9)
        describe_alpha(ours)  # every defined value has a band


@settings(max_examples=100, deadline=None)
@given(ballots_with_abstentions(), st.integers())
def test_order_of_voters_and_themes_does_not_matter(data, seed) -> None:
    themes, ballots = data
    rng = random.Random(seed)
    renamed = {t: 100 + i for i, t in enumerate(rng.sample(themes, len(themes)))}
    items = list(ballots.values())
    rng.shuffle(items)
    shuffled = {f"x{i}": {renamed[t]: s for t, s in b.items()} for i, b in enumerate(items)}
    assert ordinal_alpha(shuffled, themes=list(renamed.values())) == ordinal_alpha(ballots, themes=themes)


@given(st.lists(scores, min_size=2, max_size=7), st.integers(min_value=2, max_value=9))
def test_identical_ballots_give_one(row, voters) -> None:
    ballots = {f"v{i}": dict(enumerate(row, start=1)) for i in range(voters)}
    expected = None if len(set(row)) == 1 else 1.0
    assert ordinal_alpha(ballots) == expected


@settings(max_examples=100, deadline=None)
@given(ballots_with_abstentions())
def test_reversing_the_scale_changes_nothing(data) -> None:
    # Ordinal distances depend on the order of the scores only, so 1 <-> 3 gives the same alpha.
    themes, ballots = data
    flipped = {v: {t: 4 - s for t, s in b.items()} for v, b in ballots.items()}
    assert ordinal_alpha(flipped, themes=themes) == ordinal_alpha(ballots, themes=themes)
