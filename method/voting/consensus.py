"""When has the steering group reached consensus? Evaluated after each voting round.

A :class:`ConsensusRule` holds the thresholds; :func:`evaluate` applies it to a round's tally
(with Krippendorff's alpha, and the previous round for stability) and says whether the sought
themes are chosen, which themes drop out, or which themes need a short tie-break round.

Thresholds are shares of the voters who scored a theme, applied as whole counts
(thresholds.py): with 8 voters "at least 75% scored 3" is "at least 6 of the 8" and "at most 15%
scored 1" is "at most 1 of the 8". :meth:`ConsensusRule.thresholds` gives the counts.

Routes to consensus, tried in this order:

1. ``shares``: a theme qualifies with at least ``min_threes`` 3s (more than the share, when
   ``strict_share_top``) and at most ``max_ones`` 1s. Exactly ``sought`` qualifiers: reached.
   More: the top ``sought`` qualifiers by rank, unless the cut-off falls inside a group of
   equally ranked qualifiers, in which case that group is the tie.
2. ``stable_top`` (``stable_shift`` set, with a previous regular round): the same top ``sought``
   set, well defined in both rounds, and each of its themes' scores shifted by less than
   ``stable_shift`` (stability.py; 15% after Scheibe et al. and von der Gracht). Another round
   would change little, so the top is proposed. This route wins over a tie from route 1.
3. ``top_mean`` (``top_mean_alpha`` set): Krippendorff's alpha at least ``top_mean_alpha``
   (.667, Krippendorff's floor for tentative conclusions) and the top ``sought`` themes by rank
   well defined; a tie at the cut-off is reported as the tie.

Ranking (tally.py): by mean score, then by share of 3s, then by fewer 1s.

Outcome: reached -> no next round (``next_in_play`` and ``drop`` empty). Tie -> the next round
is a tie-break on the tied themes only (``next_in_play == tie``, ``drop`` empty), for
``sought - len(secured)`` places, filled by rank (:func:`evaluate_tiebreak`). Otherwise -> the
next round has every theme in play except ``drop``.

Drop-outs: themes that at least ``drop_share_low`` of their voters scored 1 (``drop_ones`` as a
count). Dropping never leaves fewer than ``sought`` themes in play: candidates go worst-ranked
first, a whole group of equally ranked candidates at a time, and dropping stops before a group
that would breach that floor.

No round can become impossible to close: a tie-break with no more themes than places chooses
them all, and :func:`replan_tiebreak` re-plans a tie-break when tied themes were removed,
merged or split between rounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import groupby

from method.voting.stability import STABLE_SHIFT, stability
from method.voting.tally import RoundTally, ThemeTally
from method.voting.thresholds import Share, at_least, at_most, exact, more_than


class Reason(StrEnum):
    """How consensus was reached (values are translation keys)."""

    SHARES = "shares"
    STABLE_TOP = "stable_top"
    TOP_MEAN = "top_mean"
    TIEBREAK = "tiebreak"


def _check_share(name: str, value: Fraction | None) -> None:
    if value is not None and not (0 <= value <= 1):
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")


@dataclass(frozen=True)
class Thresholds:
    """A rule's thresholds as counts, for one number of voters."""

    voters: int
    min_threes: int | None  # 3s a theme needs to qualify (None: route "shares" off)
    max_ones: int  # most 1s a qualifying theme may have
    drop_ones: int | None  # 1s at which a theme drops out (None: themes never drop)


SHARE_FIELDS = ("min_share_top", "max_share_low", "stable_shift", "drop_share_low")


