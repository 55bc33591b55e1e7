"""Tally and round comparison against figures worked out by hand."""

from __future__ import annotations

import pytest

from method.voting.tally import Movement, RoundTally, ThemeTally, compare_rounds, tally_round, validate_scores


def ballots_from_columns(columns: dict[int, list[int | None]]) -> dict[str, dict[int, int]]:
    """{theme: [score of voter 0, voter 1, ...]} -> {pseudonym: {theme: score}}; None = unscored."""
    voters = len(next(iter(columns.values())))
    return {
        f"p{i}": {theme: col[i] for theme, col in columns.items() if col[i] is not None} for i in range(voters)
    }


def test_ballots_helper() -> None:
    assert ballots_from_columns({1: [3, None], 2: [1, 2]}) == {"p0": {1: 3, 2: 1}, "p1": {2: 2}}


# Four ballots over themes 10, 20, 30; p4 left theme 30 unscored.
#   p1: 10:3 20:2 30:1
#   p2: 10:3 20:3 30:1
#   p3: 10:2 20:3 30:1
#   p4: 10:3 20:1
# Theme 10: scores 3,3,2,3 -> votes 4, total 11, mean 11/4 = 2.75, sorted 2,3,3,3 -> median (3+3)/2 = 3,
#           ones 0, twos 1, threes 3, share of 3s 3/4 = .75, share of 1s 0.
# Theme 20: scores 2,3,3,1 -> votes 4, total 9, mean 2.25, sorted 1,2,3,3 -> median (2+3)/2 = 2.5,
#           ones 1, twos 1, threes 2, share of 3s .5, share of 1s .25.
# Theme 30: scores 1,1,1 -> votes 3, total 3, mean 1, median 1, ones 3, share of 1s 1.
# Ranks by mean: 10 (2.75) -> 1, 20 (2.25) -> 2, 30 (1.0) -> 3.
HAND = {
    "p1": {10: 3, 20: 2, 30: 1},
    "p2": {10: 3, 20: 3, 30: 1},
    "p3": {10: 2, 20: 3, 30: 1},
    "p4": {10: 3, 20: 1},
}


def test_hand_worked_tally() -> None:
    tally = tally_round(HAND)
    assert tally.ballots == 4
    assert tally.theme_ids == (10, 20, 30)
    assert tally.theme(10) == ThemeTally(
        theme_id=10, votes=4, total=11, mean=2.75, median=3.0, ones=0, twos=1, threes=3,
        share_threes=0.75, share_ones=0.0, rank=1,
    )  # fmt: skip
    assert tally.theme(20) == ThemeTally(
        theme_id=20, votes=4, total=9, mean=2.25, median=2.5, ones=1, twos=1, threes=2,
        share_threes=0.5, share_ones=0.25, rank=2,
    )  # fmt: skip
    assert tally.theme(30) == ThemeTally(
        theme_id=30, votes=3, total=3, mean=1.0, median=1.0, ones=3, twos=0, threes=0,
        share_threes=0.0, share_ones=1.0, rank=3,
    )  # fmt: skip


def test_result_is_frozen() -> None:
    tally = tally_round(HAND)
    with pytest.raises(AttributeError):
        tally.ballots = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        tally.themes[0].rank = 2  # type: ignore[misc]


def test_competition_ranking_with_share_of_threes_as_second_key() -> None:
    # Theme 4: 3,3 -> mean 3                      -> rank 1
    # Theme 1: 3,1 -> mean 2, share of 3s .5      -> rank 2
    # Theme 3: 1,3 -> mean 2, share of 3s .5      -> rank 2 (equal on every key)
    # Theme 2: 2,2 -> mean 2, share of 3s 0       -> rank 4 (not 3: competition ranking)
    tally = tally_round(ballots_from_columns({1: [3, 1], 2: [2, 2], 3: [1, 3], 4: [3, 3]}))
    assert [(t.theme_id, t.rank) for t in tally.themes] == [(4, 1), (1, 2), (3, 2), (2, 4)]
    assert tally.top(1) == (4,)
    assert tally.top(2) is None  # cut-off inside the tie of themes 1 and 3
    assert tally.top(3) == (4, 1, 3)
    assert tally.top(4) == (4, 1, 3, 2)
    assert tally.top(5) is None  # fewer than 5 themes
    assert tally.tied_at(2) == (1, 3)
    assert tally.tied_at(4) == (2,)


def test_fewer_ones_breaks_the_last_tie() -> None:
    # Theme 1: 3,1       -> mean 2, share of 3s 1/2, one 1
    # Theme 2: 3,3,1,1   -> mean 2, share of 3s 2/4, two 1s -> ranks below theme 1
    ballots = ballots_from_columns({1: [3, 1, None, None], 2: [3, 3, 1, 1]})
    tally = tally_round(ballots)
    assert (tally.theme(1).rank, tally.theme(2).rank) == (1, 2)
    assert tally.theme(1).mean == tally.theme(2).mean == 2.0


