"""End to end over HTTP (issue 15): the real bot process opens a round while the fake Bot API
stumbles (429 storms, 500/502 bursts, dropped connections, answers past the timeout) and while it
is killed and started again; every member ends with one live ballot, no vote is lost or doubled,
and the moderator is told exactly what did not arrive."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import BallotDelivery, DraftScore, OutboxMessage, Theme, Trajectory, Undelivered
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)

THEMES = 4
TIMEOUT = 90.0  # generous on a shared 2-core machine; the waits end as soon as the state is there


def live_ballots(core: FakeTelegram, user: dict) -> list[dict]:
    found = []
    for message in core.messages(user["id"]):
        buttons = [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        if any(b.get("callback_data", "").startswith("vote:") for b in buttons):
            found.append(message)
    return found


def group_with_members(core: FakeTelegram, database_url: str, names: list[str]) -> tuple[dict, list[dict]]:
    group = core.add_group("Kopgroep")
    people = [core.add_user(name) for name in names]
    for index, person in enumerate(people):
        core.add_member(group, person, "creator" if index == 0 else "member")
    core.add_bot_to_group(group, people[0])
    welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
    for person in people:
        core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
        wait_for_bot_message_sync(core, person["id"], contains="Welkom")
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        trajectory = session.query(Trajectory).filter_by(chat_id=group["id"]).one()
        session.add_all(
            Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", source="manual")
            for i in range(1, THEMES + 1)
        )
    engine.dispose()
    return group, people


def vote_everything(core: FakeTelegram, person: dict, score: int) -> None:
    """Score every theme on the member's live ballot (pressing an older copy first, when there is
    one: it counts and retires itself), then submit."""
    copies = live_ballots(core, person)
    ballot = copies[0]
    votes = [
        b["callback_data"]
        for row in ballot["reply_markup"]["inline_keyboard"]
        for b in row
        if b.get("callback_data", "").startswith("vote:")
    ]
    theme_ids = sorted({int(v.split(":")[2]) for v in votes})
    round_id = votes[0].split(":")[1]
    for theme_id in theme_ids:
        current = live_ballots(core, person)[0]
        core.press_button(person, current, f"vote:{round_id}:{theme_id}:{score}")
        wait_for_sync(
            core,
            lambda c, t=theme_id: (
                len(live_ballots(c, person)) == 1
                and f"vote:{round_id}:{t}:{score}" in str(live_ballots(c, person)[0]["reply_markup"])
                and f"✅ {score}" in str(live_ballots(c, person)[0]["reply_markup"])
            ),
            timeout=TIMEOUT,
        )
    core.press_button(person, live_ballots(core, person)[0], f"vsubmit:{round_id}")
    wait_for_bot_message_sync(core, person["id"], contains="Ingediend", timeout=TIMEOUT)


def counts(database_url: str) -> dict[str, object]:
    engine = create_engine(database_url)
    with Session(engine) as session:
        found = {
            # The round is still open: each score is a member's sealed cell (storage/voting/casting.py).
            "scores": session.scalar(select(func.count()).select_from(DraftScore)),
            "ballots": session.scalar(select(func.count(func.distinct(DraftScore.person_id)))),
            "submitted": session.scalar(
                select(func.count()).select_from(BallotDelivery).where(BallotDelivery.submitted.is_(True))
            ),
            "queued": session.scalar(select(func.count()).select_from(OutboxMessage)),
            "undelivered": sorted(
                session.execute(select(Undelivered.chat_id, Undelivered.kind, Undelivered.reason)).all()
            ),
        }
    engine.dispose()
    return found


def test_faults_during_the_opening_and_the_presses(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN="off")
    try:
        names = ["Anne", "Bart", "Chris", "Dirk", "Els", "Fien"]
        group, people = group_with_members(core, database_url, names)
        anne, bart, chris = people[0], people[1], people[2]
        # While the round opens: a 429 storm, 500 and 502 bursts, dropped connections, and for Bart
        # an answer that comes after the bot's timeout (the ballot arrived; the bot does not know).
        core.fail("sendMessage", kind="429", times=6, retry_after=1)
        core.fail("sendMessage", kind="500", times=3)
        core.fail("sendMessage", kind="502", times=3)
        core.fail("sendMessage", kind="drop", times=3)
        core.fail("sendMessage", chat_id=bart["id"], kind="timeout", timeout_seconds=6.5, executed=True, times=1)
        core.fail("sendMessage", chat_id=chris["id"], kind="403", times=None)  # Chris blocked the bot
        core.send_message(anne, group, "/stemronde")
        wait_for_bot_message_sync(core, group["id"], contains="0 van 6 leden hebben gestemd", timeout=TIMEOUT)
        voters = [p for p in people if p is not chris]
        wait_for_sync(core, lambda c: all(live_ballots(c, p) for p in voters), timeout=TIMEOUT, what="every ballot")
        wait_for_sync(core, lambda c: len(live_ballots(c, bart)) == 2, timeout=TIMEOUT, what="Bart's second copy")
        note = wait_for_bot_message_sync(core, anne["id"], contains="Niet alles kwam aan", timeout=TIMEOUT)
        assert "• Chris: het stembiljet (bot geblokkeerd" in note["text"]
        assert note["text"].count("• ") == 1  # exactly what did not arrive, nothing else
        # While members vote: the answers to their presses fail now and then.
        core.fail("answerCallbackQuery", kind="500", times=3)
        core.fail("answerCallbackQuery", kind="drop", times=2)
        for index, person in enumerate(voters):
            vote_everything(core, person, 1 + index % 3)
        wait_for_sync(
            core,
            lambda c: any(
                "5 van 6 leden hebben gestemd" in (m.get("text") or "") for m in c.sent_messages(group["id"])
            ),
            timeout=TIMEOUT,
        )
        assert all(len(live_ballots(core, p)) == 1 for p in voters)  # one live ballot each, Bart's older copy retired
        found = counts(database_url)
        assert found["scores"] == len(voters) * THEMES  # none lost, none doubled
        assert found["ballots"] == len(voters) and found["submitted"] == len(voters)
        assert found["undelivered"] == [(chris["id"], "ballot", "blocked")]
        assert found["queued"] == 0
        notes = [m for m in core.sent_messages(anne["id"]) if "Niet alles kwam aan" in (m.get("text") or "")]
        assert len(notes) == 1
        texts = [m.get("text") or "" for m in core.sent_messages(group["id"])]
        assert not any("loopt nog" in t or "Er ging iets mis" in t for t in texts)
    finally:
        stop_bot(process)


def test_killed_while_sending_and_started_again(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    """SIGKILL while ballots are on their way: some arrived unbeknown to the bot, some not at all.
    After the restart everyone has a ballot; copies the bot could not know of retire on a press."""
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN="off")
    names = ["Anne", "Bart", "Chris", "Dirk", "Els", "Fien", "Gert", "Hanne"]
    group, people = group_with_members(core, database_url, names)
    slow = people[2:]
    for index, person in enumerate(slow):  # slow answers: half took the message, half did not
        core.fail(
            "sendMessage", chat_id=person["id"], kind="timeout", timeout_seconds=4.0, executed=index % 2 == 0, times=1
        )
    mark = len(core.calls)
    core.send_message(people[0], group, "/stemronde")
    wait_for_sync(core, lambda c: all(live_ballots(c, p) for p in people[:2]), timeout=TIMEOUT, what="the fast ballots")
    slow_ids = {str(p["id"]) for p in slow}
    wait_for_sync(
        core,
        lambda c: (
            len([x for x in c.calls[mark:] if x.method == "sendMessage" and str(x.params.get("chat_id")) in slow_ids])
            == len(slow)
        ),
        timeout=TIMEOUT,
        what="the slow sends on their way",
    )
    process.kill()  # SIGKILL, while the slow ones wait for their answers
    process.wait(timeout=10)
    arrived_before = {p["id"]: len(live_ballots(core, p)) for p in slow}
    assert sorted(arrived_before.values()) == [0, 0, 0, 1, 1, 1]
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN="off")
    try:
        wait_for_sync(
            core,
            lambda c: all(live_ballots(c, p) for p in people),
            timeout=TIMEOUT,
            what="every ballot after the restart",
        )
        wait_for_sync(core, lambda c: counts(database_url)["queued"] == 0, timeout=TIMEOUT, what="an empty outbox")
        for person in slow:
            expected = 1 + arrived_before[person["id"]]  # the unknown copy and the one sent after the restart
            assert len(live_ballots(core, person)) == expected
        for index, person in enumerate(people):
            vote_everything(core, person, 1 + index % 3)
        assert all(len(live_ballots(core, p)) == 1 for p in people)
        found = counts(database_url)
        assert found["scores"] == len(people) * THEMES and found["submitted"] == len(people)
        assert found["undelivered"] == []
        assert not any("Niet alles kwam aan" in (m.get("text") or "") for m in core.sent_messages(people[0]["id"]))
    finally:
        stop_bot(process)
