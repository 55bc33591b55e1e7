"""Consensus rule: reached by shares (thresholds as counts), by a stable top (stability, not W), by
the top mean (alpha), not reached, tie at the cut-off, drop-outs."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from method.voting.alpha import ordinal_alpha
from method.voting.consensus import (
    DEFAULT_RULE,
    RULES,
    ConsensusOutcome,
    ConsensusRule,
    Reason,
    evaluate,
)
from method.voting.tally import tally_round

from .test_tally import ballots_from_columns


def round_of(columns: dict[int, list[int]]):
    ballots = ballots_from_columns(columns)
    return tally_round(ballots), ordinal_alpha(ballots)


def test_default_rule_values() -> None:
    assert (
        DEFAULT_RULE.sought,
        DEFAULT_RULE.min_share_top,
        DEFAULT_RULE.max_share_low,
        DEFAULT_RULE.stable_shift,
        DEFAULT_RULE.drop_share_low,
    ) == (3, Fraction(3, 4), Fraction(3, 20), Fraction(3, 20), Fraction(3, 4))
    assert ConsensusRule() == DEFAULT_RULE


def test_rule_registry() -> None:
    assert set(RULES) == {"default", "majority", "top_mean"}
    for key, rule in RULES.items():
        assert rule.key == key and rule.sought == 3


@pytest.mark.parametrize(
    "changes",
    [{"sought": 0}, {"sought": 2.5}, {"min_share_top": 1.5}, {"max_share_low": -0.1}, {"stable_shift": 2.0}, {"top_mean_alpha": 1.5}],
)
def test_rule_validation(changes: dict) -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(DEFAULT_RULE, **changes)


def test_reached_by_shares() -> None:
    # Four voters. Qualify: share of 3s >= .75 (at least 3 of 4) and share of 1s <= .15 (no 1s).
    #   1: 3 3 3 3  mean 3    qualifies
    #   2: 3 3 3 2  mean 2.75 qualifies
    #   3: 3 3 2 3  mean 2.75 qualifies (equal rank with 2)
    #   4: 2 2 1 1  mean 1.5  no
    #   5: 1 1 1 1  mean 1    no (and would drop: share of 1s 1.0)
    # Exactly three qualify -> reached; no next round, so nothing is dropped.
    current, w = round_of({1: [3, 3, 3, 3], 2: [3, 3, 3, 2], 3: [3, 3, 2, 3], 4: [2, 2, 1, 1], 5: [1, 1, 1, 1]})
    assert evaluate(DEFAULT_RULE, current, w, None) == ConsensusOutcome(
        reached=True,
        reason=Reason.SHARES,
        chosen=(1, 2, 3),
        drop=(),
        tie=None,
        next_in_play=(),
        qualified=(1, 2, 3),
    )


def test_qualifiers_are_chosen_even_if_a_non_qualifier_ranks_higher() -> None:
    # Custom rule: no 1s allowed. Theme 9 (3 3 3 1, mean 2.5, share of 3s .75) ranks 2nd but has a 1;
    # themes 1 (3 3 3 3), 2 (3 3 2 2, mean 2.5, share .5) and 3 (3 2 3 2) qualify with share of 3s >= .5.
    rule = ConsensusRule(min_share_top=0.5, max_share_low=0.0)
    current, w = round_of({1: [3, 3, 3, 3], 2: [3, 3, 2, 2], 3: [3, 2, 3, 2], 9: [3, 3, 3, 1]})
    assert current.theme(9).rank == 2
    outcome = evaluate(rule, current, w, None)
    assert outcome.reached and outcome.chosen == (1, 2, 3)


def test_more_qualify_than_sought_top_by_rank() -> None:
    # Eight voters: qualify with at least 6 threes (.75) and at most one 1 (1/8 = .125 <= .15).
    #   1: 3x8            mean 3      rank 1
    #   2: 3x7, 2         mean 2.875  rank 2
    #   4: 3x7, 1         mean 2.75, share of 3s .875  rank 3
    #   3: 3x6, 2, 2      mean 2.75, share of 3s .75   rank 4 (second key: share of 3s)
    # Four qualify; the cut after the third falls between ranks 3 and 4 -> reached with 1, 2, 4.
    current, w = round_of(
        {
            1: [3] * 8,
            2: [3] * 7 + [2],
            3: [3] * 6 + [2, 2],
            4: [3] * 7 + [1],
            5: [1, 1, 1, 1, 1, 1, 2, 2],
        }
    )
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert outcome.qualified == (1, 2, 4, 3)
    assert outcome.reached and outcome.reason is Reason.SHARES
    assert outcome.chosen == (1, 2, 4)


def test_tie_at_cut_off() -> None:
    # Four voters. 1: 3 3 3 3 (rank 1); 2, 3, 4: 3 3 3 2 in some order (mean 2.75, all rank 2).
    # Four qualify; the third place falls inside the group 2, 3, 4 -> tie-break on those three for
    # the two places left; theme 1 is secured. Theme 5 (1 1 1 2, share of 1s .75) would drop, but
    # the next round is the tie-break.
    current, w = round_of(
        {1: [3, 3, 3, 3], 2: [3, 3, 3, 2], 3: [3, 3, 2, 3], 4: [2, 3, 3, 3], 5: [1, 1, 1, 2]}
    )
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert outcome == ConsensusOutcome(
        reached=False,
        reason=None,
        chosen=(),
        drop=(),
        tie=(2, 3, 4),
        next_in_play=(2, 3, 4),
        secured=(1,),
        qualified=(1, 2, 3, 4),
    )
    # The tie-break round on 2, 3, 4 fills the two places left: means 2: 3, 4: 2.75, 3: 1.5.
    tie_break = tally_round(ballots_from_columns({2: [3, 3, 3, 3], 3: [1, 2, 1, 2], 4: [3, 2, 3, 3]}))
    places = DEFAULT_RULE.sought - len(outcome.secured)
    assert tie_break.top(places) == (2, 4)
    # Still tied (4 equal to 2): top() says so and another tie-break is needed.
    still_tied = tally_round(ballots_from_columns({2: [3, 3, 3, 2], 3: [1, 2, 1, 2], 4: [3, 2, 3, 3]}))
    assert still_tied.top(places) == (2, 4)  # 2 and 4 tie with each other, but both are in
    assert still_tied.top(1) is None


def test_tie_at_cut_off_with_two_secured() -> None:
    # 1, 2: 3 3 3 3 (rank 1, 1); 3, 4: 3 3 3 2 (rank 3, 3). The cut after place 3 splits 3 and 4.
    current, w = round_of({1: [3, 3, 3, 3], 2: [3, 3, 3, 3], 3: [3, 3, 3, 2], 4: [3, 3, 2, 3]})
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert (outcome.reached, outcome.tie, outcome.secured) == (False, (3, 4), (1, 2))


def test_not_reached_with_drop_outs() -> None:
    # Four voters.
    #   1: 3 3 3 2  qualifies (.75 / 0)
    #   2: 3 3 2 2  share of 3s .5: no
    #   3: 3 2 2 1  no
    #   4: 1 1 1 2  share of 1s .75 >= .75: drops
    #   5: 1 1 1 1  share of 1s 1: drops
    # One qualifier -> not reached. Dropping 4 and 5 leaves 3 themes (>= sought): both go.
    current, w = round_of({1: [3, 3, 3, 2], 2: [3, 3, 2, 2], 3: [3, 2, 2, 1], 4: [1, 1, 1, 2], 5: [1, 1, 1, 1]})
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert outcome == ConsensusOutcome(
        reached=False,
        reason=None,
        chosen=(),
        drop=(4, 5),
        tie=None,
        next_in_play=(1, 2, 3),
        qualified=(1,),
    )


def test_share_of_ones_just_below_drop_threshold_stays() -> None:
    # 2 of 3 voters scored 1: .667 < .75 -> stays.
    current, w = round_of({1: [3, 3, 2], 2: [3, 2, 2], 3: [2, 2, 2], 4: [1, 1, 3], 5: [2, 3, 3]})
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert outcome.drop == () and set(outcome.next_in_play) == {1, 2, 3, 4, 5}


def test_drop_never_leaves_fewer_than_sought() -> None:
    # 1: 3 3 2 2, 2: 3 2 2 2, 3: 1 1 1 2 (mean 1.25, rank 3), 4: 1 1 1 1 (mean 1, rank 4).
    # Dropping both would leave 2 < 3 themes: only the worst-ranked (4) goes.
    current, w = round_of({1: [3, 3, 2, 2], 2: [3, 2, 2, 2], 3: [1, 1, 1, 2], 4: [1, 1, 1, 1]})
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert (outcome.drop, outcome.next_in_play) == ((4,), (1, 2, 3))
    # If 3 and 4 are equal (both 1 1 1 1), neither can go alone, so neither goes.
    current, w = round_of({1: [3, 3, 2, 2], 2: [3, 2, 2, 2], 3: [1, 1, 1, 1], 4: [1, 1, 1, 1]})
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert (outcome.drop, outcome.next_in_play) == ((), (1, 2, 3, 4))
    # Worst first: 3 and 4 (1 1 1 1, tied last) cannot go, so the better-ranked 2 (1 1 1 2) stays too.
    current, w = round_of({1: [3, 3, 2, 2], 2: [1, 1, 1, 2], 3: [1, 1, 1, 1], 4: [1, 1, 1, 1]})
    outcome = evaluate(DEFAULT_RULE, current, w)
    assert (outcome.drop, outcome.next_in_play) == ((), (1, 2, 3, 4))


# Stable top. Four voters, themes 1-4; only themes 1 and 2 meet the thresholds (3 of 4 gave a 3, no 1).
# Previous round: 1: 3 3 3 3, 2: 3 3 3 2, 3: 2 2 2 3, 4: 1 1 1 1 -> top 3 {1, 2, 3}
# This round:     1: 3 3 3 3, 2: 3 3 3 3, 3: 2 2 2 2, 4: 1 1 1 1 -> top 3 {1, 2, 3}
# Shifts: 1: 0; 2: one of four votes moved from 2 to 3 = 25%; 3: 25%. 2 and 3 are not stable yet.
PREVIOUS_STABLE = {1: [3, 3, 3, 3], 2: [3, 3, 3, 2], 3: [2, 2, 2, 3], 4: [1, 1, 1, 1]}
CURRENT_STABLE = {1: [3, 3, 3, 3], 2: [3, 3, 3, 3], 3: [2, 2, 2, 2], 4: [1, 1, 1, 1]}


def test_the_same_top_twice_is_not_enough_when_the_votes_still_move() -> None:
    previous, _ = round_of(PREVIOUS_STABLE)
    current, alpha = round_of(CURRENT_STABLE)
    outcome = evaluate(DEFAULT_RULE, current, alpha, previous)
    assert outcome.reached is False  # 25% of the votes on themes 2 and 3 moved: not stable


def test_reached_by_stable_top() -> None:
    # Eight voters; the top 3 {1, 2, 3} in both rounds, one vote of eight moved on 2 and 3 (12.5%).
    previous, _ = round_of({1: [3] * 8, 2: [3] * 5 + [2] * 3, 3: [2] * 7 + [3], 4: [1] * 8})
    current, alpha = round_of({1: [3] * 8, 2: [3] * 6 + [2] * 2, 3: [2] * 8, 4: [1] * 8})
    assert evaluate(DEFAULT_RULE, current, alpha).reached is False  # shares alone: 2 of 3
    outcome = evaluate(DEFAULT_RULE, current, alpha, previous)
    assert (outcome.reached, outcome.reason, outcome.chosen) == (True, Reason.STABLE_TOP, (1, 2, 3))
    assert outcome.qualified == (1, 2) and outcome.next_in_play == ()


def test_stable_top_limit_is_strictly_less_than_fifteen_percent() -> None:
    # 20 voters: 3 moved votes are exactly 15%: not stable; 2 (10%) are.
    previous, _ = round_of({1: [3] * 20, 2: [3] * 12 + [2] * 8, 3: [2] * 20, 4: [1] * 20})
    moved_three, alpha = round_of({1: [3] * 20, 2: [3] * 15 + [2] * 5, 3: [2] * 20, 4: [1] * 20})
    assert evaluate(DEFAULT_RULE, moved_three, alpha, previous).reached is False
    moved_two, alpha = round_of({1: [3] * 20, 2: [3] * 14 + [2] * 6, 3: [2] * 20, 4: [1] * 20})
    assert evaluate(DEFAULT_RULE, moved_two, alpha, previous).reason is Reason.STABLE_TOP


def test_stable_top_needs_the_same_set() -> None:
    # Previous round had 4 above 3: top 3 {1, 2, 4}.
    previous, _ = round_of({1: [3, 3, 3, 3], 2: [3, 3, 3, 2], 3: [1, 1, 1, 1], 4: [2, 2, 2, 2]})
    current, alpha = round_of(CURRENT_STABLE)
    outcome = evaluate(DEFAULT_RULE, current, alpha, previous)
    assert outcome.reached is False and outcome.tie is None
    # Theme 4 (1 1 1 1) drops; three themes are left, as many as sought.
    assert (outcome.drop, outcome.next_in_play) == ((4,), (1, 2, 3))


def test_stable_top_does_not_need_w() -> None:
    # Identical rounds: stable whatever the agreement; W or alpha play no part in this route.
    columns = {1: [3, 2, 3, 1], 2: [2, 3, 1, 3], 3: [1, 2, 2, 2], 4: [1, 1, 2, 1]}
    current, _ = round_of(columns)
    outcome = evaluate(DEFAULT_RULE, current, None, current)
    assert (outcome.reached, outcome.reason) == (True, Reason.STABLE_TOP)
    assert evaluate(dataclasses.replace(DEFAULT_RULE, stable_shift=None), current, None, current).reached is False


def test_stable_top_wins_over_a_shares_tie() -> None:
    # Custom rule: share of 3s >= .5, no 1s. X (theme 3: 3 3 3 1) ranks 3rd but has a 1.
    # Qualifiers 1, 2 (rank 1), 4, 5 (rank 4, tied) -> shares route ends in a tie on 4, 5;
    # the overall top 3 {1, 2, 3} is well defined and the same, unmoved, in both rounds.
    rule = ConsensusRule(min_share_top=0.5, max_share_low=0.0)
    columns = {1: [3, 3, 3, 3], 2: [3, 3, 3, 3], 3: [3, 3, 3, 1], 4: [3, 3, 2, 2], 5: [3, 3, 2, 2], 6: [1, 1, 1, 1]}
    current, alpha = round_of(columns)
    alone = evaluate(rule, current, alpha)
    assert (alone.tie, alone.secured) == ((4, 5), (1, 2))
    outcome = evaluate(rule, current, alpha, current)
    assert (outcome.reached, outcome.reason, outcome.chosen, outcome.tie) == (True, Reason.STABLE_TOP, (1, 2, 3), None)


def test_majority_rule() -> None:
    # Four voters. Majority: share of 3s > .5 and share of 1s <= .25.
    #   5: 3 3 3 3  yes (default: yes)
    #   2: 3 3 3 2  yes (default: yes)
    #   1: 3 3 3 1  yes: 1s .25 <= .25 (default: no, .25 > .15)
    #   3: 3 3 2 2  no: share of 3s exactly .5 is not > .5
    current, w = round_of({1: [3, 3, 3, 1], 2: [3, 3, 3, 2], 3: [3, 3, 2, 2], 5: [3, 3, 3, 3]})
    outcome = evaluate(RULES["majority"], current, w)
    assert (outcome.reached, outcome.reason, outcome.chosen) == (True, Reason.SHARES, (5, 2, 1))
    assert evaluate(DEFAULT_RULE, current, w).reached is False
    # Without theme 1, only 5 and 2 qualify: 3 (share of 3s exactly .5) does not make the third.
    current, w = round_of({2: [3, 3, 3, 2], 3: [3, 3, 2, 2], 4: [1, 1, 2, 2], 5: [3, 3, 3, 3]})
    outcome = evaluate(RULES["majority"], current, w)
    assert (outcome.reached, outcome.qualified) == (False, (5, 2))


def test_top_mean_rule() -> None:
    rule = RULES["top_mean"]
    # Means 1: 3, 2: 2.5, 3: 2, 4: 1.5 (ballots p0 3 3 2 2, p1 3 2 2 1). Alpha by hand:
    # pairs per theme (m_u = 2, so each pair counts 1): 1: (3,3), 2: (3,2), 3: (2,2), 4: (2,1)
    # coincidences o33 = 2, o32 = o23 = 1, o22 = 2, o21 = o12 = 1; n_1 = 1, n_2 = 4, n_3 = 3, n = 8
    # d^2(1,2) = (1 + 4 - 2.5)^2 = 6.25, d^2(2,3) = (4 + 3 - 3.5)^2 = 12.25, d^2(1,3) = (8 - 2)^2 = 36
    # observed = 2 * (1 * 12.25 + 1 * 6.25) = 37; expected = 2 * (4*3*12.25 + 1*4*6.25 + 1*3*36) = 560
    # alpha = 1 - 7 * 37 / 560 = 1 - 259/560 = 0.5375
    current, alpha = round_of({1: [3, 3], 2: [3, 2], 3: [2, 2], 4: [2, 1]})
    assert alpha == pytest.approx(1 - 259 / 560, abs=1e-9)
    assert evaluate(rule, current, alpha).reached is False  # below Krippendorff's .667
    outcome = evaluate(rule, current, 0.667)
    assert (outcome.reached, outcome.reason, outcome.chosen) == (True, Reason.TOP_MEAN, (1, 2, 3))
    assert evaluate(rule, current, 0.666999999).reached is False
    assert evaluate(rule, current, None).reached is False
    assert evaluate(rule, current, 0.5).next_in_play == (1, 2, 3, 4)


def test_top_mean_rule_reports_tie() -> None:
    # Means 1: 3, 2: 2.5, 3: 2.5, 4: 2.5, 5: 1 -> the cut after place 3 splits 2, 3, 4.
    rule = RULES["top_mean"]
    current, _ = round_of({1: [3, 3], 2: [3, 2], 3: [2, 3], 4: [3, 2], 5: [1, 1]})
    outcome = evaluate(rule, current, 0.7)
    assert (outcome.reached, outcome.tie, outcome.secured, outcome.next_in_play) == (
        False,
        (2, 3, 4),
        (1,),
        (2, 3, 4),
    )


def test_sought_can_be_changed() -> None:
    # Same round as test_reached_by_shares: with sought 2, three qualifiers and a cut inside
    # the tie of 2 and 3 (both rank 2) -> tie.
    current, w = round_of({1: [3, 3, 3, 3], 2: [3, 3, 3, 2], 3: [3, 3, 2, 3], 4: [2, 2, 1, 1], 5: [1, 1, 1, 1]})
    outcome = evaluate(dataclasses.replace(DEFAULT_RULE, sought=2), current, w)
    assert (outcome.tie, outcome.secured) == ((2, 3), (1,))
    outcome = evaluate(dataclasses.replace(DEFAULT_RULE, sought=1), current, w)
    assert outcome.chosen == (1,)


def test_thresholds_are_counts_of_this_rounds_voters() -> None:
    # Eight voters: at least 6 threes, at most 1 one. Seven threes and one 1 qualify; five threes do not.
    limits = DEFAULT_RULE.thresholds(8)
    assert (limits.min_threes, limits.max_ones, limits.drop_ones) == (6, 1, 6)
    current, alpha = round_of({1: [3] * 6 + [2, 1], 2: [3] * 5 + [2] * 3, 3: [3] * 6 + [1, 1], 4: [2] * 8})
    assert [DEFAULT_RULE.qualifies(current.theme(t)) for t in (1, 2, 3, 4)] == [True, False, False, False]
    # Six voters: 15% of 6 is 0.9, so no 1 at all; seven voters: 1.05, so one 1.
    assert DEFAULT_RULE.thresholds(6).max_ones == 0 and DEFAULT_RULE.thresholds(7).max_ones == 1
    # 75% of 4 is 3, of 5 it is 3.75: 4 threes.
    assert DEFAULT_RULE.thresholds(4).min_threes == 3 and DEFAULT_RULE.thresholds(5).min_threes == 4


def test_float_shares_are_read_as_written() -> None:
    # 0.15 * 20 is 3.0000000000000004 in floats: as a count that must still be 3, not 4 or 2.
    rule = ConsensusRule(max_share_low=0.15, min_share_top=0.7)
    assert rule.max_share_low == Fraction(3, 20) and rule.thresholds(20).max_ones == 3
    assert rule.thresholds(10).min_threes == 7  # 0.7 * 10 = 7.000000000000001 in floats
