"""Tally of one anonymous voting round, and how the ranking moved since the previous round.

Each member scores every theme in play 1, 2 or 3 (3 = most priority). Ballots arrive as
``{pseudonym: {theme_id: score}}``; a member may leave themes unscored. Pure logic: plain
data in, frozen dataclasses out.

Ranking (1 = highest): by mean score, then by share of 3s, then by fewer 1s (the count, see
below). Themes equal on all three keys share a rank; ranks use competition ranking
("1, 2, 2, 4"). The comparison is exact (fractions), so 2/3 and 4/6 are equal.

Why the third key is a *count*: mean = 2 + share_of_3s - share_of_1s, so two themes with the
same mean and the same share of 3s always have the same share of 1s. The third key therefore
only separates themes scored by different numbers of voters (e.g. 3,1 ranks above 3,3,1,1).

A theme nobody scored (possible when ``themes`` names it) has ``mean``/``median`` ``None``,
shares 0.0, and ranks after every theme that got votes (all such themes tie).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from statistics import median as _median

VALID_SCORES = (1, 2, 3)

Ballots = Mapping[str, Mapping[int, int]]
"""``{pseudonym: {theme_id: score}}``."""


def validate_scores(scores: Ballots, themes: Iterable[int] | None = None) -> tuple[int, ...]:
    """Check every score and return the themes in play, sorted.

    Raises :class:`ValueError` for a score that is not the integer 1, 2 or 3 (``True``,
    ``2.0`` and ``"3"`` are rejected too), and, when ``themes`` is given, for a score on a
    theme that is not in play. Without ``themes`` the themes in play are those that got a score.
    """
    in_play = None if themes is None else set(themes)
    seen: set[int] = set()
    for pseudonym, ballot in scores.items():
        for theme_id, score in ballot.items():
            if type(score) is not int or score not in VALID_SCORES:
                raise ValueError(f"score {score!r} for theme {theme_id!r} on ballot {pseudonym!r} is not 1, 2 or 3")
            if in_play is not None and theme_id not in in_play:
                raise ValueError(f"theme {theme_id!r} on ballot {pseudonym!r} is not in play")
            seen.add(theme_id)
    return tuple(sorted(seen if in_play is None else in_play))


@dataclass(frozen=True)
class ThemeTally:
    """Figures for one theme in one round."""

    theme_id: int
    votes: int  # ballots that scored this theme
    total: int  # sum of the scores
    mean: float | None  # None when votes == 0
    median: float | None  # None when votes == 0; x.5 possible with an even number of votes
    ones: int
    twos: int
    threes: int
    share_threes: float  # threes / votes (0.0 when votes == 0)
    share_ones: float  # ones / votes (0.0 when votes == 0)
    rank: int  # 1 = highest priority; competition ranking

    def count(self, score: int) -> int:
        """How many voters gave ``score``."""
        return {1: self.ones, 2: self.twos, 3: self.threes}[score]

    @property
    def modal_count(self) -> int:
        """How many voters gave the most given score (0 without votes)."""
        return max(self.ones, self.twos, self.threes)

    @property
    def modal_scores(self) -> tuple[int, ...]:
        """The most given score, highest first; two or three when they are given equally often; ()
        without votes."""
        if not self.votes:
            return ()
        return tuple(s for s in reversed(VALID_SCORES) if self.count(s) == self.modal_count)


@dataclass(frozen=True)
class RoundTally:
    """All themes of one round, in rank order (equal ranks by theme id)."""

    themes: tuple[ThemeTally, ...]
    ballots: int  # ballots received, including ones that scored nothing

    @property
    def theme_ids(self) -> tuple[int, ...]:
        """Theme ids in rank order."""
        return tuple(t.theme_id for t in self.themes)

    def theme(self, theme_id: int) -> ThemeTally:
        """The figures for ``theme_id``; :class:`KeyError` when it was not in play."""
        for t in self.themes:
            if t.theme_id == theme_id:
                return t
        raise KeyError(theme_id)

    def __contains__(self, theme_id: object) -> bool:
        return any(t.theme_id == theme_id for t in self.themes)

    def top(self, n: int) -> tuple[int, ...] | None:
        """The ``n`` highest-ranked theme ids, in rank order.

        ``None`` when that set is not well defined: fewer than ``n`` themes, or the cut-off after
        position ``n`` falls inside a group of equally ranked themes.
        """
        if n < 1 or n > len(self.themes):
            return None
        if n < len(self.themes) and self.themes[n].rank == self.themes[n - 1].rank:
            return None
        return self.theme_ids[:n]

    def tied_at(self, position: int) -> tuple[int, ...]:
        """Theme ids sharing the rank of the theme at 1-based ``position`` (including it)."""
        rank = self.themes[position - 1].rank
        return tuple(t.theme_id for t in self.themes if t.rank == rank)


def _sort_key(votes: int, total: int, threes: int, ones: int) -> tuple:
    if votes == 0:
        return (0, 0, 0, 0)
    return (1, Fraction(total, votes), Fraction(threes, votes), -ones)


def rank_key(theme: ThemeTally) -> tuple:
    """What the ranking sorts on (higher ranks first): mean, share of 3s, fewer 1s, exactly."""
    return _sort_key(theme.votes, theme.total, theme.threes, theme.ones)


def tally_round(scores: Ballots, *, themes: Iterable[int] | None = None) -> RoundTally:
    """Count one round.

    ``scores`` maps a ballot pseudonym to ``{theme_id: score}``. ``themes`` (optional) names the
    themes in play, so a theme nobody scored still appears; without it the themes in play are
    those that received at least one score. Raises :class:`ValueError` on an invalid score.
    """
    theme_ids = validate_scores(scores, themes)
    per_theme: dict[int, list[int]] = {t: [] for t in theme_ids}
    for ballot in scores.values():
        for theme_id, score in ballot.items():
            per_theme[theme_id].append(score)

    raw = []
    for theme_id in theme_ids:
        values = per_theme[theme_id]
        votes = len(values)
        ones, twos, threes = (values.count(s) for s in VALID_SCORES)
        raw.append((theme_id, votes, sum(values), ones, twos, threes, values))

    keys = {r[0]: _sort_key(r[1], r[2], r[5], r[3]) for r in raw}
    tallies = []
    for theme_id, votes, total, ones, twos, threes, values in raw:
        key = keys[theme_id]
        rank = 1 + sum(1 for other in keys.values() if other > key)
        tallies.append(
            ThemeTally(
                theme_id=theme_id,
                votes=votes,
                total=total,
                mean=total / votes if votes else None,
                median=float(_median(values)) if votes else None,
                ones=ones,
                twos=twos,
                threes=threes,
                share_threes=threes / votes if votes else 0.0,
                share_ones=ones / votes if votes else 0.0,
                rank=rank,
            )
        )
    tallies.sort(key=lambda t: (t.rank, t.theme_id))
    return RoundTally(themes=tuple(tallies), ballots=len(scores))


class Movement(StrEnum):
    """How a theme's rank changed between two rounds (values are the translation keys)."""

    ROSE = "rose"
    FELL = "fell"
    SAME = "same"
    NEW = "new"  # not in play in the previous round
    DROPPED = "dropped"  # in play in the previous round, not in this one


