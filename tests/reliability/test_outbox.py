"""The outbox (issue 15): a round is never open with nothing sent; every member ends with one live
ballot; what does not arrive is told to the moderator, once; presses are answered come what may."""

from __future__ import annotations

import asyncio

import pytest
from fake_telegram.request import FakeTelegramRequest
from sqlalchemy import text
from telegram import Update

from bot import messaging
from bot.app import build_application
from bot.outbox import Sender, sender_of
from storage import outbox, undelivered, voting
from storage.models import BallotDelivery, DraftScore, OutboxMessage
from storage.outbox import OutboxRecord
from tests.conversations.voting_helpers import ballot_message, cast, voting_group
from tests.harness import Harness, make_settings
from tests.reliability.events_helpers import trajectory_of


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Server errors are tried again at once (a 429 still waits its retry_after)."""
    monkeypatch.setattr(messaging, "RETRY_DELAYS", (0.0, 0.0, 0.0))


def live_ballots(harness: Harness, user: dict) -> list[dict]:
    """The member's messages that still carry vote buttons (as the chat shows them now)."""
    found = []
    for message in harness.core.messages(user["id"]):
        buttons = [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        if any(b.get("callback_data", "").startswith("vote:") for b in buttons):
            found.append(message)
    return found


def vote_buttons(message: dict) -> list[str]:
    return [
        b["callback_data"]
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
        if b.get("callback_data", "").startswith("vote:")
    ]


async def test_opening_is_one_unit_of_work_and_the_ballots_go_after_it(harness: Harness) -> None:
    """The moderator's update only queues: nothing is sent until the sender drains, and then all is."""
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    core.send_message(people[0], group, "/stemronde")
    (update,) = core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
    harness.offset = update["update_id"] + 1
    sent_before = len(core.calls_of("sendMessage"))
    await harness.app.process_update(Update.de_json(update, harness.app.bot))
    assert len(core.calls_of("sendMessage")) == sent_before  # the command returned with everything queued
    trajectory = await trajectory_of(harness, group)
    kinds = await harness.db.run(lambda s: [row.kind for row in s.query(OutboxMessage).order_by(OutboxMessage.id)])
    assert kinds == ["announce", "progress"] + ["ballot"] * 4
    # No score and no text of a ballot waits in the outbox: drawn when it goes.
    assert (
        await harness.db.run(lambda s: [row.text for row in s.query(OutboxMessage).filter_by(kind="ballot")])
        == [None] * 4
    )
    await harness.drain()
    assert await harness.db.run(outbox.pending) == 0
    assert all(len(live_ballots(harness, person)) == 1 for person in people)
    texts = harness.bot_texts(group["id"])
    assert any("Stemronde 1" in t for t in texts) and "0 van 4 leden hebben gestemd" in texts[-1]
    round_ = await harness.db.run(voting.open_round_of, trajectory.id)
    assert round_ is not None and round_.progress_message_id is not None


async def test_a_restart_sends_what_the_dead_process_left_queued(harness: Harness) -> None:
    """The process died after opening the round and 1 of 4 ballots: a new process sends the rest."""
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    core.send_message(people[0], group, "/stemronde")
    (update,) = core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
    harness.offset = update["update_id"] + 1
    await harness.app.process_update(Update.de_json(update, harness.app.bot))
    sender = sender_of(harness.app)
    heads = await harness.db.run(outbox.heads, outbox.utcnow())
    first = next(row for row in heads if row.kind == "ballot")
    assert await sender.send(first) == "sent"
    # ... and here the process dies. Another one starts on the same database.
    other = build_application(
        make_settings(core, harness.db.url), db=harness.db, request=FakeTelegramRequest(core), rate_limiter=False
    )
    await other.initialize()
    try:
        await Sender(other).drain()
    finally:
        await other.shutdown()
    assert all(len(live_ballots(harness, person)) == 1 for person in people)
    assert sum(1 for call in core.calls_of("sendMessage") if "Stembiljet" in call.params.get("text", "")) == 4


@pytest.mark.parametrize("kind", ["429", "500", "502", "drop", "timeout"])
async def test_a_storm_at_the_opening_delays_but_loses_nothing(harness: Harness, kind: str) -> None:
    """Every send fails three times in a row (a 429 storm, a 5xx burst, dropped connections,
    answers past the timeout); the round still opens with every ballot, once."""
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    core.fail("sendMessage", kind=kind, times=3, retry_after=1)
    await harness.say(people[0], group, "/stemronde")
    assert all(len(live_ballots(harness, person)) == 1 for person in people)
    assert any("Stemronde 1" in t for t in harness.bot_texts(group["id"]))
    trajectory = await trajectory_of(harness, group)
    assert await harness.db.run(undelivered.of_trajectory, trajectory.id) == []
    assert "loopt nog" not in " ".join(harness.bot_texts(group["id"]))


async def test_a_ballot_that_timed_out_but_arrived_counts_and_retires_itself_on_its_first_press(
    harness: Harness,
) -> None:
    """Telegram took the ballot but its answer was lost, so the retry arrives too. Nothing tells
    the bot where that first copy is, until it is pressed: the press counts (once), the live
    ballot is redrawn, and the copy pressed now points to the live one, without buttons."""
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=4)
    bart = people[1]
    core.fail("sendMessage", chat_id=bart["id"], kind="timeout", executed=True, times=1)
    await harness.say(people[0], group, "/stemronde")
    unknown, live = live_ballots(harness, bart)
    assert unknown["message_id"] < live["message_id"]
    await harness.press(bart, unknown, vote_buttons(unknown)[2])  # a 3 for the first theme
    (left,) = live_ballots(harness, bart)
    assert left["message_id"] == live["message_id"] and "✅ 3" in str(left["reply_markup"])
    retired = next(m for m in core.messages(bart["id"]) if m["message_id"] == unknown["message_id"])
    assert "vervangen door een nieuwer exemplaar" in retired["text"]
    await harness.press(bart, left, vote_buttons(left)[2])  # the same score again: unchanged, not doubled
    assert await harness.db.run(lambda s: s.query(DraftScore).count()) == 1


