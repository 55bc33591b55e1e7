"""A rule's thresholds as whole numbers of voters, and figures shown without rounding up.

A rule says "at least 75% scored 3"; a group needs to read "at least 6 of the 8". For ``v``
voters and a share ``p`` (exact fractions, so 0.15 is 3/20 and never 0.1500000001):

- at least ``p``: the smallest count ``c`` with ``c / v >= p``, that is ``ceil(p v)`` (up);
- more than ``p``: the smallest ``c`` with ``c / v > p``, that is ``floor(p v) + 1``;
- at most ``p``: the largest ``c`` with ``c / v <= p``, that is ``floor(p v)`` (down).

A count meets the threshold exactly when its share does: the counts are the rule, stated so
nobody has to compute a percentage.

Shown figures never round into a threshold they do not meet: percentages are rounded down
(74.6% is shown as 74%, so "at least 75%" is never seen as met when it is not), and so are the
agreement coefficients (:func:`floor_to`).
"""

from __future__ import annotations

import math
from fractions import Fraction

Share = Fraction | float | int


def exact(share: Share) -> Fraction:
    """A share as an exact fraction; a float is read as the decimal it was written as (0.15 = 3/20)."""
    if isinstance(share, Fraction):
        return share
    if isinstance(share, float):
        return Fraction(repr(share))
    return Fraction(share)


def at_least(share: Share, voters: int) -> int:
    """Fewest of ``voters`` that make at least ``share`` (rounded up)."""
    return math.ceil(exact(share) * voters)


def more_than(share: Share, voters: int) -> int:
    """Fewest of ``voters`` that make more than ``share``."""
    return math.floor(exact(share) * voters) + 1


def at_most(share: Share, voters: int) -> int:
    """Most of ``voters`` that stay at or below ``share`` (rounded down)."""
    return math.floor(exact(share) * voters)


def floor_percent(share: Share) -> int:
    """A share in whole percent, rounded down: 0.746 -> 74, 2/3 -> 66, 0.75 -> 75.

    A float share that stands for a fraction of voters (e.g. 0.29 for 29/100) is read back as
    that fraction first, so representation error never costs a percent.
    """
    if isinstance(share, float):
        share = Fraction(share).limit_denominator(100_000)
    return math.floor(exact(share) * 100)


def floor_to(value: float, decimals: int) -> float:
    """``value`` rounded down to ``decimals`` places (0.6669 -> 0.666 with 3).

    Coefficients are kept to 9 decimals (see :func:`keep`), so rounding to 6 places first only
    removes representation noise (0.667 stored as 0.66699999999999993) before the floor.
    """
    scale = 10**decimals
    return math.floor(round(value * scale, 6)) / scale


def keep(value: Fraction | float) -> float:
    """A coefficient as it is stored, compared and shown: a float rounded to 9 decimals."""
    return round(float(value), 9)
