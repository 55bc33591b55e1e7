"""Krippendorff's alpha for ordinal data: how far the members agree on each theme's score.

The themes are the units, the members the coders, the scores 1 < 2 < 3 the ordinal values.
Unlike Kendall's W (a statistic of rankings, see concordance.py), alpha is made for ratings with
many ties, takes missing scores in its stride, and counts a member who scores everything 2 as
someone who disagrees with those who gave 1s and 3s, not as a neutral rater.

After Krippendorff (2011), "Computing Krippendorff's alpha-reliability", with ``m_u`` the
number of scores theme ``u`` got (themes with fewer than 2 cannot be paired and are left out)::

    o_ck   = sum_u (ordered pairs of scores c, k within u) / (m_u - 1)    coincidences
    n_c    = sum_k o_ck,  n = sum_c n_c                                    pairable scores
    d_ck^2 = (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2                        ordinal distance
    alpha  = 1 - (n - 1) * sum o_ck d_ck^2 / sum n_c n_k d_ck^2

1 means every member gave every theme the same score as every other member; 0 means the scores
agree no more than chance would have it; below 0, systematically less. Undefined (``None``)
when no theme got two scores, or when every pairable score is the same value (nothing to agree
or disagree about). Arithmetic is exact (fractions) up to the final value, kept to 9 decimals.

Bands after Krippendorff (2004), Content Analysis, 2nd ed., p. 241: rely on data from
alpha >= .800; from .667 only tentative conclusions; below that, not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from fractions import Fraction

from method.voting.tally import VALID_SCORES, Ballots, validate_scores
from method.voting.thresholds import keep

ALPHA_KEYS = ("high", "tentative", "low", "opposed")
HIGH = 0.8  # Krippendorff: rely on it
TENTATIVE = 0.667  # Krippendorff: tentative conclusions only


def _coincidences(scores: Ballots, theme_ids: tuple[int, ...]) -> dict[tuple[int, int], Fraction]:
    per_theme: dict[int, Counter[int]] = {t: Counter() for t in theme_ids}
    for ballot in scores.values():
        for theme_id, score in ballot.items():
            per_theme[theme_id][score] += 1
    o: dict[tuple[int, int], Fraction] = {(c, k): Fraction(0) for c in VALID_SCORES for k in VALID_SCORES}
    for counts in per_theme.values():
        m = sum(counts.values())
        if m < 2:
            continue
        for c in VALID_SCORES:
            for k in VALID_SCORES:
                pairs = counts[c] * (counts[c] - 1) if c == k else counts[c] * counts[k]
                if pairs:
                    o[c, k] += Fraction(pairs, m - 1)
    return o


def ordinal_alpha_exact(scores: Ballots, *, themes: Iterable[int] | None = None) -> Fraction | None:
    """Alpha as an exact fraction (see the module docstring), or ``None`` when undefined."""
    theme_ids = validate_scores(scores, themes)
    o = _coincidences(scores, theme_ids)
    n_c = {c: sum(o[c, k] for k in VALID_SCORES) for c in VALID_SCORES}
    n = sum(n_c.values())
    if n < 2:
        return None

    def distance(c: int, k: int) -> Fraction:
        low, high = min(c, k), max(c, k)
        between = sum(n_c[g] for g in VALID_SCORES if low <= g <= high)
        return (between - (n_c[c] + n_c[k]) / 2) ** 2

    observed = sum(o[c, k] * distance(c, k) for c in VALID_SCORES for k in VALID_SCORES)
    expected = sum(n_c[c] * n_c[k] * distance(c, k) for c in VALID_SCORES for k in VALID_SCORES)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def ordinal_alpha(scores: Ballots, *, themes: Iterable[int] | None = None) -> float | None:
    """Krippendorff's alpha (ordinal) over the ballots, to 9 decimals; ``None`` when undefined.

    ``themes`` names the themes in play (as :func:`method.voting.tally.tally_round`); raises
    :class:`ValueError` on an invalid score.
    """
    value = ordinal_alpha_exact(scores, themes=themes)
    return None if value is None else keep(value)


def describe_alpha(alpha: float) -> str:
    """Translation key for alpha's band: one of :data:`ALPHA_KEYS`.

    ``high`` from .800, ``tentative`` from .667, ``low`` from 0, ``opposed`` below 0 (the
    members disagree more than chance would have it).
    """
    if not (alpha <= 1.0):  # also refuses NaN; no fixed lower bound (it depends on the data)
        raise ValueError(f"alpha cannot exceed 1, got {alpha!r}")
    if alpha >= HIGH:
        return "high"
    if alpha >= TENTATIVE:
        return "tentative"
    if alpha >= 0:
        return "low"
    return "opposed"