@pytest.mark.parametrize("kind", ["500", "timeout", "drop"])
async def test_a_failed_answer_to_a_press_loses_nothing_and_the_ballot_is_redrawn(harness: Harness, kind: str) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/stemronde")
    bart = people[1]
    ballot = ballot_message(core, bart)
    core.fail("answerCallbackQuery", kind=kind, times=None)
    press = vote_buttons(ballot)[2]
    await harness.press(bart, ballot, press)
    assert "✅ 3" in str(ballot_message(core, bart)["reply_markup"])  # redrawn all the same
    assert await harness.db.run(lambda s: s.query(DraftScore).count()) == 1


async def test_what_never_arrives_is_told_to_the_moderator_once_for_every_kind(harness: Harness) -> None:
    """The announcement and the progress message in the group fail for good, and Bart's ballot:
    the moderator hears it privately, in one note, with the reason; the group message that timed
    out is not sent twice (it may have arrived)."""
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    anne, bart = people[0], people[1]
    core.fail("sendMessage", chat_id=group["id"], kind="500", times=4)
    core.fail("sendMessage", chat_id=group["id"], kind="timeout", times=1)
    core.fail("sendMessage", chat_id=bart["id"], kind="403", times=None)
    await harness.say(anne, group, "/stemronde")
    trajectory = await trajectory_of(harness, group)
    rows = sorted(await harness.db.run(undelivered.of_trajectory, trajectory.id))
    assert rows == sorted(
        [
            (group["id"], "announce", "server_error", True),
            (group["id"], "progress", "timeout", True),
            (bart["id"], "ballot", "blocked", True),
        ]
    )
    notes = [t for t in harness.bot_texts(anne["id"]) if t.startswith("Niet alles kwam aan")]
    assert len(notes) == 1
    assert "• de groep: de aankondiging van de stemronde (storing bij Telegram)" in notes[0]
    assert (
        "• de groep: het bericht met de stand van de stemronde (Telegram antwoordde niet op tijd, misschien kwam het toch aan)"
        in notes[0]
    )
    assert "• Bart: het stembiljet (bot geblokkeerd" in notes[0]
    progress_tries = [
        c
        for c in core.calls_of("sendMessage")
        if c.params["chat_id"] == group["id"] and "leden hebben gestemd" in c.params.get("text", "")
    ]
    assert len(progress_tries) == 1  # not sent again after the timeout
    # The others voted on: their ballots were not held up.
    assert all(len(live_ballots(harness, person)) == 1 for person in people if person is not bart)


