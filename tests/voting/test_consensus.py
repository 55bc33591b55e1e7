"""Consensus rule: reached by shares, by a stable top, not reached, tie at the cut-off, drop-outs."""

from __future__ import annotations

import dataclasses

import pytest

from method.voting.concordance import kendall_w
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
    return tally_round(ballots), kendall_w(ballots)


def test_default_rule_values() -> None:
    assert (
        DEFAULT_RULE.sought,
        DEFAULT_RULE.min_share_top,
        DEFAULT_RULE.max_share_low,
        DEFAULT_RULE.stable_w,
        DEFAULT_RULE.drop_share_low,
    ) == (3, 0.75, 0.15, 0.7, 0.75)
    assert ConsensusRule() == DEFAULT_RULE


def test_rule_registry() -> None:
    assert set(RULES) == {"default", "majority", "top_mean"}
    for key, rule in RULES.items():
        assert rule.key == key and rule.sought == 3


@pytest.mark.parametrize(
    "changes",
    [{"sought": 0}, {"sought": 2.5}, {"min_share_top": 1.5}, {"max_share_low": -0.1}, {"stable_w": 2.0}],
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
    assert evaluate(DEFAULT_RULE, current, w, None, None) == ConsensusOutcome(
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
    outcome = evaluate(rule, current, w, None, None)
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


# Stable top. Four voters, themes 1-4; only themes 1 and 2 meet the shares, so route 1 fails.
# Previous round: a, b, c score 3 3 2 1; d scores 3 2 3 1 -> W = .8125 (see test_concordance).
#   means 1: 3, 2: 2.75, 3: 2.25, 4: 1 -> top 3 {1, 2, 3}
# This round: all four score 3 3 2 1 -> W = 1 (identical ballots), ranks 1, 1, 3, 4 -> top 3 {1, 2, 3}.
PREVIOUS_STABLE = {1: [3, 3, 3, 3], 2: [3, 3, 3, 2], 3: [2, 2, 2, 3], 4: [1, 1, 1, 1]}
CURRENT_STABLE = {1: [3, 3, 3, 3], 2: [3, 3, 3, 3], 3: [2, 2, 2, 2], 4: [1, 1, 1, 1]}


def test_reached_by_stable_top() -> None:
    previous, previous_w = round_of(PREVIOUS_STABLE)
    current, w = round_of(CURRENT_STABLE)
    assert (previous_w, w) == (pytest.approx(0.8125), 1.0)
    assert evaluate(DEFAULT_RULE, current, w, None, None).reached is False  # shares alone: 2 of 3
    outcome = evaluate(DEFAULT_RULE, current, w, previous, previous_w)
    assert (outcome.reached, outcome.reason, outcome.chosen) == (True, Reason.STABLE_TOP, (1, 2, 3))
    assert outcome.qualified == (1, 2) and outcome.next_in_play == ()


def test_stable_top_needs_strong_agreement_in_both_rounds() -> None:
    previous, _ = round_of(PREVIOUS_STABLE)
    current, w = round_of(CURRENT_STABLE)
    assert evaluate(DEFAULT_RULE, current, w, previous, 0.69).reached is False
    assert evaluate(DEFAULT_RULE, current, 0.69, previous, 0.9).reached is False
    assert evaluate(DEFAULT_RULE, current, w, previous, None).reached is False
    assert evaluate(DEFAULT_RULE, current, w, previous, 0.7).reached is True  # >= threshold


def test_stable_top_needs_the_same_set() -> None:
    # Previous round had 4 above 3: top 3 {1, 2, 4}.
    previous, previous_w = round_of({1: [3, 3, 3, 3], 2: [3, 3, 3, 2], 3: [1, 1, 1, 1], 4: [2, 2, 2, 2]})
    assert previous_w >= 0.7
    current, w = round_of(CURRENT_STABLE)
    outcome = evaluate(DEFAULT_RULE, current, w, previous, previous_w)
    assert outcome.reached is False and outcome.tie is None
    # Theme 4 (1 1 1 1) drops; three themes are left, as many as sought.
    assert (outcome.drop, outcome.next_in_play) == ((4,), (1, 2, 3))


def test_stable_top_wins_over_a_shares_tie() -> None:
    # Custom rule: share of 3s >= .5, no 1s. X (theme 3: 3 3 3 1) ranks 3rd but has a 1.
    # Qualifiers 1, 2 (rank 1), 4, 5 (rank 4, tied) -> shares route ends in a tie on 4, 5;
    # the overall top 3 {1, 2, 3} is well defined and the same in both rounds with W >= .7.
    rule = ConsensusRule(min_share_top=0.5, max_share_low=0.0)
    columns = {1: [3, 3, 3, 3], 2: [3, 3, 3, 3], 3: [3, 3, 3, 1], 4: [3, 3, 2, 2], 5: [3, 3, 2, 2], 6: [1, 1, 1, 1]}
    current, w = round_of(columns)
    assert w >= 0.7
    alone = evaluate(rule, current, w)
    assert (alone.tie, alone.secured) == ((4, 5), (1, 2))
    outcome = evaluate(rule, current, w, current, w)
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
    # Means 1: 3, 2: 2.5, 3: 2, 4: 1.5 (ballots p0 3 3 2 2, p1 3 2 2 1) -> W from the ballots.
    # p0 ranks 3.5 3.5 1.5 1.5 (T = 12), p1 ranks 4 2.5 2.5 1 (T = 6); R = 7.5 6 4 2.5; mean 5
    # S = 6.25 + 1 + 1 + 6.25 = 14.5; W = 12*14.5 / (4*60 - 2*18) = 174 / 204 = .853
    current, w = round_of({1: [3, 3], 2: [3, 2], 3: [2, 2], 4: [2, 1]})
    assert w == pytest.approx(174 / 204)
    outcome = evaluate(rule, current, w)
    assert (outcome.reached, outcome.reason, outcome.chosen) == (True, Reason.TOP_MEAN, (1, 2, 3))
    assert evaluate(rule, current, 0.49).reached is False
    assert evaluate(rule, current, None).reached is False
    assert evaluate(rule, current, 0.49).next_in_play == (1, 2, 3, 4)


def test_top_mean_rule_reports_tie() -> None:
    # Means 1: 3, 2: 2.5, 3: 2.5, 4: 2.5, 5: 1 -> the cut after place 3 splits 2, 3, 4.
    rule = RULES["top_mean"]
    current, _ = round_of({1: [3, 3], 2: [3, 2], 3: [2, 3], 4: [3, 2], 5: [1, 1]})
    outcome = evaluate(rule, current, 0.6)
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
