"""`kopgroep healthcheck` (Docker's HEALTHCHECK) against the real running process: its /healthz in
polling mode (beside the screen) and in webhook mode (beside the webhook)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.test_bot_process import SECRET, fake_server, free_port, start_bot, stop_bot  # noqa: F401 (fixture)


def healthcheck(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_", "SCREEN_"))}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "bot", "healthcheck"], env=environment, capture_output=True, text=True, timeout=60)


def test_polling_mode(fake_server, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    port = free_port()
    listen = f"127.0.0.1:{port}"
    assert healthcheck(SCREEN_LISTEN=listen).returncode == 1  # nothing runs yet: unhealthy
    process = start_bot(core, base_url, f"sqlite:///{tmp_path / 'bot.db'}", tmp_path, SCREEN_LISTEN=listen)
    try:
        result = healthcheck(SCREEN_LISTEN=listen)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {"status": "ok", "database": "ok", "worker": "ok"}
    finally:
        stop_bot(process)
    stopped = healthcheck(SCREEN_LISTEN=listen)
    assert stopped.returncode == 1 and "does not answer" in stopped.stderr and len(stopped.stderr.strip().splitlines()) == 1


def test_webhook_mode(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    port = free_port()
    hook = {"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": SECRET, "WEBHOOK_LISTEN": f"0.0.0.0:{port}"}
    process = start_bot(core, base_url, database_url, tmp_path, **hook)
    try:
        for _attempt in range(10):  # the inbox worker's first look comes right after the start
            result = healthcheck(**hook)
            if result.returncode == 0:
                break
            time.sleep(0.5)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {"status": "ok", "database": "ok", "worker": "ok"}
    finally:
        stop_bot(process)


def test_polling_without_a_screen_says_why() -> None:
    result = healthcheck(SCREEN_LISTEN="off")
    assert result.returncode == 1 and "SCREEN_LISTEN" in result.stderr