async def test_stemronde_on_a_running_round_sends_the_missing_ballots(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    bart = people[1]
    core.fail("sendMessage", chat_id=bart["id"], kind="500", times=None)
    await harness.say(people[0], group, "/stemronde")
    assert live_ballots(harness, bart) == []
    core.clear_faults()
    await harness.say(people[0], group, "/stemronde")
    assert "Ik stuur het stembiljet opnieuw naar 1 lid dat het nog niet kreeg." in harness.last_text(group["id"])
    assert len(live_ballots(harness, bart)) == 1
    assert all(len(live_ballots(harness, person)) == 1 for person in people)
    await harness.say(people[0], group, "/stemronde")  # everyone has one now: nothing is sent twice
    assert "Iedereen die meedoet, kreeg zijn stembiljet al." in harness.last_text(group["id"])
    assert all(len(live_ballots(harness, person)) == 1 for person in people)
    failed = await harness.db.run(lambda s: s.query(BallotDelivery).filter_by(failed=True).count())
    assert failed == 0


async def test_stembiljet_again_leaves_one_live_ballot(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/stemronde")
    bart = people[1]
    await harness.say(bart, bart["id"], "/stembiljet")
    await harness.say(bart, bart["id"], "/stembiljet")
    assert len(live_ballots(harness, bart)) == 1


def record(row_id: int, lane: int, chat_id: int) -> OutboxRecord:
    return OutboxRecord(row_id, lane, chat_id, None, "notice", None, None, None, "x", None, 0)


async def test_the_sender_takes_one_message_per_group_in_turn(harness: Harness) -> None:
    """Round-robin over lanes, not first come first served: group 3's first message goes in the
    first turn although groups 1 and 2 queued 20 each before it."""
    sender = Sender(harness.app)
    heads = (
        [record(n, 1, 100 + n) for n in range(20)]
        + [record(20 + n, 2, 200 + n) for n in range(20)]
        + [record(40, 3, 300)]
    )
    order = sender.fair(heads)
    assert [row.lane for row in order[:3]] == [1, 2, 3]
    assert [row.lane for row in order[3:5]] == [1, 2]
    # The next look starts with the lanes served least recently: lane 1 went last here.
    for row in (order[0], order[1], order[2]):
        sender.counter += 1
        sender.served[row.lane] = sender.counter
    sender.served[1] = sender.counter + 1
    assert [row.lane for row in sender.fair([record(50, 1, 150), record(51, 3, 350), record(52, 2, 250)])] == [2, 3, 1]
    sender.busy.add(100)
    assert all(row.chat_id != 100 for row in sender.fair(heads))  # a chat with a message on its way waits


class TestWithTelegramsLimits:
    @pytest.fixture
    def rate_limited(self) -> bool:
        return True

    async def test_a_group_reply_beyond_the_groups_budget_goes_to_the_outbox(self, harness: Harness) -> None:
        """The group has used its 20 a minute: a reply does not hold the handler (and so the group's
        next updates) for up to a minute; it is queued and sent when the budget allows."""
        core = harness.core
        group, people, _ = await voting_group(harness, members=2, themes=4)
        limiter = harness.app.bot.rate_limiter
        loop = asyncio.get_running_loop()
        windows = limiter._chat(group["id"], loop.time()).windows
        for _ in range(20):
            windows[-1].take(loop.time())
        sent_before = len(core.sent_messages(group["id"]))
        core.send_message(people[0], group, "/geparkeerd")
        (update,) = core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
        harness.offset = update["update_id"] + 1
        await asyncio.wait_for(harness.app.process_update(Update.de_json(update, harness.app.bot)), timeout=5)
        assert len(core.sent_messages(group["id"])) == sent_before
        assert await harness.db.run(outbox.pending) >= 1
        windows[-1].times.clear()
        await harness.drain()
        assert len(core.sent_messages(group["id"])) > sent_before


async def test_no_score_waits_in_the_outbox_next_to_a_member(harness: Harness) -> None:
    """Closing queues each member's feedback with the closing; the rows carry who and which round,
    never a score or a text: the feedback is drawn from the frozen results when it goes."""
    core = harness.core
    group, people, themes = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/stemronde")
    for index, person in enumerate(people):
        await cast(harness, person, {theme: 1 + (index + n) % 3 for n, theme in enumerate(themes)})
    core.send_message(people[0], group, "/sluitronde")
    (update,) = core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
    harness.offset = update["update_id"] + 1
    await harness.app.process_update(Update.de_json(update, harness.app.bot))
    rows = await harness.db.run(
        lambda s: [(r.kind, r.text, r.markup) for r in s.query(OutboxMessage).filter_by(kind="feedback")]
    )
    assert rows == [("feedback", None, None)] * 3
    if harness.db.url.startswith("postgresql"):
        # Queued after the close, in a transaction of its own: no transaction id ties a member's
        # feedback row to the ballots the close wrote (tests/privacy/test_database_links.py).
        xmins = lambda table: harness.db.run_sync(  # noqa: E731
            lambda s: {r[0] for r in s.execute(text(f"SELECT xmin::text FROM {table}"))}
        )
        assert xmins("ballot") and xmins("outbox") and not xmins("ballot") & xmins("outbox")
    await harness.drain()
    for person in people:
        assert "jouw stem naast die van de groep" in harness.last_text(person["id"])
