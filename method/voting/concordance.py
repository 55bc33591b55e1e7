"""Kendall's coefficient of concordance W over the members' ballots of one round (a secondary figure).

W measures how alike the members *rank* the themes. On 1-3 scores nearly everything is a tie, so
it says little: a member who scores everything 2 counts as a rater without adding a ranking, and
with few voters W varies widely. The round's agreement figure is Krippendorff's alpha (alpha.py);
W is shown beside it, with Schmidt's words.

Each complete ballot is turned into ranks across the themes in play (a higher score gets a
higher rank; tied scores get the average of the ranks they span). With m ballots, n themes,
R_i the rank sum of theme i and T_j = sum over the tie groups of ballot j of (t^3 - t)::

    S = sum_i (R_i - m (n + 1) / 2)^2
    W = 12 S / (m^2 (n^3 - n) - m sum_j T_j)

W is the same whichever way ranks run, as long as every ballot uses the same direction.
With the tie correction W still lies in [0, 1] (Cauchy-Schwarz per theme); 1 means all
ballots rank the themes identically.

Only *complete* ballots count: a ballot that left any theme in play unscored is left out
entirely, because ranks across a partial set of themes are not comparable with ranks across
all of them. :func:`concordance` reports how many ballots were used and left out.

Scores 1..3 over more than three themes always contain ties, so the tie correction matters
in practice. Arithmetic is exact (integers) until the final division; W is kept to 9 decimals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from method.voting.tally import Ballots, validate_scores
from method.voting.thresholds import keep

AGREEMENT_KEYS = ("very_weak", "weak", "moderate", "strong", "unusually_strong")

# Schmidt (1997), "Managing Delphi surveys using nonparametric statistical techniques", Decision
# Sciences 28(3), Table 2, reads W = .1 as very weak agreement, .3 weak, .5 moderate, .7 strong
# and .9 unusually strong. A value takes the label of the highest anchor it reaches (0.55 is
# moderate: it has not reached .7); below .3 is very weak, .1 included.
AGREEMENT_BANDS = ((0.9, "unusually_strong"), (0.7, "strong"), (0.5, "moderate"), (0.3, "weak"))


@dataclass(frozen=True)
class Concordance:
    w: float | None  # None when undefined (see kendall_w)
    ballots: int  # complete ballots used (m)
    excluded: int  # ballots left out because they missed a theme in play
    themes: int  # themes in play (n)


def _doubled_average_ranks(values: Sequence[int]) -> list[int]:
    """Twice the average rank (1 = lowest value) of each value; integers, so arithmetic stays exact.

    A value with ``below`` values smaller and ``equal`` values equal (itself included) spans
    ranks below+1 .. below+equal, whose average doubled is 2*below + equal + 1.
    """
    counts = Counter(values)
    result = []
    for v in values:
        below = sum(c for other, c in counts.items() if other < v)
        result.append(2 * below + counts[v] + 1)
    return result


def concordance(scores: Ballots, *, themes: Iterable[int] | None = None) -> Concordance:
    """Kendall's W with tie correction, plus how many ballots it rests on.

    ``themes`` names the themes in play; without it they are the themes that got any score.
    Raises :class:`ValueError` on an invalid score (as :func:`method.voting.tally.tally_round`).
    """
    theme_ids = validate_scores(scores, themes)
    n = len(theme_ids)
    complete = [ballot for ballot in scores.values() if all(t in ballot for t in theme_ids)]
    m = len(complete)
    result = Concordance(w=None, ballots=m, excluded=len(scores) - m, themes=n)
    if m < 2 or n < 2:
        return result

    doubled_sums = [0] * n  # 2 * R_i
    tie_sum = 0  # sum_j T_j
    for ballot in complete:
        values = [ballot[t] for t in theme_ids]
        for i, r2 in enumerate(_doubled_average_ranks(values)):
            doubled_sums[i] += r2
        tie_sum += sum(t**3 - t for t in Counter(values).values())

    # 4 S = sum_i (2 R_i - m (n + 1))^2, so W = 12 S / D = 3 (4 S) / D.
    four_s = sum((r2 - m * (n + 1)) ** 2 for r2 in doubled_sums)
    denominator = m * m * (n**3 - n) - m * tie_sum
    if denominator == 0:  # every ballot gave all themes the same score
        return result
    return Concordance(w=keep(Fraction(3 * four_s, denominator)), ballots=m, excluded=result.excluded, themes=n)


def kendall_w(scores: Ballots, *, themes: Iterable[int] | None = None) -> float | None:
    """Kendall's W in [0, 1], or ``None`` when undefined.

    Undefined: fewer than 2 complete ballots, fewer than 2 themes in play, or a zero
    denominator (every complete ballot scored all themes the same).
    """
    return concordance(scores, themes=themes).w


def describe_agreement(w: float) -> str:
    """Translation key for the strength of agreement W: one of :data:`AGREEMENT_KEYS`.

    Raises :class:`ValueError` when ``w`` is not a number in [0, 1] (callers handle an
    undefined W themselves).
    """
    if not (0.0 <= w <= 1.0):  # also rejects NaN
        raise ValueError(f"W must lie in [0, 1], got {w!r}")
    for bound, key in AGREEMENT_BANDS:
        if w >= bound:
            return key
    return "very_weak"
