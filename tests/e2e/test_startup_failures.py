"""Every start-up failure of the real `kopgroep run` process is one plain line, with exit status 2
for a setting to fix and 1 for a service that cannot be reached, and never shows a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_telegram.core import FakeTelegram
from fake_telegram.server import FakeTelegramServer

from tests.e2e.test_bot_process import free_port

TOKEN = "987654321:AAsecretTokenThatMustNeverShowUp_xyz12"
DB_PASSWORD = "pg-Password-Never-Shown-77"
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def refusing_telegram() -> Iterator[str]:
    """A fake Bot API whose own token is another one: it answers 401 Unauthorized, as Telegram does."""
    server = FakeTelegramServer(FakeTelegram())
    yield server.start_in_thread()
    server.stop_thread()


def run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_", "DATA_DIR", "BALLOT_"))
    }
    environment.update({"TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(tmp_path / "data"), "SCREEN_LISTEN": "off", **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=90
    )


def one_line(result: subprocess.CompletedProcess[str], status: int) -> str:
    """The process's whole output is one line starting with kopgroep:, its status ``status``, no secret in it."""
    output = result.stdout + result.stderr
    assert TOKEN not in output and TOKEN.split(":")[1] not in output, output
    assert DB_PASSWORD not in output, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kopgroep: "), output
    assert result.returncode == status, (result.returncode, output)
    return lines[0]


def test_no_network(tmp_path: Path) -> None:
    line = one_line(run_bot(tmp_path, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}"), 1)
    assert "Telegram" in line and "cannot be reached" in line and "check the network" in line


def test_no_dns(tmp_path: Path) -> None:
    # .invalid never resolves (RFC 6761): the same answer as a machine without DNS.
    line = one_line(run_bot(tmp_path, TELEGRAM_API_BASE_URL="http://api.telegram.invalid"), 1)
    assert "cannot be found" in line and "DNS" in line


def test_a_token_telegram_refuses(tmp_path: Path, refusing_telegram: str) -> None:
    line = one_line(run_bot(tmp_path, TELEGRAM_API_BASE_URL=refusing_telegram), 2)
    assert "Telegram refuses the token in TELEGRAM_BOT_TOKEN" in line and "@BotFather" in line
    assert not (tmp_path / "data" / "kopgroep.db").exists() or (tmp_path / "data" / "kopgroep.db").stat().st_size == 0


def test_postgresql_unreachable(tmp_path: Path) -> None:
    url = f"postgresql://kopgroep:{DB_PASSWORD}@127.0.0.1:{free_port()}/kopgroep"
    line = one_line(run_bot(tmp_path, DATABASE_URL=url), 1)
    assert "PostgreSQL at 127.0.0.1" in line and "refuses the connection" in line and "start PostgreSQL" in line


def test_postgresql_database_missing(tmp_path: Path, postgres_url: str) -> None:
    # postgres_url: the test server is there (the test fails, with REQUIRE_POSTGRES=1, when not).
    server = POSTGRES.rsplit("/", 1)[0].replace(
        "postgresql+psycopg://postgres@", f"postgresql://postgres:{DB_PASSWORD}@"
    )
    line = one_line(run_bot(tmp_path, DATABASE_URL=f"{server}/kopgroep_no_such_database"), 1)
    assert "has no database 'kopgroep_no_such_database'" in line and "createdb kopgroep_no_such_database" in line


def test_data_dir_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")
    line = one_line(run_bot(tmp_path), 2)
    assert f"DATA_DIR {tmp_path / 'data'} is a file, not a folder" in line


def test_data_dir_not_writable(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        folder = Path("/proc")  # root may write anywhere a mode allows; /proc takes no files, even from root
    else:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o500)
    line = one_line(run_bot(tmp_path, DATA_DIR=str(folder)), 2)
    assert f"DATA_DIR {folder} is not writable" in line and "write access" in line
