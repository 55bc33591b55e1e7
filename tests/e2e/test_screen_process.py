"""The screen in the real `kopgroep run` process: beside the webhook in webhook mode, and the
start-up lines for an address that cannot be used (polling mode)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync

from tests.e2e.balancer import CaddyBalancer
from tests.e2e.test_bot_process import SECRET, fake_server, free_port, start_bot, stop_bot  # noqa: F401 (fixture)

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"


def test_in_webhook_mode_the_screen_is_served_behind_the_webhooks_front(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    port = free_port()
    front, proxy = f"http://127.0.0.1:{port}", None
    # KOPGROEP_E2E_PROXY=caddy puts deploy/Caddyfile (a local caddy) in front, as in deploy/.
    if os.environ.get("KOPGROEP_E2E_PROXY") == "caddy":
        proxy = CaddyBalancer([front], free_port(), free_port(), tmp_path)
        front = proxy.start()
    hook = f"{front}/telegram"
    process = start_bot(
        core, base_url, database_url, tmp_path, WEBHOOK_URL=hook, WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )
    try:
        wait_for_sync(core, lambda c: c.webhook is not None, timeout=20, what="the webhook to be set")
        group = core.add_group("Kopgroep")
        anne = core.add_user("Anne")
        core.add_member(group, anne, "creator")
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        core.open_link(anne, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
        wait_for_bot_message_sync(core, anne["id"], contains="Welkom")
        core.send_message(anne, group, "/scherm")
        private = wait_for_bot_message_sync(core, anne["id"], contains="/scherm/")
        url = re.search(r"http://\S+/scherm/\S+", private["text"]).group(0)
        # The same front as the webhook: its scheme, host and port; no address of its own.
        assert url.startswith(f"{front}/scherm/")
        assert "De link werkt op de computer waarop de bot draait" not in private["text"]
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and '<h1 id="heading">Even geduld</h1>' in page.text
        assert httpx.get(url + "/stand", timeout=10).json()["status"] == "ok"
        assert httpx.get(f"{front}/scherm/static/screen.js", timeout=10).status_code == 200
        # The webhook keeps refusing what does not carry the secret; the screen's link opens nothing there.
        assert httpx.post(hook, json={"update_id": 1}, timeout=5).status_code == 403
        token = url.rsplit("/", 1)[1]
        assert httpx.post(hook, json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": token}, timeout=5).status_code == 403
        # A page left open does not hold up the stop.
        with httpx.stream("GET", url + "/live", timeout=10) as live:
            assert live.status_code == 200
            next(live.iter_lines())
            log = stop_bot(process)
        assert "stopping" in log
    finally:
        if process.poll() is None:
            stop_bot(process)
        if proxy is not None:
            proxy.stop()


def test_an_address_in_use_or_malformed_stops_the_start_with_one_line(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_", "SCREEN_"))}
    environment.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL="http://127.0.0.1:9")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env={**environment, "SCREEN_LISTEN": f"127.0.0.1:{port}"},
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 2
    # After the migrations' log lines, one line that names the setting; no traceback.
    assert result.stderr.strip().splitlines()[-1] == (
        f"kopgroep: SCREEN_LISTEN 127.0.0.1:{port} cannot be used (Address already in use): set another host:port, or off"
    )
    assert "Traceback" not in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env={**environment, "SCREEN_LISTEN": "laptop"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kopgroep: SCREEN_LISTEN is malformed: 'laptop'; expected host:port such as 127.0.0.1:8080, or off"
    ]