def test_equal_means_from_different_vote_counts_are_exactly_equal() -> None:
    # Theme 1: 3,2,1 -> 6/3 = 2 and theme 2: 3,1,2,2,3,1 -> 12/6 = 2; share of 3s 1/3 both, one 1 vs two.
    # Theme 3: 3,3,2 -> 8/3 and theme 4: 3,3,2,3,3,2 -> 16/6 = 8/3, share of 3s 2/3, no 1s: a true tie.
    ballots = ballots_from_columns(
        {1: [3, 2, 1, None, None, None], 2: [3, 1, 2, 2, 3, 1], 3: [3, 3, 2, None, None, None], 4: [3, 3, 2, 3, 3, 2]}
    )
    tally = tally_round(ballots)
    assert [(t.theme_id, t.rank) for t in tally.themes] == [(3, 1), (4, 1), (1, 3), (2, 4)]


def test_themes_in_play_without_votes() -> None:
    tally = tally_round({"a": {1: 2}, "b": {1: 1, 2: 1}}, themes=[1, 2, 3, 4])
    assert tally.theme_ids == (1, 2, 3, 4)
    assert [t.rank for t in tally.themes] == [1, 2, 3, 3]  # 1.5 > 1.0 > no votes (tied)
    unscored = tally.theme(3)
    assert (unscored.votes, unscored.total, unscored.mean, unscored.median) == (0, 0, None, None)
    assert (unscored.share_threes, unscored.share_ones) == (0.0, 0.0)


def test_empty_round() -> None:
    assert tally_round({}) == RoundTally(themes=(), ballots=0)
    assert tally_round({"a": {}}).ballots == 1


@pytest.mark.parametrize("bad", [0, 4, -1, 2.0, 2.5, True, "3", None])
def test_invalid_score_is_rejected(bad: object) -> None:
    with pytest.raises(ValueError):
        tally_round({"a": {1: 3}, "b": {1: bad}})  # type: ignore[dict-item]


def test_score_on_theme_not_in_play_is_rejected() -> None:
    with pytest.raises(ValueError, match="not in play"):
        tally_round({"a": {1: 3, 9: 2}}, themes=[1, 2])
    assert validate_scores({"a": {1: 3, 9: 2}}) == (1, 9)


def test_theme_lookup() -> None:
    tally = tally_round(HAND)
    assert 20 in tally and 40 not in tally
    with pytest.raises(KeyError):
        tally.theme(40)


# Previous round (themes 1-4), two ballots:
#   a: 1:3 2:3 3:2 4:1     b: 1:3 2:2 3:2 4:1
#   means 1: 3, 2: 2.5, 3: 2, 4: 1 -> ranks 1, 2, 3, 4; top 3 {1, 2, 3}
# Current round (theme 1 gone, theme 5 new):
#   a: 2:2 3:3 4:1 5:3     b: 2:2 3:3 4:1 5:2
#   means 3: 3, 5: 2.5, 2: 2, 4: 1 -> ranks 3:1, 5:2, 2:3, 4:4; top 3 {3, 5, 2}
PREVIOUS = {"a": {1: 3, 2: 3, 3: 2, 4: 1}, "b": {1: 3, 2: 2, 3: 2, 4: 1}}
CURRENT = {"a": {2: 2, 3: 3, 4: 1, 5: 3}, "b": {2: 2, 3: 3, 4: 1, 5: 2}}


def test_compare_rounds() -> None:
    change = compare_rounds(tally_round(PREVIOUS), tally_round(CURRENT), top_n=3)
    rows = [(c.theme_id, c.previous_rank, c.current_rank, c.movement, c.places) for c in change.themes]
    assert rows == [
        (3, 3, 1, Movement.ROSE, 2),
        (5, None, 2, Movement.NEW, None),
        (2, 2, 3, Movement.FELL, -1),
        (4, 4, 4, Movement.SAME, 0),
        (1, 1, None, Movement.DROPPED, None),
    ]
    assert change.change(3).movement == "rose"  # StrEnum compares with its translation key
    assert change.previous_top == (1, 2, 3)
    assert change.current_top == (3, 5, 2)
    assert change.top_same is False
    # The top 1 differs too: theme 1 before, theme 3 now.
    assert compare_rounds(tally_round(PREVIOUS), tally_round(CURRENT), top_n=1).top_same is False


def test_top_set_same_despite_reordering() -> None:
    # Previous: means 1: 3, 2: 2.5, 3: 2, 4: 1. Now: b swaps 1 and 2 -> means 1: 2.5, 2: 3 (order changes).
    now = {"a": {1: 3, 2: 3, 3: 2, 4: 1}, "b": {1: 2, 2: 3, 3: 2, 4: 1}}
    change = compare_rounds(tally_round(PREVIOUS), tally_round(now), top_n=3)
    assert change.current_top == (2, 1, 3)
    assert change.top_same is True
    assert change.change(1).movement is Movement.FELL and change.change(2).movement is Movement.ROSE


def test_top_set_not_same_when_cut_off_is_tied() -> None:
    # Now themes 3 and 4 tie (both 2,2): ranks 1, 2, 3, 3 -> the top 3 is not well defined.
    now = {"a": {1: 3, 2: 3, 3: 2, 4: 2}, "b": {1: 3, 2: 2, 3: 2, 4: 2}}
    change = compare_rounds(tally_round(PREVIOUS), tally_round(now), top_n=3)
    assert change.current_top is None
    assert change.top_same is False
    assert compare_rounds(tally_round(PREVIOUS), tally_round(now), top_n=2).top_same is True


def test_compare_rounds_rejects_bad_n() -> None:
    with pytest.raises(ValueError):
        compare_rounds(tally_round(PREVIOUS), tally_round(CURRENT), top_n=0)
