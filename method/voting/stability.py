"""Stability between two consecutive rounds: did the answers stop moving?

Agreement within a round (alpha, W) says nothing about whether another round would change the
outcome; stability does. Two measures:

- Per theme, the **shift** of its distribution of scores: half the sum over the scores 1, 2, 3 of
  the difference in the share of voters who gave it,
  ``shift = 1/2 * sum_s |share_s(before) - share_s(after)|``. It is the smallest share of voters
  that would have to change their score to turn one distribution into the other ("net change").
  Scheibe, Skutsch and Schofer (1975), reviewed by von der Gracht (2012, "Consensus measurement in
  Delphi studies", Technological Forecasting & Social Change 79), call a distribution stable when
  it changed by less than 15%. With the same 8 voters in both rounds, 1 moved vote is 12.5%
  (stable), 2 are 25%.
- For the whole group ranking, **Spearman's rank correlation** between the two rounds' rankings
  over the themes in both: 1 = the same order, 0 = no relation, -1 = the order turned around.
  Ties get their average rank (the ranking keys of tally.py), so this is Pearson's correlation of
  those ranks. Undefined with fewer than 3 themes in common, or when every theme is tied in
  either round.

"The same top twice" (the consensus rule's stable-top route) asks that the top set is the same
in both rounds *and* that each of its themes is stable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from method.voting.tally import VALID_SCORES, RoundTally, ThemeTally, rank_key
from method.voting.thresholds import exact, keep

STABLE_SHIFT = Fraction(15, 100)  # "less than 15% changed"


def shift(before: ThemeTally, after: ThemeTally) -> Fraction | None:
    """Share of votes that moved between two rounds for one theme; ``None`` when either had none."""
    if not before.votes or not after.votes:
        return None
    moved = sum(
        abs(Fraction(before.count(s), before.votes) - Fraction(after.count(s), after.votes)) for s in VALID_SCORES
    )
    return moved / 2


def _average_ranks(keys: list[tuple]) -> list[Fraction]:
    """1 = the lowest key; equal keys share the average of the ranks they span."""
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    ranks: list[Fraction] = [Fraction(0)] * len(keys)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and keys[order[end + 1]] == keys[order[start]]:
            end += 1
        for i in order[start : end + 1]:  # ranks start + 1 .. end + 1, averaged
            ranks[i] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def rank_correlation(previous: RoundTally, current: RoundTally) -> float | None:
    """Spearman's rho between the two rankings over the themes both rounds had (with votes)."""
    common = [t.theme_id for t in current.themes if t.votes and t.theme_id in previous and previous.theme(t.theme_id).votes]
    if len(common) < 3:
        return None
    x = _average_ranks([rank_key(previous.theme(t)) for t in common])
    y = _average_ranks([rank_key(current.theme(t)) for t in common])
    n = len(common)
    mean = Fraction(n + 1, 2)  # the average of average ranks is always (n + 1) / 2
    sxy = sum((a - mean) * (b - mean) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mean) ** 2 for a in x)
    syy = sum((b - mean) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return keep(max(-1.0, min(1.0, float(sxy) / math.sqrt(float(sxx) * float(syy)))))


@dataclass(frozen=True)
class Stability:
    """How the round moved against the previous one."""

    shifts: Mapping[int, Fraction] = field(default_factory=dict)  # theme -> shift, for themes in both rounds
    rho: float | None = None  # Spearman's rank correlation of the two rankings
    top_n: int = 3
    top: tuple[int, ...] | None = None  # this round's top ``top_n`` (None: not well defined)
    top_same: bool = False  # both rounds' top sets well defined and equal
    limit: Fraction = STABLE_SHIFT

    def stable(self, theme_id: int) -> bool:
        """The theme's scores moved by less than the limit (False when not in both rounds)."""
        moved = self.shifts.get(theme_id)
        return moved is not None and moved < self.limit

    @property
    def top_stable(self) -> bool:
        """The same top in both rounds, and every theme in it stable."""
        return self.top_same and self.top is not None and all(self.stable(t) for t in self.top)

    @property
    def largest_top_shift(self) -> Fraction | None:
        """The largest shift among this round's top themes that were in both rounds."""
        moves = [self.shifts[t] for t in self.top or () if t in self.shifts]
        return max(moves) if moves else None


def stability(previous: RoundTally, current: RoundTally, *, top_n: int, limit: Fraction | float = STABLE_SHIFT) -> Stability:
    """Shifts per theme, the rank correlation, and whether the top ``top_n`` held and stayed put."""
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    shifts = {}
    for t in current.themes:
        if t.theme_id in previous:
            moved = shift(previous.theme(t.theme_id), t)
            if moved is not None:
                shifts[t.theme_id] = moved
    now, before = current.top(top_n), previous.top(top_n)
    return Stability(
        shifts=shifts,
        rho=rank_correlation(previous, current),
        top_n=top_n,
        top=now,
        top_same=now is not None and before is not None and set(now) == set(before),
        limit=exact(limit),
    )