@dataclass(frozen=True)
class ConsensusRule:
    """Thresholds of a consensus rule. ``None`` switches a route (or drop-outs) off.

    Shares are exact fractions (a float is read as the decimal it was written as). ``key``
    identifies the rule in :data:`RULES` and is the translation key of its description. Tweak a
    rule with ``dataclasses.replace(RULES["majority"], sought=4)``.
    """

    sought: int = 3  # how many priority themes the group is to choose
    min_share_top: Share | None = Fraction(3, 4)  # share of 3s a theme needs (route "shares"; None = off)
    max_share_low: Share = Fraction(3, 20)  # highest share of 1s a qualifying theme may have
    stable_shift: Share | None = STABLE_SHIFT  # route "stable_top": each top theme moved less than this
    drop_share_low: Share | None = Fraction(3, 4)  # share of 1s at which a theme drops out (None = never)
    strict_share_top: bool = False  # True: share of 3s must be strictly above min_share_top
    top_mean_alpha: float | None = None  # alpha needed for route "top_mean" (None = off)
    key: str = "default"

    def __post_init__(self) -> None:
        if type(self.sought) is not int or self.sought < 1:
            raise ValueError(f"sought must be a positive integer, got {self.sought!r}")
        for name in SHARE_FIELDS:
            value = getattr(self, name)
            if value is not None:
                value = exact(value)
                object.__setattr__(self, name, value)
            _check_share(name, value)
        if self.top_mean_alpha is not None and not (self.top_mean_alpha <= 1):
            raise ValueError(f"top_mean_alpha cannot exceed 1, got {self.top_mean_alpha!r}")

    def thresholds(self, voters: int) -> Thresholds:
        """The thresholds in counts for ``voters`` voters on a theme."""
        if self.min_share_top is None:
            min_threes = None
        elif self.strict_share_top:
            min_threes = more_than(self.min_share_top, voters)
        else:
            min_threes = at_least(self.min_share_top, voters)
        drop = None if self.drop_share_low is None else at_least(self.drop_share_low, voters)
        return Thresholds(voters, min_threes, at_most(self.max_share_low, voters), drop)

    def table(self, fewest: int, most: int) -> tuple[Thresholds, ...]:
        """The thresholds for ``most`` down to ``fewest`` voters (at least 1)."""
        return tuple(self.thresholds(v) for v in range(most, max(1, fewest) - 1, -1))

    def qualifies(self, theme: ThemeTally) -> bool:
        """Whether ``theme`` meets the thresholds of route ``shares`` for its voters."""
        if self.min_share_top is None or theme.votes == 0:
            return False
        limits = self.thresholds(theme.votes)
        assert limits.min_threes is not None
        return theme.threes >= limits.min_threes and theme.ones <= limits.max_ones

    def drops(self, theme: ThemeTally) -> bool:
        """Whether enough of ``theme``'s voters scored it 1 for it to drop out (before the floor)."""
        limits = self.thresholds(theme.votes)
        return theme.votes > 0 and limits.drop_ones is not None and theme.ones >= limits.drop_ones


DEFAULT_RULE = ConsensusRule()
# Simple majority: more than half scored 3, at most a quarter scored 1.
MAJORITY_RULE = ConsensusRule(min_share_top=Fraction(1, 2), strict_share_top=True, max_share_low=Fraction(1, 4), key="majority")
# The top themes by rank (mean first) as soon as the members agree on the scores well enough.
TOP_MEAN_RULE = ConsensusRule(min_share_top=None, stable_shift=None, top_mean_alpha=0.667, key="top_mean")

RULES: dict[str, ConsensusRule] = {rule.key: rule for rule in (DEFAULT_RULE, MAJORITY_RULE, TOP_MEAN_RULE)}


@dataclass(frozen=True)
class ConsensusOutcome:
    reached: bool
    reason: Reason | None  # None when not reached
    chosen: tuple[int, ...]  # the sought themes in rank order when reached, else ()
    drop: tuple[int, ...]  # themes leaving for the next round (only when a regular round follows)
    tie: tuple[int, ...] | None  # themes tied at the cut-off, for a tie-break round
    next_in_play: tuple[int, ...]  # themes of the next round; () when reached
    secured: tuple[int, ...] = ()  # with a tie: themes ranked above it, certain to be chosen
    qualified: tuple[int, ...] = ()  # themes meeting the share thresholds, in rank order


def _drop(rule: ConsensusRule, current: RoundTally) -> tuple[int, ...]:
    if rule.drop_share_low is None:
        return ()
    candidates = [t for t in current.themes if rule.drops(t)]
    remaining = len(current.themes)
    dropped: list[ThemeTally] = []
    worst_first = sorted(candidates, key=lambda t: (-t.rank, t.theme_id))
    for _, group in groupby(worst_first, key=lambda t: t.rank):
        members = list(group)
        if remaining - len(members) < rule.sought:
            break
        dropped.extend(members)
        remaining -= len(members)
    return tuple(t.theme_id for t in sorted(dropped, key=lambda t: (t.rank, t.theme_id)))


