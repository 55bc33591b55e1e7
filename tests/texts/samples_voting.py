"""Sample contexts for the voting templates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from conversations.voting import rule_context
from conversations.voting_results import results_context
from method.dates import Moment
from method.voting import compare_rounds, evaluate, evaluate_tiebreak, ordinal_alpha, stability, tally_round
from method.voting.consensus import DEFAULT_RULE
from storage.records import BallotTheme, BallotView, CloseResult, ParkedTheme, RoundRecord, VotingSettings

DEADLINE = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)


def round_(number: int = 2, **changes: object) -> RoundRecord:
    values = dict(
        id=number, trajectory_id=1, number=number, kind="round", status="open", rule_key="default", sought=3,
        places=None, quorum_pct=67, members=7, close_when_all_voted=False, deadline=DEADLINE,
        progress_message_id=None, forced=False, closed_by=None, w=None, outcome=None,
    )
    values.update(changes)
    return RoundRecord(**values)  # type: ignore[arg-type]


THEMES = tuple(BallotTheme(i, i, name, f"Uitleg bij <{name}>", (12, 13) if i % 2 else ()) for i, name in enumerate(
    ["Duurzaam aankopen", "Toegankelijkheid", "Gezondheid & biodiversiteit", "Interne werking", "Mobiliteit"], start=1))
NAMES = {t.id: t.name for t in THEMES}
SCORES = {f"b{i}": {1: 3, 2: 3, 3: 2 + (i % 2), 4: 1, 5: 1 + (i % 3 == 0)} for i in range(7)}
PREVIOUS = tally_round({f"b{i}": {1: 2, 2: 3, 3: 3, 4: 1, 5: 2} for i in range(7)})
TALLY = tally_round(SCORES)
REACH_SCORES = {f"b{i}": {1: 3, 2: 3 if i < 6 else 1, 3: 3 if i else 2, 4: 1, 5: 1 + (i % 3 == 0)} for i in range(7)}
REACH_TALLY = tally_round(REACH_SCORES)
REACHED = evaluate(DEFAULT_RULE, REACH_TALLY, ordinal_alpha(REACH_SCORES))
NOT_REACHED_SCORES = {"a": {1: 3, 2: 2, 3: 1, 4: 1, 5: 2}, "b": {1: 1, 2: 3, 3: 2, 4: 1, 5: 3}, "c": {1: 2, 2: 1, 3: 3, 4: 1, 5: 3}}
NOT_REACHED = evaluate(DEFAULT_RULE, tally_round(NOT_REACHED_SCORES), ordinal_alpha(NOT_REACHED_SCORES))
TIE_TALLY = tally_round({f"b{i}": {1: 3, 2: 3, 3: 3, 4: 3, 5: 1} for i in range(4)})
TIE = evaluate(DEFAULT_RULE, TIE_TALLY, 1.0)
# The same top twice with stable votes: the stable-top route.
STABLE = evaluate(DEFAULT_RULE, TALLY, None, TALLY)
# A tie-break with fewer themes left than places: all of them go through.
SHORT = evaluate_tiebreak(2, (1,), tally_round({"a": {2: 3}, "b": {2: 2}, "c": {2: 3}}))


def results(**changes: object) -> dict[str, object]:
    values: dict[str, object] = dict(
        status="closed", round=round_(status="closed"), submitted=7, needed=5, tally=TALLY, w=0.8123, alpha=0.6671,
        change=compare_rounds(PREVIOUS, TALLY), stability=stability(PREVIOUS, TALLY, top_n=3), previous_number=1,
        outcome=REACHED, names=NAMES, reasons={},
    )
    values.update(changes)
    return results_context(CloseResult(**values))  # type: ignore[arg-type]


def view(**changes: object) -> BallotView:
    values = dict(round=round_(), trajectory_title="Gemeente <Zottegem>", language="nl", themes=THEMES, scores={1: 3, 2: 1},
                  reasons={}, submitted=False, page=0, message_id=None)
    values.update(changes)
    return BallotView(**values)  # type: ignore[arg-type]


SAMPLES: dict[str, list[dict[str, object]]] = {
    "voting/chart_caption": [{"round": round_()}],
    "voting/announce": [
        {"round": round_(), "themes": THEMES, "needed": 5, "secured": [], **rule_context("default", 3, 5, 7)},
        {"round": round_(kind="tiebreak", places=1, deadline=None, close_when_all_voted=True), "themes": THEMES[:2], "needed": 5,
         "secured": ["Mobiliteit", "Interne werking"], **rule_context("default", 3, 5, 7)},
        {"round": round_(rule_key="majority"), "themes": THEMES, "needed": 5, "secured": [], **rule_context("majority", 3, 5, 7)},
        {"round": round_(rule_key="top_mean"), "themes": THEMES, "needed": 5, "secured": [], **rule_context("top_mean", 3, 5, 7)},
        {"round": round_(members=20), "themes": THEMES, "needed": 14, "secured": [], **rule_context("default", 3, 14, 20)},
    ],
    "voting/progress": [
        {"round": round_(), "submitted": 3},
        {"round": round_(status="closed", deadline=None), "submitted": 6},
        {"round": round_(status="cancelled"), "submitted": 2},
    ],
    "voting/ballot": [
        {"view": view(), "themes": THEMES, "page": 0, "pages": 1, "missing": 3},
        {"view": view(submitted=True, scores={t.id: 2 for t in THEMES}), "themes": THEMES[:2], "page": 1, "pages": 3, "missing": 0},
        {"view": view(scores={t.id: 2 for t in THEMES}), "themes": THEMES, "page": 0, "pages": 1, "missing": 0},
        {"view": view(round=round_(status="closed")), "themes": THEMES, "page": 0, "pages": 1, "missing": 1},
    ],
    "voting/ballot_replaced": [{}],
    "voting/resent": [{"number": 1, "resent": 0}, {"number": 2, "resent": 1}, {"number": 3, "resent": 4}],
    "voting/quorum": [{"round": round_(), "submitted": 3, "needed": 5}],
    "voting/results": [
        results(tally=REACH_TALLY, change=compare_rounds(PREVIOUS, REACH_TALLY), stability=stability(PREVIOUS, REACH_TALLY, top_n=3)),
        results(outcome=NOT_REACHED),
        results(round=round_(status="closed", forced=True, number=1), change=None, stability=None, previous_number=None,
                outcome=NOT_REACHED, tally=tally_round(NOT_REACHED_SCORES), submitted=3, alpha=-0.12),
        results(outcome=TIE, tally=TIE_TALLY, submitted=4, stability=None, change=None),
        results(outcome=STABLE, alpha=0.91),
        results(round=round_(status="closed", kind="tiebreak", places=2), outcome=SHORT, stability=None),
        results(round=round_(status="closed", rule_key="top_mean"), outcome=NOT_REACHED, alpha=0.5),
        results(submitted=2, w=None, alpha=None),
        results(w=None, alpha=None, change=None, stability=None),
    ],
    "voting/feedback": [
        {"round": round_(status="closed"), "themes": THEMES, "own": {1: 3, 2: 2}, "figures": {t.theme_id: t for t in TALLY.themes},
         "reasons": {1: ["Grote impact <echt>", "Draagvlak"]}},
        {"round": round_(status="closed"), "themes": THEMES, "own": {}, "figures": {}, "reasons": {}},
    ],
    "voting/settings": [
        {"settings": VotingSettings(3, "default", 67, False), "members": 8, "needed": 6, **rule_context("default", 3, 6, 8)},
        {"settings": VotingSettings(4, "majority", 60, True), "members": 12, "needed": 8, **rule_context("majority", 4, 8, 12)},
        {"settings": VotingSettings(2, "top_mean", 100, False), "members": 5, "needed": 5, **rule_context("top_mean", 2, 5, 5)},
        {"settings": VotingSettings(3, "default", 67, False), "members": 0, "needed": 1, **rule_context("default", 3, 1, 0)},
    ],
    "voting/decided": [
        {"chosen": ["Mobiliteit", "Toegankelijkheid"], "tie": ["Toegankelijkheid"], "places": 2, "sought": 3},
        {"chosen": ["Mobiliteit", "Toegankelijkheid", "Wonen"], "tie": ["Toegankelijkheid", "Wonen"], "places": 2, "sought": 3},
        {"chosen": ["Mobiliteit"], "tie": [], "places": 2, "sought": 3},
    ],
    "voting/cancelled": [{"round": round_()}],
    "voting/problem": [
        {"code": code, "number": 2, "count": count, "sought": 3, "numbers": [9, 12]}
        for code in ("no_themes", "too_few_themes", "no_members", "already_open", "none_open", "no_round", "no_rounds",
                     "no_proposal", "unknown_theme", "bad_date", "bad_setting", "round_open", "private_closed", "cannot_evaluate",
                     "other")
        for count in (1, 2)
    ]
    + [{"code": "bad_date", "moment": Moment(None, "weekday", weekday_given=0, day=date(2026, 12, 10))}],
    "voting/consensus": [{"chosen": ["A", "B <c>", "C"], "parked": ["D", "E"]}, {"chosen": ["A"], "parked": []}],
    "voting/parked": [
        {"themes": [ParkedTheme(4, "Interne werking", 2, 1.43, 0.0), ParkedTheme(5, "Nog niet gestemd", None, None, None)]},
        {"themes": []},
    ],
    "voting/reason_prompt": [{"theme": THEMES[0], "score": 3}],
    "voting/reason_saved": [{"problem": None, "limit": 200}, {"problem": "empty", "limit": 200}, {"problem": "long", "limit": 200}, {"problem": "closed", "limit": 200}],
    "voting/extended": [{"round": round_()}],
    "voting/export_sent": [{}],
}
