"""Property-based tests (hypothesis) for tally, Kendall's W and the consensus rule (alpha, stability and
the thresholds have their own property tests beside their unit tests)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from method.voting.alpha import ordinal_alpha
from method.voting.concordance import AGREEMENT_KEYS, concordance, describe_agreement, kendall_w
from method.voting.consensus import RULES, ConsensusRule, evaluate
from method.voting.stability import shift
from method.voting.tally import Movement, compare_rounds, tally_round

from .test_concordance import reference_w

scores_st = st.integers(min_value=1, max_value=3)
theme_ids_st = st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=7, unique=True)


@st.composite
def partial_ballots(draw):
    """Ballots that may leave themes unscored, plus the themes in play."""
    themes = draw(theme_ids_st)
    count = draw(st.integers(min_value=0, max_value=9))
    ballots = {
        f"b{i}": draw(st.dictionaries(st.sampled_from(themes), scores_st, max_size=len(themes))) for i in range(count)
    }
    return themes, ballots


@st.composite
def complete_matrices(draw, min_ballots=0, min_themes=1):
    """Rows = ballots, columns = themes; every ballot scores every theme."""
    n = draw(st.integers(min_value=min_themes, max_value=7))
    m = draw(st.integers(min_value=min_ballots, max_value=9))
    return [draw(st.lists(scores_st, min_size=n, max_size=n)) for _ in range(m)]


def to_ballots(matrix, themes=None):
    if not matrix:
        return {}
    themes = themes or list(range(1, len(matrix[0]) + 1))
    return {f"p{j}": dict(zip(themes, row, strict=True)) for j, row in enumerate(matrix)}


def shuffled(ballots, seed):
    """Same ballots under new pseudonyms, in another order, with themes in another order."""
    rng = random.Random(seed)
    items = list(ballots.values())
    rng.shuffle(items)
    result = {}
    for i, ballot in enumerate(items):
        pairs = list(ballot.items())
        rng.shuffle(pairs)
        result[f"x{rng.random()}-{i}"] = dict(pairs)
    return result


# --- Kendall's W -------------------------------------------------------------------------------


@given(complete_matrices())
def test_w_in_unit_interval_and_matches_scipy(matrix) -> None:
    w = kendall_w(to_ballots(matrix))
    expected = reference_w(matrix) if matrix else None
    if expected is None:
        assert w is None
    else:
        assert w is not None and 0.0 <= w <= 1.0
        assert w == pytest.approx(expected, abs=1e-9)


@given(partial_ballots())
def test_w_with_partial_ballots_uses_complete_ones_only(data) -> None:
    themes, ballots = data
    result = concordance(ballots, themes=themes)
    complete = [b for b in ballots.values() if set(b) == set(themes)]
    assert (result.ballots, result.excluded, result.themes) == (len(complete), len(ballots) - len(complete), len(themes))
    matrix = [[b[t] for t in sorted(themes)] for b in complete]
    expected = reference_w(matrix) if matrix else None
    if expected is None:
        assert result.w is None
    else:
        assert result.w == pytest.approx(expected, abs=1e-9)
        assert describe_agreement(result.w) in AGREEMENT_KEYS


@given(st.lists(scores_st, min_size=2, max_size=7), st.integers(min_value=2, max_value=9))
def test_identical_ballots_give_w_one(row, m) -> None:
    assume(len(set(row)) > 1)  # otherwise W is undefined (zero denominator)
    assert kendall_w(to_ballots([row] * m)) == 1.0


@given(st.permutations([1, 2, 3]), st.integers(min_value=2, max_value=3), st.integers(min_value=2, max_value=9))
def test_identical_rankings_without_ties_give_w_one(order, n, m) -> None:
    row = sorted(order[:n])  # n distinct scores: no ties
    assert kendall_w(to_ballots([row] * m)) == 1.0


@given(st.lists(scores_st, min_size=1, max_size=7), st.integers(min_value=2, max_value=9))
def test_all_members_same_score_everywhere_is_undefined(row, m) -> None:
    assert kendall_w(to_ballots([[row[0]] * len(row)] * m)) is None


@given(complete_matrices(min_ballots=2, min_themes=2))
def test_w_invariant_to_rank_direction(matrix) -> None:
    reversed_scores = [[4 - s for s in row] for row in matrix]
    assert kendall_w(to_ballots(matrix)) == kendall_w(to_ballots(reversed_scores))


@given(complete_matrices(min_ballots=2, min_themes=2))
def test_w_does_not_depend_on_theme_ids(matrix) -> None:
    n = len(matrix[0])
    assert kendall_w(to_ballots(matrix)) == kendall_w(to_ballots(matrix, themes=[100 - 7 * i for i in range(n)]))


# --- Tally -------------------------------------------------------------------------------------


@given(partial_ballots())
def test_tally_counts_add_up(data) -> None:
    themes, ballots = data
    tally = tally_round(ballots, themes=themes)
    assert tally.ballots == len(ballots)
    assert sorted(tally.theme_ids) == sorted(themes)
    for t in tally.themes:
        values = [b[t.theme_id] for b in ballots.values() if t.theme_id in b]
        assert t.votes == len(values)
        assert t.ones + t.twos + t.threes == t.votes
        assert (t.ones, t.twos, t.threes) == (values.count(1), values.count(2), values.count(3))
        assert t.total == t.ones + 2 * t.twos + 3 * t.threes == sum(values)
        if t.votes:
            assert 1 <= t.mean <= 3 and 1 <= t.median <= 3
            assert t.mean == pytest.approx(sum(values) / len(values))
            assert t.share_threes == pytest.approx(t.threes / t.votes)
            assert t.share_ones == pytest.approx(t.ones / t.votes)
        else:
            assert t.mean is None and t.median is None
    assert sum(t.votes for t in tally.themes) == sum(len(b) for b in ballots.values())


@given(partial_ballots())
def test_ranks_consistent_with_means(data) -> None:
    themes, ballots = data
    tally = tally_round(ballots, themes=themes)
    ranks = [t.rank for t in tally.themes]
    assert ranks == sorted(ranks) and ranks[0] == 1
    for t in tally.themes:
        # competition ranking: 1 + number of themes ranked strictly higher
        assert t.rank == 1 + sum(1 for o in tally.themes if o.rank < t.rank)
    for a in tally.themes:
        for b in tally.themes:
            if a.votes and b.votes:
                if a.mean > b.mean + 1e-9:
                    assert a.rank < b.rank
                if a.rank == b.rank:
                    assert a.mean == pytest.approx(b.mean)
                    assert a.share_threes == pytest.approx(b.share_threes)
                    assert a.ones == b.ones
            elif a.votes and not b.votes:
                assert a.rank < b.rank


@given(partial_ballots(), st.integers())
def test_permuting_ballots_changes_nothing(data, seed) -> None:
    themes, ballots = data
    other = shuffled(ballots, seed)
    assert tally_round(other, themes=themes) == tally_round(ballots, themes=themes)
    assert concordance(other, themes=themes) == concordance(ballots, themes=themes)
    assert ordinal_alpha(other, themes=themes) == ordinal_alpha(ballots, themes=themes)
    tally, alpha = tally_round(ballots, themes=themes), ordinal_alpha(ballots, themes=themes)
    for rule in RULES.values():
        assert evaluate(rule, tally_round(other, themes=themes), ordinal_alpha(other, themes=themes)) == evaluate(
            rule, tally, alpha
        )


@given(partial_ballots(), st.integers(min_value=-5, max_value=10).filter(lambda s: s not in (1, 2, 3)))
def test_any_score_outside_range_raises(data, bad) -> None:
    themes, ballots = data
    ballots = dict(ballots)
    ballots["intruder"] = {themes[0]: bad}
    with pytest.raises(ValueError):
        tally_round(ballots, themes=themes)
    with pytest.raises(ValueError):
        kendall_w(ballots, themes=themes)


@given(partial_ballots(), st.integers(min_value=1, max_value=8))
def test_compare_round_with_itself(data, n) -> None:
    themes, ballots = data
    tally = tally_round(ballots, themes=themes)
    change = compare_rounds(tally, tally, top_n=n)
    assert all(c.movement is Movement.SAME and c.places == 0 for c in change.themes)
    assert change.top_same is (tally.top(n) is not None)


@given(partial_ballots(), partial_ballots())
def test_compare_rounds_covers_every_theme_once(before, after) -> None:
    previous = tally_round(before[1], themes=before[0])
    current = tally_round(after[1], themes=after[0])
    change = compare_rounds(previous, current)
    ids = [c.theme_id for c in change.themes]
    assert sorted(ids) == sorted(set(before[0]) | set(after[0]))
    for c in change.themes:
        if c.movement is Movement.NEW:
            assert c.theme_id not in previous and c.theme_id in current
        elif c.movement is Movement.DROPPED:
            assert c.theme_id in previous and c.theme_id not in current
        else:
            expected = {1: Movement.ROSE, 0: Movement.SAME, -1: Movement.FELL}
            assert c.movement is expected[(c.places > 0) - (c.places < 0)]


# --- Consensus ---------------------------------------------------------------------------------

rules_st = st.one_of(
    st.sampled_from(list(RULES.values())),
    st.builds(
        ConsensusRule,
        sought=st.integers(min_value=1, max_value=5),
        min_share_top=st.none() | st.sampled_from([0.25, 0.5, 0.75, 1.0]),
        max_share_low=st.sampled_from([0.0, 0.15, 0.25, 0.5]),
        stable_shift=st.none() | st.sampled_from([0.1, 0.15, 0.5]),
        drop_share_low=st.none() | st.sampled_from([0.5, 0.75, 1.0]),
        strict_share_top=st.booleans(),
        top_mean_alpha=st.none() | st.sampled_from([0.0, 0.667]),
    ),
)


def qualifies_by_share(rule, theme) -> bool:
    """The rule as shares, exactly: what the counts of ConsensusRule.thresholds must agree with."""
    if rule.min_share_top is None or not theme.votes:
        return False
    threes, ones = Fraction(theme.threes, theme.votes), Fraction(theme.ones, theme.votes)
    top = threes > rule.min_share_top if rule.strict_share_top else threes >= rule.min_share_top
    return top and ones <= rule.max_share_low


@settings(max_examples=300)
@given(rules_st, partial_ballots(), st.none() | partial_ballots())
def test_consensus_outcome_invariants(rule, data, previous_data) -> None:
    themes, ballots = data
    current, alpha = tally_round(ballots, themes=themes), ordinal_alpha(ballots, themes=themes)
    previous = None if previous_data is None else tally_round(previous_data[1], themes=previous_data[0])
    outcome = evaluate(rule, current, alpha, previous)
    in_play = set(current.theme_ids)

    assert set(outcome.qualified) <= in_play
    assert all(rule.qualifies(current.theme(t)) for t in outcome.qualified)
    assert {t.theme_id for t in current.themes if qualifies_by_share(rule, t)} == set(outcome.qualified)
    if outcome.reached:
        assert outcome.reason is not None and outcome.tie is None
        assert len(outcome.chosen) == len(set(outcome.chosen)) == rule.sought
        assert set(outcome.chosen) <= in_play
        assert outcome.next_in_play == () and outcome.drop == ()
        ranks = [current.theme(t).rank for t in outcome.chosen]
        assert ranks == sorted(ranks)
        if outcome.reason == "shares":
            assert set(outcome.chosen) <= set(outcome.qualified)
        if outcome.reason == "stable_top":
            assert previous is not None and set(previous.top(rule.sought)) == set(outcome.chosen)
            assert all(shift(previous.theme(t), current.theme(t)) < rule.stable_shift for t in outcome.chosen)
        if outcome.reason == "top_mean":
            assert alpha is not None and alpha >= rule.top_mean_alpha
    elif outcome.tie is not None:
        assert outcome.reason is None and outcome.chosen == () and outcome.drop == ()
        assert len(outcome.tie) >= 2 and outcome.next_in_play == outcome.tie
        assert len({current.theme(t).rank for t in outcome.tie}) == 1  # all equally ranked
        assert len(outcome.secured) < rule.sought < len(outcome.secured) + len(outcome.tie)
        tie_rank = current.theme(outcome.tie[0]).rank
        assert all(current.theme(t).rank < tie_rank for t in outcome.secured)
    else:
        assert outcome.reason is None and outcome.chosen == () and outcome.secured == ()
        assert set(outcome.drop) <= in_play
        assert set(outcome.next_in_play) == in_play - set(outcome.drop)
        assert len(outcome.next_in_play) >= min(rule.sought, len(in_play))
        if outcome.drop:
            assert all(current.theme(t).ones >= rule.drop_share_low * current.theme(t).votes for t in outcome.drop)
        if rule.min_share_top is not None:
            assert len(outcome.qualified) < rule.sought
