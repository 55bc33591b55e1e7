"""Sample contexts for the voting templates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from method.dates import Moment
from method.voting import compare_rounds, evaluate, tally_round
from method.voting.consensus import DEFAULT_RULE
from storage.records import BallotTheme, BallotView, ParkedTheme, RoundRecord, VotingSettings

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
REACHED = evaluate(DEFAULT_RULE, TALLY, 0.8)
NOT_REACHED = evaluate(DEFAULT_RULE, tally_round({"a": {1: 3, 2: 2, 3: 1, 4: 1, 5: 2}, "b": {1: 1, 2: 3, 3: 2, 4: 1, 5: 3}, "c": {1: 2, 2: 1, 3: 3, 4: 1, 5: 3}}), 0.1)
TIE = evaluate(DEFAULT_RULE, tally_round({f"b{i}": {1: 3, 2: 3, 3: 3, 4: 3, 5: 1} for i in range(4)}), 1.0)


def results(**changes: object) -> dict[str, object]:
    values: dict[str, object] = dict(
        round=round_(status="closed"), submitted=7, needed=5, too_few=False, tally=TALLY, names=NAMES, w=0.8123,
        agreement="very_strong", change=compare_rounds(PREVIOUS, TALLY), rose=["Toegankelijkheid"], fell=["Mobiliteit"],
        outcome=REACHED, chosen=["Duurzaam aankopen", "Toegankelijkheid", "Gezondheid & biodiversiteit"], tie=[],
        secured=[], dropped=[], next_count=0,
    )
    values.update(changes)
    return values


def view(**changes: object) -> BallotView:
    values = dict(round=round_(), trajectory_title="Gemeente <Zottegem>", language="nl", themes=THEMES, scores={1: 3, 2: 1},
                  reasons={}, submitted=False, page=0, message_id=None)
    values.update(changes)
    return BallotView(**values)  # type: ignore[arg-type]


SAMPLES: dict[str, list[dict[str, object]]] = {
    "voting/announce": [
        {"round": round_(), "themes": THEMES, "needed": 5},
        {"round": round_(kind="tiebreak", places=1, deadline=None, close_when_all_voted=True), "themes": THEMES[:2], "needed": 5},
        {"round": round_(rule_key="majority"), "themes": THEMES, "needed": 5},
        {"round": round_(rule_key="top_mean"), "themes": THEMES, "needed": 5},
    ],
    "voting/progress": [{"round": round_(), "submitted": 3}, {"round": round_(status="closed", deadline=None), "submitted": 6}],
    "voting/ballot": [
        {"view": view(), "themes": THEMES, "page": 0, "pages": 1, "missing": 3},
        {"view": view(submitted=True, scores={t.id: 2 for t in THEMES}), "themes": THEMES[:2], "page": 1, "pages": 3, "missing": 0},
        {"view": view(scores={t.id: 2 for t in THEMES}), "themes": THEMES, "page": 0, "pages": 1, "missing": 0},
        {"view": view(round=round_(status="closed")), "themes": THEMES, "page": 0, "pages": 1, "missing": 1},
    ],
    "voting/ballot_failed": [{"names": ["Anne"]}, {"names": ["Anne", "Bart <b>"]}],
    "voting/quorum": [{"round": round_(), "submitted": 3, "needed": 5}],
    "voting/results": [
        results(),
        results(round=round_(status="closed", forced=True, number=1), change=None, outcome=NOT_REACHED, dropped=["Interne werking"], next_count=4, chosen=[]),
        results(outcome=TIE, tie=["Duurzaam aankopen", "Toegankelijkheid"], secured=["Interne werking"], chosen=[]),
        results(too_few=True, submitted=2, w=None),
        results(w=None, agreement=None, change=None),
    ],
    "voting/feedback": [
        {"round": round_(status="closed"), "themes": THEMES, "own": {1: 3, 2: 2}, "figures": {t.theme_id: t for t in TALLY.themes},
         "reasons": {1: ["Grote impact <echt>", "Draagvlak"]}},
        {"round": round_(status="closed"), "themes": THEMES, "own": {}, "figures": {}, "reasons": {}},
    ],
    "voting/settings": [
        {"settings": VotingSettings(3, "default", 67, False)},
        {"settings": VotingSettings(4, "majority", 60, True)},
        {"settings": VotingSettings(2, "top_mean", 100, False)},
    ],
    "voting/problem": [
        {"code": code, "number": 2, "count": count, "sought": 3, "numbers": [9, 12]}
        for code in ("no_themes", "too_few_themes", "no_members", "already_open", "none_open", "no_round", "no_rounds",
                     "no_proposal", "unknown_theme", "bad_date", "bad_setting", "round_open", "private_closed", "other")
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
