"""End to end over HTTP: dream images with two real bot processes on one PostgreSQL database.

Both processes run in webhook mode against the fake Bot API server (the webhook points at the
one that started last; the other only ticks); both look at the reminder table every second and
take one row per look, so they really compete. The clock moves the way waiting or downtime moves
it: the reminder rows become due. Each reminder reaches its member once, across both instances
and across a restart of both."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from storage.models import Reminder, Theme, Trajectory
from tests.conftest import _empty_postgres
from tests.e2e.test_bot_process import fake_server, free_port, start_bot, stop_bot  # noqa: F401 (fixture)

NAMES = ("Anne", "Bart", "Chris", "Dirk", "Els", "Fien")
SECRET = "e2e-secret_token"


def start_instance(core: FakeTelegram, base_url: str, database_url: str, folder: Path) -> subprocess.Popen:
    """One bot process in webhook mode; ready once it has set its webhook."""
    folder.mkdir(exist_ok=True)
    before = len(core.calls_of("setWebhook"))
    port = free_port()
    process = start_bot(
        core,
        base_url,
        database_url,
        folder,
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        REMINDER_INTERVAL="1",
        REMINDER_BATCH="1",
        BALLOT_SECRET="e2e-ballot-secret-0123456789abcdef0123456789",
    )
    try:
        wait_for_sync(
            core,
            lambda c: len(c.calls_of("setWebhook")) > before,
            timeout=30,
            what=f"the bot in {folder.name} to set its webhook",
        )
    except AssertionError:
        process.kill()
        raise AssertionError((folder / "bot.log").read_text()) from None
    return process


def reminders_to(core: FakeTelegram, person: dict) -> list[dict]:
    return [m for m in core.sent_messages(person["id"]) if (m.get("text") or "").startswith("⏰ Herinnering")]


def make_due(engine) -> int:  # type: ignore[no-untyped-def]
    """Time passes (or the bot is down): the earliest pending moment's reminders are due now, and
    what was sent before was sent two days ago."""
    with Session(engine) as session, session.begin():
        session.execute(text("UPDATE reminder SET sent_at = sent_at - interval '2 days' WHERE sent_at IS NOT NULL"))
        rows = session.scalars(select(Reminder).where(Reminder.kind == "auto", Reminder.state == "pending")).all()
        earliest = min(row.due_at for row in rows)
        ids = [row.id for row in rows if row.due_at == earliest]
        session.execute(
            text("UPDATE reminder SET due_at = now() - interval '1 second' WHERE id = ANY(:ids)"), {"ids": ids}
        )
        return len(ids)


def test_two_processes_send_each_reminder_once(fake_server, postgres_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    _empty_postgres(postgres_url)
    engine = create_engine(postgres_url)
    first = start_instance(core, base_url, postgres_url, tmp_path / "a")
    second = start_instance(core, base_url, postgres_url, tmp_path / "b")
    processes = [first, second]
    try:
        group = core.add_group("Kopgroep")
        people = {name: core.add_user(name) for name in NAMES}
        for index, person in enumerate(people.values()):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne, fien = people["Anne"], people["Fien"]
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in people.values():
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")
        with Session(engine) as session, session.begin():
            trajectory = session.scalars(select(Trajectory).where(Trajectory.chat_id == group["id"])).one()
            session.add_all(
                Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", source="manual") for i in range(1, 5)
            )
        core.send_message(anne, group, "/consensus 1, 2, 3")
        wait_for_bot_message_sync(core, group["id"], contains="Consensus")

        core.send_message(anne, group, "/droombeelden")
        wait_for_bot_message_sync(core, group["id"], contains="Elk lid kreeg het sjabloon")
        templates = {
            name: wait_for_bot_message_sync(core, p["id"], contains="Droombeelden ·") for name, p in people.items()
        }
        day = (datetime.now(ZoneInfo("Europe/Brussels")) + timedelta(days=10)).date()
        core.send_message(anne, group, f"/volgendesessie {day.day}/{day.month} om 14:00")
        wait_for_bot_message_sync(core, group["id"], contains="Volgende sessie")
        wait_for_sync(
            core, lambda c: any(call.ok for call in c.calls_of("sendDocument")), what="the calendar invitation"
        )

        # Bart writes a dream image; Fien is done with every theme.
        bart = people["Bart"]
        theme_buttons = [
            b["callback_data"]
            for row in templates["Bart"]["reply_markup"]["inline_keyboard"]
            for b in row
            if b["callback_data"].startswith("dth:")
        ]
        core.press_button(bart, templates["Bart"], theme_buttons[0])
        wait_for_bot_message_sync(core, bart["id"], contains="Stuur nu je droombeelden")
        core.send_message(bart, bart["id"], "Kraantjeswater in plaats van flessenwater")
        wait_for_bot_message_sync(core, bart["id"], contains="Genoteerd bij Thema 1")
        for data in [
            b["callback_data"]
            for row in templates["Fien"]["reply_markup"]["inline_keyboard"]
            for b in row
            if b["callback_data"].startswith("dth:")
        ]:
            core.press_button(fien, templates["Fien"], data)
            shown = wait_for_sync(
                core,
                lambda c, d=data: next(
                    (
                        m
                        for m in reversed(c.sent_messages(fien["id"]))
                        if f"ddone:{d[4:]}:1" in str(m.get("reply_markup"))
                    ),
                    None,
                ),
            )
            core.press_button(fien, shown, f"ddone:{data[4:]}:1")
            wait_for_sync(
                core,
                lambda c, d=data: any(
                    f"ddone:{d[4:]}:0" in str(m.get("reply_markup")) for m in c.sent_messages(fien["id"])
                ),
            )
        wait_for_bot_message_sync(core, fien["id"], contains="Je bent klaar met alle 3 thema's")

        # Three days before: both processes race for the due rows; each member gets one reminder.
        assert make_due(engine) == 6
        others = [p for name, p in people.items() if name != "Fien"]
        wait_for_sync(
            core, lambda c: all(len(reminders_to(c, p)) >= 1 for p in others), timeout=20, what="the first reminders"
        )
        time.sleep(3)  # several more ticks of both processes
        assert [len(reminders_to(core, p)) for p in others] == [1] * 5
        assert reminders_to(core, fien) == []
        with Session(engine) as session:
            claimers = set(session.scalars(select(Reminder.claimed_by).where(Reminder.state.in_(("sent", "dropped")))))
        # Either instance may take a row (a look keeps claiming while batches come full, so one
        # can drain them all); what matters is that each reminder went out once, checked above.
        assert claimers and None not in claimers, claimers
        assert "Thema 1 (1 droombeeld)" in reminders_to(core, bart)[0]["text"]

        # Downtime: both processes stop; the day-before moment passes; they start again.
        for process in processes:
            stop_bot(process)
        processes = []
        assert make_due(engine) == 6
        processes = [
            start_instance(core, base_url, postgres_url, tmp_path / "a2"),
            start_instance(core, base_url, postgres_url, tmp_path / "b2"),
        ]
        wait_for_sync(
            core,
            lambda c: all(len(reminders_to(c, p)) >= 2 for p in others),
            timeout=20,
            what="the reminders after the restart",
        )
        time.sleep(3)
        assert [len(reminders_to(core, p)) for p in others] == [2] * 5
        assert reminders_to(core, fien) == []
        with Session(engine) as session:
            rows = session.execute(select(Reminder.state, Reminder.claimed_by)).all()
        assert sorted(state for state, _ in rows) == ["dropped"] * 2 + ["sent"] * 10
    finally:
        for process in processes:
            stop_bot(process)
        engine.dispose()
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