@dataclass(frozen=True)
class ThemeChange:
    theme_id: int
    previous_rank: int | None
    current_rank: int | None
    movement: Movement

    @property
    def places(self) -> int | None:
        """Places gained (positive = rose, negative = fell); ``None`` for new/dropped themes."""
        if self.previous_rank is None or self.current_rank is None:
            return None
        return self.previous_rank - self.current_rank


@dataclass(frozen=True)
class RoundChange:
    """Rank changes per theme: current themes in current rank order, then dropped ones."""

    themes: tuple[ThemeChange, ...]
    top_n: int
    previous_top: tuple[int, ...] | None  # RoundTally.top(top_n) of the previous round
    current_top: tuple[int, ...] | None
    top_same: bool  # both top sets well defined and equal as sets

    def change(self, theme_id: int) -> ThemeChange:
        for c in self.themes:
            if c.theme_id == theme_id:
                return c
        raise KeyError(theme_id)


def compare_rounds(previous: RoundTally, current: RoundTally, top_n: int = 3) -> RoundChange:
    """Compare the raw rank numbers of two rounds, and whether the top ``top_n`` set held.

    ``top_same`` is False when either round's top ``top_n`` is not well defined (a tie at the
    cut-off, or fewer than ``top_n`` themes), since "the same set" cannot then be asserted.
    """
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    changes = []
    for t in current.themes:
        if t.theme_id in previous:
            before = previous.theme(t.theme_id).rank
            if t.rank < before:
                movement = Movement.ROSE
            elif t.rank > before:
                movement = Movement.FELL
            else:
                movement = Movement.SAME
            changes.append(ThemeChange(t.theme_id, before, t.rank, movement))
        else:
            changes.append(ThemeChange(t.theme_id, None, t.rank, Movement.NEW))
    for t in previous.themes:
        if t.theme_id not in current:
            changes.append(ThemeChange(t.theme_id, t.rank, None, Movement.DROPPED))
    previous_top = previous.top(top_n)
    current_top = current.top(top_n)
    top_same = previous_top is not None and current_top is not None and set(previous_top) == set(current_top)
    return RoundChange(
        themes=tuple(changes),
        top_n=top_n,
        previous_top=previous_top,
        current_top=current_top,
        top_same=top_same,
    )
