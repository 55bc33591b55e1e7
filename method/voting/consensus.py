"""When has the steering group reached consensus? Evaluated after each voting round.

A :class:`ConsensusRule` holds the thresholds; :func:`evaluate` applies it to a round's
tally (and Kendall's W), optionally together with the previous round, and says whether the
sought themes are chosen, which themes drop out, or which themes need a short tie-break round.

Routes to consensus, tried in this order:

1. ``shares``: the themes with share of 3s >= ``min_share_top`` (or > when
   ``strict_share_top``) and share of 1s <= ``max_share_low`` qualify. Exactly ``sought``
   qualifiers: reached. More: the top ``sought`` qualifiers by rank, unless the cut-off
   falls inside a group of equally ranked qualifiers, in which case that group is the tie.
2. ``stable_top``: the same top ``sought`` set (as a set, well defined in both rounds) was on
   top in the previous round and in this one, with W >= ``stable_w`` in both rounds. This
   route wins over a tie from route 1: a stable top is a consensus in its own right.
3. ``top_mean`` (only when ``top_mean_w`` is set): W >= ``top_mean_w`` and the top ``sought``
   themes by rank are well defined; a tie at the cut-off is reported as the tie.

Outcome: reached -> no next round (``next_in_play`` and ``drop`` empty). Tie -> the next
round is a tie-break on the tied themes only (``next_in_play == tie``, ``drop`` empty); pick
``sought - len(secured)`` of them, e.g. with ``RoundTally.top`` on the tie-break tally.
Otherwise -> the next round has every theme in play except ``drop``.

Drop-outs: themes that at least ``drop_share_low`` of their voters scored 1. Dropping never
leaves fewer than ``sought`` themes in play: candidates go worst-ranked first, a whole group
of equally ranked candidates at a time, and dropping stops before a group that would breach
that floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import groupby

from method.voting.tally import RoundTally, ThemeTally


class Reason(StrEnum):
    """How consensus was reached (values are translation keys)."""

    SHARES = "shares"
    STABLE_TOP = "stable_top"
    TOP_MEAN = "top_mean"
    TIEBREAK = "tiebreak"


def _check_fraction(name: str, value: float | None) -> None:
    if value is not None and not (0.0 <= value <= 1.0):
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")


@dataclass(frozen=True)
class ConsensusRule:
    """Thresholds of a consensus rule. ``None`` switches a route (or drop-outs) off.

    ``key`` identifies the rule in :data:`RULES` and is the translation key of its description.
    Tweak a rule with ``dataclasses.replace(RULES["majority"], sought=4)``.
    """

    sought: int = 3  # how many priority themes the group is to choose
    min_share_top: float | None = 0.75  # share of 3s a theme needs (route "shares"; None = off)
    max_share_low: float = 0.15  # highest share of 1s a qualifying theme may have
    stable_w: float | None = 0.7  # W needed in both rounds for route "stable_top" (None = off)
    drop_share_low: float | None = 0.75  # share of 1s at which a theme drops out (None = never)
    strict_share_top: bool = False  # True: share of 3s must be strictly above min_share_top
    top_mean_w: float | None = None  # W needed for route "top_mean" (None = off)
    key: str = "default"

    def __post_init__(self) -> None:
        if type(self.sought) is not int or self.sought < 1:
            raise ValueError(f"sought must be a positive integer, got {self.sought!r}")
        for name in ("min_share_top", "max_share_low", "stable_w", "drop_share_low", "top_mean_w"):
            _check_fraction(name, getattr(self, name))

    def qualifies(self, theme: ThemeTally) -> bool:
        """Whether ``theme`` meets the share thresholds of route ``shares``."""
        if self.min_share_top is None or theme.votes == 0:
            return False
        if self.strict_share_top:
            top_ok = theme.share_threes > self.min_share_top
        else:
            top_ok = theme.share_threes >= self.min_share_top
        return top_ok and theme.share_ones <= self.max_share_low


DEFAULT_RULE = ConsensusRule()
# Simple majority: more than half scored 3, at most a quarter scored 1.
MAJORITY_RULE = ConsensusRule(min_share_top=0.5, strict_share_top=True, max_share_low=0.25, key="majority")
# Take the top themes by rank (mean first) as soon as agreement is at least moderate.
TOP_MEAN_RULE = ConsensusRule(min_share_top=None, stable_w=None, top_mean_w=0.5, key="top_mean")

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
    candidates = [t for t in current.themes if t.votes and t.share_ones >= rule.drop_share_low]
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


def _stable_top(
    rule: ConsensusRule,
    current: RoundTally,
    w: float | None,
    previous: RoundTally | None,
    previous_w: float | None,
) -> tuple[int, ...] | None:
    if rule.stable_w is None or previous is None or w is None or previous_w is None:
        return None
    if w < rule.stable_w or previous_w < rule.stable_w:
        return None
    now, before = current.top(rule.sought), previous.top(rule.sought)
    if now is None or before is None or set(now) != set(before):
        return None
    return now


def evaluate(
    rule: ConsensusRule,
    current: RoundTally,
    w: float | None,
    previous: RoundTally | None = None,
    previous_w: float | None = None,
) -> ConsensusOutcome:
    """Apply ``rule`` to the round just closed (see the module docstring for the routes).

    ``w`` and ``previous_w`` are Kendall's W of this and the previous round (``None`` when
    undefined or there was no previous round).
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

    # Route 2: the same top set in two rounds with strong agreement.
    stable = _stable_top(rule, current, w, previous, previous_w)
    if stable is not None:
        return reached(stable, Reason.STABLE_TOP)

    # Route 3: top by rank once agreement is high enough.
    if tie is None and rule.top_mean_w is not None and w is not None and w >= rule.top_mean_w:
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

    The themes above the tie (``secured``) are chosen already. Reached when the top ``places``
    of this round are well defined; otherwise the themes tied at the cut-off go again.
    """
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
