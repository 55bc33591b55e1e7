"""A database administrator without the ballot secret tries to tie a person to a ballot, and fails.

Eight members vote through the bot, one after the other, each with a score pattern of their own
(so the test knows whose ballot is whose). The administrator then reads the raw tables as they
are, without the secret: transaction ids (PostgreSQL's ``xmin``), the ballots' ids, the physical
row order (SQLite's rowid, PostgreSQL's ctid), timestamps, the delivery rows while the round runs,
and the webhook inbox. Each attempt is also run against a write of the old design (a ballot and a
delivery in one transaction, rows in press order) to show it does find a link where there is one.
"""

from __future__ import annotations

import asyncio
import json
from itertools import product

import pytest
from sqlalchemy import inspect, text
from telegram import Update

from bot.inbox import Inbox, lane_of
from storage import inbox
from tests.conversations.voting_helpers import ballot_message, cast, round_id_of, voting_group
from tests.harness import Harness

MEMBERS = 8
PATTERNS = list(product((1, 2, 3), repeat=4))[1 : MEMBERS + 1]  # one pattern per member, in voting order
BALLOT_SIDE = ("ballot", "score")
PERSON_SIDE = ("ballot_delivery", "draft_score", "membership", "person")


def _rows(harness: Harness, sql: str, **params: object) -> list[tuple]:
    return harness.db.run_sync(lambda s: [tuple(r) for r in s.execute(text(sql), params)])


def _ballot_patterns(harness: Harness, order_by: str) -> list[tuple[int, ...]]:
    """The ballots' score patterns in the order the administrator can read them."""
    rows = _rows(
        harness,
        f"SELECT b.id, s.theme_id, s.score FROM ballot b JOIN score s ON s.ballot_id = b.id ORDER BY {order_by}, s.theme_id",
    )
    seen: dict[int, list[int]] = {}
    for ballot_id, _, score in rows:
        seen.setdefault(ballot_id, []).append(score)
    return [tuple(scores) for scores in seen.values()]


def _xmin_links(harness: Harness) -> set[tuple[str, str]]:
    """Pairs (person-side table, ballot-side table) that share a transaction id."""
    person = {t: {r[0] for r in _rows(harness, f"SELECT xmin::text FROM {t}")} for t in PERSON_SIDE}
    ballot = {t: {r[0] for r in _rows(harness, f"SELECT xmin::text FROM {t}")} for t in BALLOT_SIDE}
    return {(p, b) for p in person for b in ballot if person[p] & ballot[b]}


async def _vote_and_close(harness: Harness) -> None:
    """Eight members vote one after the other, each their own pattern; the moderator closes."""
    group, people, themes = await voting_group(harness, members=MEMBERS, themes=4)
    await harness.say(people[0], group, "/stemronde")
    for person, pattern in zip(people, PATTERNS, strict=True):
        await cast(harness, person, dict(zip(themes, pattern, strict=True)))
    await harness.say(people[0], group, "/sluitronde")


def _score_row_order(harness: Harness, physical: str) -> list[tuple[int, ...]]:
    """The ballots in the order their first score row lies on disk."""
    rows = _rows(harness, f"SELECT ballot_id, theme_id, score FROM score ORDER BY {physical}")
    first: list[int] = []
    scores: dict[int, dict[int, int]] = {}
    for ballot_id, theme_id, score in rows:
        if ballot_id not in scores:
            first.append(ballot_id)
        scores.setdefault(ballot_id, {})[theme_id] = score
    return [tuple(score for _, score in sorted(scores[b].items())) for b in first]


async def test_while_the_round_runs_the_database_holds_no_ballot_and_no_readable_score(harness: Harness) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/stemronde")
    await cast(harness, people[0], dict(zip(themes, (3, 1, 2, 2), strict=True)))
    await cast(harness, people[1], dict(zip(themes, (1, 3, 3, 1), strict=True)), submit=False)
    assert _rows(harness, "SELECT count(*) FROM ballot") == [(0,)]
    assert _rows(harness, "SELECT count(*) FROM score") == [(0,)]
    cells = _rows(harness, "SELECT person_id, theme_id, sealed, reason FROM draft_score")
    assert len(cells) == 8 and len({cell[0] for cell in cells}) == 2  # person-side rows, one per score given
    for _, _, sealed, reason in cells:  # sealed: no score or text in sight
        assert not any(mark in sealed + reason for mark in ('"', "{", "["))
    assert len({len(cell[2]) for cell in cells}) == 1 and len({len(cell[3]) for cell in cells}) == 1


async def test_no_transaction_ties_a_person_side_row_to_a_ballot(harness: Harness) -> None:
    await _vote_and_close(harness)
    assert sorted(_ballot_patterns(harness, "b.id")) == sorted(PATTERNS)  # every ballot is there
    assert _rows(harness, "SELECT count(*) FROM draft_score") == [(0,)]  # the sealed cells went after the close
    if not harness.db.url.startswith("postgresql"):
        return  # SQLite keeps no transaction id in its rows
    assert _xmin_links(harness) == set()
    # All ballots and scores came in one transaction: their transaction ids cannot be ordered.
    assert len({r[0] for t in BALLOT_SIDE for r in _rows(harness, f"SELECT xmin::text FROM {t}")}) == 1

    def old_submit(session) -> None:  # type: ignore[no-untyped-def]
        """The old design: a submission that writes the delivery and the ballot together."""
        session.execute(
            text(
                "UPDATE ballot_delivery SET page = page WHERE person_id = (SELECT min(person_id) FROM ballot_delivery)"
            )
        )
        session.execute(text("UPDATE ballot SET submitted = submitted WHERE id = (SELECT min(id) FROM ballot)"))

    harness.db.run_sync(old_submit)
    assert ("ballot_delivery", "ballot") in _xmin_links(harness)  # the same reading finds that link


