"""End to end: two bot processes in webhook mode behind a loopback load balancer, one PostgreSQL database.

The fake Bot API pushes every update to the balancer, which hands them to the two instances in
turn. A reference group runs a voting round on one instance alone first; then three groups vote
at once, members pressing without waiting for answers, while one instance is killed (SIGKILL) in
the middle. Checked: every ballot counted once, every round closed once by its deadline with the
same results as the reference, every reminder sent once, every update processed and every button
press answered.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fake_telegram.core import FakeTelegram
from fake_telegram.server import FakeTelegramServer
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from storage.models import Ballot, DeadlineRun, InboundUpdate, Reminder, Score, Theme, Trajectory, VotingRound
from tests.conftest import _empty_postgres
from tests.e2e.balancer import Balancer, CaddyBalancer
from tests.e2e.test_bot_process import free_port, start_bot, stop_bot

SECRET = "e2e-secret_token"
SCORES = {"Anne": (3, 3, 2, 1), "Bart": (3, 2, 3, 1), "Chris": (3, 3, 2, 1), "Dirk": (2, 3, 3, 1)}
GROUPS = ("Kopgroep Aalst", "Kopgroep Brugge", "Kopgroep Gent")


@pytest.fixture
def served() -> Iterator[tuple[FakeTelegram, FakeTelegramServer]]:
    core = FakeTelegram()
    server = FakeTelegramServer(core)
    server.start_in_thread()
    yield core, server
    server.stop_thread()


def start_instance(
    core: FakeTelegram, server: FakeTelegramServer, database_url: str, folder: Path, *, hook: str, port: int
) -> subprocess.Popen:
    """One bot process in webhook mode behind the balancer; ready once it has set the webhook."""
    folder.mkdir(exist_ok=True)
    before = len(core.calls_of("setWebhook"))
    process = start_bot(
        core,
        server.base_url,
        database_url,
        folder,
        WEBHOOK_URL=hook,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        REMINDER_INTERVAL="1",
        REMINDER_BATCH="1",
        BALLOT_SECRET="e2e-ballot-secret-0123456789abcdef0123456789",
    )
    try:
        wait_for_sync(core, lambda c: len(c.calls_of("setWebhook")) > before, timeout=30, what=f"{folder.name} ready")
    except AssertionError:
        process.kill()
        raise AssertionError((folder / "bot.log").read_text()) from None
    return process


def setup_group(core: FakeTelegram, engine, title: str) -> tuple[dict, dict[str, dict]]:  # type: ignore[no-untyped-def]
    """A group whose four members joined, with four themes."""
    group = core.add_group(title)
    people = {name: core.add_user(name) for name in SCORES}
    for index, person in enumerate(people.values()):
        core.add_member(group, person, "creator" if index == 0 else "member")
    core.add_bot_to_group(group, people["Anne"])
    welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
    for person in people.values():
        core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
    for person in people.values():
        wait_for_bot_message_sync(core, person["id"], contains="Welkom")
    with Session(engine) as session, session.begin():
        trajectory = session.scalars(select(Trajectory).where(Trajectory.chat_id == group["id"])).one()
        session.add_all(
            Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", source="manual") for i in range(1, 5)
        )
    return group, people


def ballot_presses(core: FakeTelegram, people: dict[str, dict]) -> list[list[tuple[dict, dict, str]]]:
    """Per member: the presses that fill in and submit their ballot (user, ballot message, data)."""
    presses = []
    for name, scores in SCORES.items():
        person = people[name]
        ballot = wait_for_bot_message_sync(core, person["id"], contains="Stembiljet")
        data = [
            b["callback_data"] for row in ballot["reply_markup"]["inline_keyboard"] for b in row if "callback_data" in b
        ]
        votes = [d for d in data if d.startswith("vote:")]
        round_id = votes[0].split(":")[1]
        theme_ids = sorted({int(d.split(":")[2]) for d in votes})
        member = [(person, ballot, f"vote:{round_id}:{t}:{s}") for t, s in zip(theme_ids, scores, strict=True)]
        presses.append([*member, (person, ballot, f"vsubmit:{round_id}")])
    return presses


def texts_in(core: FakeTelegram, chat_id: int, contains: str) -> list[str]:
    return [m.get("text") or "" for m in core.sent_messages(chat_id) if contains in (m.get("text") or "")]


def test_two_instances_behind_a_balancer_lose_and_double_nothing(served, postgres_url: str, tmp_path: Path) -> None:
    core, server = served
    _empty_postgres(postgres_url)
    engine = create_engine(postgres_url)
    ports = [free_port(), free_port()]
    backends = [f"http://127.0.0.1:{port}" for port in ports]
    # KOPGROEP_E2E_PROXY=caddy runs deploy/Caddyfile with a local caddy instead of the small balancer.
    if os.environ.get("KOPGROEP_E2E_PROXY") == "caddy":
        balancer: Balancer | CaddyBalancer = CaddyBalancer(backends, free_port(), free_port(), tmp_path)
    else:
        balancer = Balancer(backends)
    hook = balancer.start() + "/telegram"
    first = start_instance(core, server, postgres_url, tmp_path / "a", hook=hook, port=ports[0])
    processes = [first]
    retried = 0
    try:
        # Reference: one instance alone runs a round and closes it.
        group, people = setup_group(core, engine, "Kopgroep Referentie")
        core.send_message(people["Anne"], group, "/stemronde")
        wait_for_bot_message_sync(core, group["id"], contains="0 van 4 leden hebben gestemd")
        for member in ballot_presses(core, people):
            for person, ballot, data in member:
                core.press_button(person, ballot, data)
        for person in people.values():
            wait_for_bot_message_sync(core, person["id"], contains="Ingediend")
        core.send_message(people["Anne"], group, "/sluitronde")
        reference = wait_for_bot_message_sync(core, group["id"], contains="Uitslag stemronde 1")["text"]

        second = start_instance(core, server, postgres_url, tmp_path / "b", hook=hook, port=ports[1])
        processes.append(second)
        groups = [setup_group(core, engine, title) for title in GROUPS]
        for group, people in groups:
            core.send_message(people["Anne"], group, "/stemronde tot morgen 17u")
        for group, _ in groups:
            wait_for_bot_message_sync(core, group["id"], contains="0 van 4 leden hebben gestemd")
        # Twelve members press at once (interleaved); the first instance dies halfway through.
        members = [member for _, people in groups for member in ballot_presses(core, people)]
        presses = [press for step in zip(*members, strict=True) for press in step]
        half = len(presses) // 2
        for person, ballot, data in presses[:half]:
            core.press_button(person, ballot, data)
        wait_for_sync(core, lambda c: len(c.calls_of("answerCallbackQuery")) >= 16 + 8, what="presses under way")
        first.kill()  # SIGKILL: no clean-up of any kind
        first.wait(10)
        processes.remove(first)
        for person, ballot, data in presses[half:]:
            core.press_button(person, ballot, data)
        for _, people in groups:
            for person in people.values():
                wait_for_bot_message_sync(core, person["id"], contains="Ingediend", timeout=60)

        # The killed instance comes back; both race for the deadlines, passed now.
        processes.append(start_instance(core, server, postgres_url, tmp_path / "a2", hook=hook, port=ports[0]))
        chat_ids = [group["id"] for group, _ in groups]
        with Session(engine) as session, session.begin():
            trajectory_ids = session.scalars(select(Trajectory.id).where(Trajectory.chat_id.in_(chat_ids))).all()
            session.execute(
                text("UPDATE voting_round SET deadline = now() - interval '1 second' WHERE trajectory_id = ANY(:ids)"),
                {"ids": list(trajectory_ids)},
            )
        for chat_id in chat_ids:
            wait_for_bot_message_sync(core, chat_id, contains="Uitslag stemronde 1", timeout=30)
        time.sleep(3)  # several more ticks of both instances
        for chat_id in chat_ids:
            assert texts_in(core, chat_id, "Uitslag stemronde 1") == [reference]
            # The progress message ends on the true count, however the members' edits interleaved.
            (progress,) = texts_in(core, chat_id, "🗳 Stemronde 1")
            assert progress.startswith("🗳 Stemronde 1 is gesloten: 4 van 4 leden stemden"), progress
        for _, people in groups:
            for person in people.values():
                assert len(texts_in(core, person["id"], "jouw stem naast die van de groep")) == 1
        with Session(engine) as session:
            rounds = session.scalars(select(VotingRound).where(VotingRound.trajectory_id.in_(trajectory_ids))).all()
            assert [(r.status, r.closed_by) for r in rounds] == [("closed", "deadline")] * 3
            for round_ in rounds:
                ballots = session.scalars(select(Ballot).where(Ballot.round_id == round_.id)).all()
                assert len(ballots) == 4 and all(b.submitted for b in ballots)
                scores = session.scalar(
                    select(func.count()).select_from(Score).where(Score.ballot_id.in_([b.id for b in ballots]))
                )
                assert scores == 16
            runs = session.scalars(select(DeadlineRun)).all()
            assert len(runs) == 3 and all(run.done_at is not None for run in runs)

        # A reminder cycle in the three groups.
        day = (datetime.now(ZoneInfo("Europe/Brussels")) + timedelta(days=10)).date()
        for step, answer in (
            ("/consensus 1, 2, 3", "Consensus"),
            ("/droombeelden", "Elk lid kreeg het sjabloon"),
            (f"/volgendesessie {day.day}/{day.month} om 14:00", "Volgende sessie"),
        ):
            for group, people in groups:
                core.send_message(people["Anne"], group, step)
            for group, _ in groups:
                wait_for_bot_message_sync(core, group["id"], contains=answer, timeout=30)
        with Session(engine) as session, session.begin():
            rows = session.scalars(select(Reminder).where(Reminder.kind == "auto", Reminder.state == "pending")).all()
            earliest: dict[int, datetime] = {}
            for row in rows:
                earliest[row.trajectory_id] = min(earliest.get(row.trajectory_id, row.due_at), row.due_at)
            due = [row.id for row in rows if row.due_at == earliest[row.trajectory_id]]
            session.execute(
                text("UPDATE reminder SET due_at = now() - interval '1 second' WHERE id = ANY(:ids)"), {"ids": due}
            )
        assert len(due) == 12
        everyone = [person for _, people in groups for person in people.values()]

        def reminders(c: FakeTelegram, person: dict) -> int:
            return len(texts_in(c, person["id"], "⏰ Herinnering"))

        wait_for_sync(core, lambda c: all(reminders(c, p) >= 1 for p in everyone), timeout=40, what="the reminders")
        time.sleep(3)
        assert [reminders(core, p) for p in everyone] == [1] * 12
        with Session(engine) as session:
            claimers = Counter(session.scalars(select(Reminder.claimed_by).where(Reminder.state == "sent")))
        # Each reminder once; which instance sent it is a race (a look drains full batches).
        assert sum(claimers.values()) == 12 and len(claimers) in (1, 2), claimers

        # Every pushed update was stored once and processed; every press was answered.
        wait_for_sync(core, lambda c: c.webhook_next() is None, timeout=20, what="the push queue to empty")
        with Session(engine) as session:
            wait_for_sync(
                core,
                lambda c: session.scalar(select(func.count()).where(InboundUpdate.done_at.is_(None))) == 0,
                timeout=20,
                what="the inbox to empty",
            )
            stored = session.execute(
                select(InboundUpdate.update_id, InboundUpdate.outcome, InboundUpdate.attempts)
            ).all()
        assert sorted(uid for uid, _, _ in stored) == sorted(set(server.pusher.delivered))
        assert {outcome for _, outcome, _ in stored} == {"processed"}
        assert all(query["answered"] for query in core.callback_queries.values())
        if balancer.served is not None:
            assert all(count > 0 for count in balancer.served.values()) and len(balancer.served) == 2
        retried = sum(1 for _, _, tries in stored if tries > 1)
        print(f"pushed {len(stored)} updates, {retried} processed again after the kill, {balancer.served}")
    finally:
        failures: list[BaseException] = []
        for process in processes:  # every one, even when one of them fails
            try:
                stop_bot(process)
            except BaseException as error:
                process.kill()
                failures.append(error)
        balancer.stop()
        engine.dispose()
    if failures:
        raise failures[0]
    # Two members submitting at the same moment may both show the same count: Telegram refuses
    # the second, identical edit ("not modified"), which the bot expects; nothing else is refused.
    # A press processed again after the kill may be answered twice; Telegram refuses the second.
    refused = [c for c in core.calls if not c.ok and "message is not modified" not in str(c.error)]
    answered_again = [c for c in refused if c.method == "answerCallbackQuery" and "query is too old" in str(c.error)]
    assert len(answered_again) <= retried
    assert not [c for c in refused if c not in answered_again], [(c.method, c.error) for c in refused]