def evaluate(
    rule: ConsensusRule,
    current: RoundTally,
    alpha: float | None = None,
    previous: RoundTally | None = None,
) -> ConsensusOutcome:
    """Apply ``rule`` to the round just closed (see the module docstring for the routes).

    ``alpha`` is Krippendorff's alpha of this round (``None`` when undefined); ``previous`` the
    previous regular round's tally, for the stable-top route (``None``: no such round).
    """
    sought = rule.sought
    qualified = tuple(t for t in current.themes if rule.qualifies(t))  # already in rank order
    qualified_ids = tuple(t.theme_id for t in qualified)

    def reached(chosen: tuple[int, ...], reason: Reason) -> ConsensusOutcome:
        return ConsensusOutcome(
            reached=True,
            reason=reason,
            chosen=chosen,
            drop=(),
            tie=None,
            next_in_play=(),
            qualified=qualified_ids,
        )

    tie: tuple[int, ...] | None = None
    secured: tuple[int, ...] = ()

    # Route 1: shares.
    if len(qualified) >= sought:
        cut_rank = qualified[sought - 1].rank
        if len(qualified) == sought or qualified[sought].rank != cut_rank:
            return reached(qualified_ids[:sought], Reason.SHARES)
        tie = tuple(t.theme_id for t in qualified if t.rank == cut_rank)
        secured = tuple(t.theme_id for t in qualified if t.rank < cut_rank)

    # Route 2: the same top in two rounds, and its scores stopped moving.
    if rule.stable_shift is not None and previous is not None:
        moved = stability(previous, current, top_n=sought, limit=rule.stable_shift)
        if moved.top_stable:
            assert moved.top is not None
            return reached(moved.top, Reason.STABLE_TOP)

    # Route 3: top by rank once the members agree on the scores well enough.
    if tie is None and rule.top_mean_alpha is not None and alpha is not None and alpha >= rule.top_mean_alpha:
        top = current.top(sought)
        if top is not None:
            return reached(top, Reason.TOP_MEAN)
        if len(current.themes) > sought:  # the cut-off falls inside a tie
            tie = current.tied_at(sought)
            cut_rank = current.theme(tie[0]).rank
            secured = tuple(t.theme_id for t in current.themes if t.rank < cut_rank)

    if tie is not None:
        return ConsensusOutcome(
            reached=False,
            reason=None,
            chosen=(),
            drop=(),
            tie=tie,
            next_in_play=tie,
            secured=secured,
            qualified=qualified_ids,
        )

    drop = _drop(rule, current)
    return ConsensusOutcome(
        reached=False,
        reason=None,
        chosen=(),
        drop=drop,
        tie=None,
        next_in_play=tuple(t for t in current.theme_ids if t not in drop),
        qualified=qualified_ids,
    )


def evaluate_tiebreak(places: int, secured: tuple[int, ...], current: RoundTally) -> ConsensusOutcome:
    """A tie-break round fills ``places`` places among the tied themes by rank.

    The themes above the tie (``secured``) are chosen already. With no more themes than places
    (tied themes were removed meanwhile, say), every theme left is chosen: the round completes
    with what is left. Otherwise reached when the top ``places`` of this round are well defined;
    if not, the themes tied at the cut-off go again.
    """
    if places <= 0 or len(current.themes) <= places:
        left = current.theme_ids if places > 0 else ()
        return ConsensusOutcome(
            reached=True, reason=Reason.TIEBREAK, chosen=secured + left, drop=(), tie=None, next_in_play=()
        )
    top = current.top(places)
    if top is not None:
        return ConsensusOutcome(
            reached=True, reason=Reason.TIEBREAK, chosen=secured + top, drop=(), tie=None, next_in_play=()
        )
    tie = current.tied_at(places)
    cut_rank = current.theme(tie[0]).rank
    above = tuple(t.theme_id for t in current.themes if t.rank < cut_rank)
    return ConsensusOutcome(
        reached=False, reason=None, chosen=(), drop=(), tie=tie, next_in_play=tie, secured=secured + above
    )


@dataclass(frozen=True)
class TiebreakPlan:
    """The tie-break still to hold after a tie, with the themes as they are now."""

    secured: tuple[int, ...]  # chosen already
    tie: tuple[int, ...]  # still competing
    places: int  # places left for them

    @property
    def decided(self) -> bool:
        """No vote needed: no more tied themes than places left (all of them go through)."""
        return len(self.tie) <= self.places

    @property
    def chosen(self) -> tuple[int, ...]:
        """When decided: the secured themes, then every tied theme left."""
        return self.secured + self.tie if self.decided else ()


def _dedupe(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(ids))


def replan_tiebreak(
    sought: int, secured: Iterable[int], tie: Iterable[int], now: Mapping[int, tuple[int, ...]]
) -> TiebreakPlan:
    """The tie-break after a tie, once themes were edited between the rounds.

    ``now`` maps a theme of the tie (or a secured one) to the candidate themes that stand for it
    today: itself while it is a candidate; the theme it was merged into; its sub-themes once it was
    split; nothing (a missing key) once removed. Places follow: ``sought`` less the secured themes
    left. A tie-break with no more themes than places needs no vote (:attr:`TiebreakPlan.decided`).
    """
    kept = _dedupe(t for old in secured for t in now.get(old, ()))[:sought]
    competing = tuple(t for t in _dedupe(t for old in tie for t in now.get(old, ())) if t not in kept)
    return TiebreakPlan(secured=kept, tie=competing, places=sought - len(kept))