async def test_neither_ids_nor_row_order_follow_the_order_of_voting(harness: Harness) -> None:
    await _vote_and_close(harness)
    physical = "rowid" if harness.db.url.startswith("sqlite") else "ctid"
    readings = {
        "ballot id": _ballot_patterns(harness, "b.id"),
        "ballot row": _ballot_patterns(harness, f"b.{physical}"),
        "score row": _score_row_order(harness, physical),
    }
    # 8 voters: the chance that a random order equals the voting order (or its reverse) is 1 in 20,160.
    for reading, seen in readings.items():
        assert sorted(seen) == sorted(PATTERNS), reading
        assert seen not in (PATTERNS, PATTERNS[::-1]), reading
    ids = [r[0] for r in _rows(harness, "SELECT id FROM ballot ORDER BY id")]
    assert all(b - a > 1 for a, b in zip(ids, ids[1:], strict=False))  # not a sequence: random 62-bit ids
    assert max(ids) > 2**40

    # The old design, rows written in press order: the same reading finds the order.
    harness.db.run_sync(
        lambda s: s.execute(text("CREATE TABLE old_score (ballot_id INTEGER, theme_id INTEGER, score INTEGER)"))
    )
    for number, pattern in enumerate(PATTERNS, start=1):
        for theme, score in enumerate(pattern):
            harness.db.run_sync(
                lambda s, n=number, t=theme, v=score: s.execute(
                    text("INSERT INTO old_score VALUES (:n, :t, :v)"), {"n": n, "t": t, "v": v}
                )
            )
    rows = _rows(harness, f"SELECT ballot_id, score FROM old_score ORDER BY {physical}")
    found = [tuple(score for b, score in rows if b == n) for n in dict.fromkeys(b for b, _ in rows)]
    assert found == PATTERNS


async def test_no_timestamp_on_either_side(harness: Harness) -> None:
    """No column of the ballot side or of the deliveries can order them in time."""

    def columns(session) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        found = inspect(session.connection())
        return {
            t: [
                c["name"]
                for c in found.get_columns(t)
                if "time" in str(c["type"]).lower() or "date" in str(c["type"]).lower()
            ]
            for t in (*BALLOT_SIDE, "ballot_delivery", "draft_score")
        }

    assert harness.db.run_sync(columns) == {"ballot": [], "score": [], "ballot_delivery": [], "draft_score": []}

    # The check reads what it claims to: a round does have its timestamps.
    def round_columns(session) -> list[str]:  # type: ignore[no-untyped-def]
        return [
            c["name"]
            for c in inspect(session.connection()).get_columns("voting_round")
            if "time" in str(c["type"]).lower()
        ]

    assert "opened_at" in harness.db.run_sync(round_columns)


async def test_the_inbox_keeps_neither_the_press_nor_the_presser(harness: Harness) -> None:
    people, round_id, themes = await _vote_one(harness)
    core = harness.core
    anne = people[0]
    core.press_button(anne, ballot_message(core, anne), f"vote:{round_id}:{themes[0]}:2")
    core.send_message(anne, anne["id"], "/help")
    updates = core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
    box = Inbox(harness.app, harness.db, "test-instance", poll=0.05, max_attempts=1)
    for update in updates:
        await box.receive(update)
    # While waiting, the lane is no Telegram id (of the presser or any chat).
    ids = {person["id"] for person in people} | {lane_of(update) for update in updates}
    lanes = {r[0] for r in _rows(harness, "SELECT lane FROM inbound_update")}
    assert lanes and not lanes & ids
    worker = asyncio.create_task(box.run())
    try:
        for _ in range(200):
            if harness.db.run_sync(inbox.counts)[0] == 0:
                break
            await asyncio.sleep(0.05)
    finally:
        await box.stop()
        worker.cancel()
    rows = _rows(harness, "SELECT payload, outcome FROM inbound_update")
    assert len(rows) == len(updates) and all(payload == "" for payload, _ in rows)
    everything = json.dumps(rows)
    assert "vote:" not in everything and str(anne["id"]) not in everything


async def _vote_one(harness: Harness) -> tuple[list[dict], int, list[int]]:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/stemronde")
    return people, round_id_of(ballot_message(harness.core, people[0])), themes


def test_a_sealed_cell_says_nothing_by_its_length() -> None:
    """Every score seals to one length, and every reason (none, a short one, the longest) to one
    length: a reader who watches the cells cannot tell a score or a reason by its size, nor when
    a member added a reason (to match it to a ballot's reason after the close)."""
    from method.anonymity import open_reason, open_score, seal_reason, seal_score
    from storage.voting import MAX_REASON

    key = b"k" * 32
    assert len({len(seal_score(key, 1, 1001, 7, score)) for score in (1, 2, 3)}) == 1
    reasons = [seal_reason(key, 1, 1001, 7, reason) for reason in (None, "Kort", "é" * MAX_REASON, "😀" * MAX_REASON)]
    assert len({len(cell) for cell in reasons}) == 1
    assert open_reason(key, 1, 1001, 7, reasons[1]) == "Kort" and open_reason(key, 1, 1001, 7, reasons[0]) is None
    assert open_score(key, 1, 1001, 7, seal_score(key, 1, 1001, 7, 3)) == 3
    with pytest.raises(ValueError):  # bound to its row: moved to another member's cell, it does not open
        open_score(key, 1, 1002, 7, seal_score(key, 1, 1001, 7, 3))
