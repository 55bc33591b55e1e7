"""End to end: the real `kopgroep run` process talks HTTP to the fake Bot API server on
127.0.0.1, in polling and in webhook mode; scripted members drive it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fake_telegram.core import FakeTelegram
from fake_telegram.server import FakeTelegramServer
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync

ROOT = Path(__file__).resolve().parents[2]
SECRET = "e2e-secret_token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fake_server() -> Iterator[tuple[FakeTelegram, str]]:
    core = FakeTelegram()
    server = FakeTelegramServer(core)
    base_url = server.start_in_thread()
    yield core, base_url
    server.stop_thread()
    # An edit that changes nothing is refused by Telegram: the bot should never try one.
    repeated = [c.method for c in core.calls if c.method.startswith("edit") and not c.ok and "not modified" in str(c.error)]
    assert not repeated, f"edits that repeat the current text: {repeated}"


def start_bot(core: FakeTelegram, base_url: str, database_url: str, tmp_path: Path, **env: str) -> subprocess.Popen:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_"))},
        "TELEGRAM_BOT_TOKEN": core.token,
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
        # A port of its own for the screen (and /healthz): 8080 may be taken by another run.
        "SCREEN_LISTEN": f"127.0.0.1:{free_port()}",
        **env,
    }
    ready_before = len(core.calls_of("deleteMyCommands"))  # a restart on the same fake: count from here
    log = (tmp_path / "bot.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    process.log_path = tmp_path / "bot.log"  # type: ignore[attr-defined]
    # Ready once it has set its command menus (post_init; clearing the old admins' menu comes last).
    try:
        wait_for_sync(core, lambda c: len(c.calls_of("deleteMyCommands")) >= ready_before + 3, timeout=30, what="the bot to start")
    except AssertionError:
        process.kill()
        raise AssertionError((tmp_path / "bot.log").read_text()) from None
    return process


def stop_bot(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    log = process.log_path.read_text()  # type: ignore[attr-defined]
    assert "Traceback" not in log, log
    return log


def scenario(core: FakeTelegram) -> None:
    """A moderator adds the bot and names the organisation; two members join; /leden."""
    group = core.add_group("Kopgroep MVO")
    anne, bart, chris = core.add_user("Anne"), core.add_user("Bart"), core.add_user("Chris")
    core.add_member(group, anne, "creator")
    core.add_member(group, bart)
    core.add_member(group, chris)
    core.add_bot_to_group(group, anne)
    welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
    question = wait_for_bot_message_sync(core, group["id"], contains="hoe heet jullie organisatie")
    core.send_message(anne, group, "Gemeente Zottegem", reply_to_message_id=question["message_id"])
    wait_for_bot_message_sync(core, group["id"], contains="Genoteerd")

    url = welcome["reply_markup"]["inline_keyboard"][0][0]["url"]
    for member in (anne, bart):
        core.open_link(member, url)
        wait_for_bot_message_sync(core, member["id"], contains="Welkom")
    core.send_message(chris, group, "/leden")
    overview = wait_for_bot_message_sync(core, group["id"], contains="Leden van de kopgroep")
    assert "Anne (moderator)" in overview["text"] and "Bart" in overview["text"]
    assert "1 groepslid heeft het privégesprek met mij nog niet geopend: Chris" in overview["text"]


def test_polling_mode(fake_server, database_url: str, tmp_path: Path) -> None:
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path)
    try:
        scenario(core)
    finally:
        stop_bot(process)
    assert core.calls_of("getUpdates")
    assert not [c for c in core.calls if not c.ok and c.method != "getUpdates"], "the bot made a call Telegram refused"


def test_webhook_mode_checks_the_secret(fake_server, database_url: str, tmp_path: Path) -> None:
    core, base_url = fake_server
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram"
    process = start_bot(
        core, base_url, database_url, tmp_path,
        WEBHOOK_URL=hook, WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    try:
        wait_for_sync(core, lambda c: c.webhook is not None, timeout=20, what="the webhook to be set")
        (set_webhook,) = core.calls_of("setWebhook")
        assert set_webhook.params["secret_token"] == SECRET
        # Telegram's own pushes carry the secret; anything else is refused.
        forged = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "/help"}}
        assert httpx.post(hook, json=forged, timeout=5).status_code == 403
        assert httpx.post(hook, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}, timeout=5).status_code == 403
        scenario(core)
        assert not core.calls_of("getUpdates")
    finally:
        stop_bot(process)
    assert not [c for c in core.calls if not c.ok], "the bot made a call Telegram refused"


def test_bad_setting_stops_start_with_one_line(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_"))}
    environment.update(TELEGRAM_BOT_TOKEN="123456789:AAFakeTokenForTestsOnly_abcdefghijk", TIMEZONE="Europe/Gent")
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["kopgroep: TIMEZONE is malformed: 'Europe/Gent' is not a known time zone such as Europe/Brussels"]


def test_db_upgrade_creates_the_default_sqlite_file(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_", "DATA_DIR"))}
    result = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "kopgroep.db").is_file()


def test_a_second_instance_on_one_sqlite_file_is_refused(fake_server, tmp_path: Path) -> None:
    core, base_url = fake_server
    database_url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = start_bot(core, base_url, database_url, tmp_path)
    try:
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_"))}
        environment.update(TELEGRAM_BOT_TOKEN=core.token, TELEGRAM_API_BASE_URL=base_url, DATABASE_URL=database_url)
        second = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert "another kopgroep process already uses" in second.stderr and len(second.stderr.strip().splitlines()) == 1
    finally:
        stop_bot(first)
