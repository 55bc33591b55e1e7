"""Telegram answering 429, 500 or not at all: sends are tried again in order, and what still does
not arrive is recorded (table ``undelivered``) and told to the moderator once, privately."""

from __future__ import annotations

import pytest

from bot import messaging
from bot.messaging import send_html, split_html
from storage import outbox, undelivered, voting
from storage.models import BallotDelivery
from tests.conversations.voting_helpers import ballot_message, voting_group
from tests.harness import Harness
from tests.reliability.events_helpers import trajectory_of


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Server errors and timeouts are tried again at once (a 429 still waits its retry_after)."""
    monkeypatch.setattr(messaging, "RETRY_DELAYS", (0.0, 0.0, 0.0))


def sends_to(harness: Harness, chat_id: int) -> list:
    return [c for c in harness.core.calls_of("sendMessage") if c.params["chat_id"] == chat_id]


@pytest.mark.parametrize("kind", ["500", "timeout", "429"])
async def test_a_ballot_is_tried_again_and_arrives(harness: Harness, kind: str) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    bart = people[1]
    harness.core.fail("sendMessage", chat_id=bart["id"], kind=kind, times=2, retry_after=1)
    await harness.say(people[0], group, "/stemronde")
    tries = sends_to(harness, bart["id"])[-3:]
    assert [c.ok for c in tries] == [False, False, True]
    assert ballot_message(harness.core, bart)  # arrived, with its buttons
    trajectory = await trajectory_of(harness, group)
    assert await harness.db.run(undelivered.of_trajectory, trajectory.id) == []


async def test_a_ballot_that_never_arrives_is_recorded_and_the_moderator_told_once(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    anne, bart, chris = people[0], people[1], people[2]
    core.fail("sendMessage", chat_id=bart["id"], kind="500", times=None)
    core.fail("sendMessage", chat_id=chris["id"], kind="403", times=None)
    await harness.say(anne, group, "/stemronde")
    # The others still got theirs: one member's fault does not stop the round.
    assert ballot_message(core, people[3]) and ballot_message(core, anne)
    trajectory = await trajectory_of(harness, group)
    rows = await harness.db.run(undelivered.of_trajectory, trajectory.id)
    assert sorted(rows) == [(bart["id"], "ballot", "server_error", True), (chris["id"], "ballot", "blocked", True)]
    tries = [c for c in sends_to(harness, bart["id"]) if not c.ok]
    assert len(tries) == 1 + len(messaging.RETRY_DELAYS)  # every try, then given up
    failed = await harness.db.run(lambda s: sorted(d.person_id for d in s.query(BallotDelivery).filter_by(failed=True)))
    assert len(failed) == 2
    # The moderator hears it privately, in one note that names who missed what.
    note = harness.last_text(anne["id"])
    assert note.startswith("Niet alles kwam aan (Gemeente Zottegem).")
    assert "• Bart: het stembiljet (storing bij Telegram)" in note
    assert "• Chris: het stembiljet (bot geblokkeerd of privégesprek nooit geopend)" in note
    notes = [t for t in harness.bot_texts(anne["id"]) if t.startswith("Niet alles kwam aan")]
    assert len(notes) == 1
    # Later, with Telegram well again, /stembiljet brings it; nothing new is reported.
    core.clear_faults()
    await harness.say(bart, bart["id"], "/stembiljet")
    assert ballot_message(core, bart)
    assert len([t for t in harness.bot_texts(anne["id"]) if t.startswith("Niet alles kwam aan")]) == 1


async def test_parts_of_a_long_message_stay_in_order_through_errors(harness: Harness) -> None:
    core = harness.core
    group = core.add_group("Kopgroep")
    anne = core.add_user("Anne")
    core.add_member(group, anne, "creator")
    core.set_bot_status(group, "member")
    text = "\n".join(f"Regel {n:04d} " + "x" * 60 for n in range(200))
    parts = split_html(text)
    assert len(parts) >= 3
    core.fail("sendMessage", chat_id=group["id"], kind="500", times=2)
    core.fail("sendMessage", chat_id=group["id"], kind="429", times=1, retry_after=1)
    await send_html(harness.app.bot, group["id"], text)
    assert harness.bot_texts(group) == parts


async def test_flood_limits_are_waited_out(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=5, themes=4)
    core.enforce_limits(per_second_overall=2, per_second_per_chat=1, per_minute_per_group=20)
    await harness.say(people[0], group, "/stemronde")
    refused = [c for c in core.calls_of("sendMessage") if not c.ok]
    assert refused and all(c.error.error_code == 429 for c in refused)
    for person in people:
        assert ballot_message(core, person)
    round_id = (await harness.db.run(voting.open_round_of, (await trajectory_of(harness, group)).id)).id
    assert await harness.db.run(voting.progress, round_id) == (0, 5)


async def test_a_long_flood_wait_holds_that_chat_only_and_the_ballot_stays_queued(harness: Harness) -> None:
    """A 429 with a long retry_after: the others get theirs at once; that member's ballot waits in
    the outbox (nothing is given up, nobody is told of a loss that did not happen)."""
    group, people, _ = await voting_group(harness, members=3, themes=4)
    bart = people[1]
    harness.core.fail("sendMessage", chat_id=bart["id"], kind="429", times=1, retry_after=messaging.MAX_RETRY_AFTER + 1)
    await harness.say(people[0], group, "/stemronde")
    trajectory = await trajectory_of(harness, group)
    assert ballot_message(harness.core, people[0]) and ballot_message(harness.core, people[2])
    assert not any("Stembiljet" in (m.get("text") or "") for m in harness.core.sent_messages(bart["id"]))
    assert await harness.db.run(undelivered.of_trajectory, trajectory.id) == []
    assert await harness.db.run(outbox.pending, trajectory_id=trajectory.id) == 1


async def test_over_http_the_fake_servers_errors_are_survived(over_http: Harness) -> None:
    """The same faults served by the fake Bot API's HTTP server, through httpx as in production."""
    harness = over_http
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    bart, chris, dirk = people[1], people[2], people[3]
    core.fail("sendMessage", chat_id=bart["id"], kind="500", times=2)
    core.fail("sendMessage", chat_id=chris["id"], kind="429", times=1, retry_after=1)
    core.fail("sendMessage", chat_id=dirk["id"], kind="403", times=None)
    await harness.say(people[0], group, "/stemronde")
    assert ballot_message(core, bart) and ballot_message(core, chris)
    trajectory = await trajectory_of(harness, group)
    assert await harness.db.run(undelivered.of_trajectory, trajectory.id) == [(dirk["id"], "ballot", "blocked", True)]
    assert "• Dirk: het stembiljet" in harness.last_text(people[0]["id"])
