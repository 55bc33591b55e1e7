"""Instances on one database share one ballot key: a start with another key is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ballot_key import KeyMismatch, check_shared_key
from bot.cli import main


def test_the_first_key_is_kept_and_another_refused(database_url: str) -> None:
    check_shared_key(database_url, b"a" * 32)
    check_shared_key(database_url, b"a" * 32)  # the same key again: fine
    with pytest.raises(KeyMismatch, match="BALLOT_SECRET differs"):
        check_shared_key(database_url, b"b" * 32)


def test_run_with_another_key_stops_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    database_url = f"sqlite:///{tmp_path / 'kopgroep.db'}"
    # Telegram is checked before the migrations and the key: a fake Bot API that knows the token.
    from fake_telegram.core import FakeTelegram
    from fake_telegram.server import FakeTelegramServer

    core = FakeTelegram()
    server = FakeTelegramServer(core)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", server.start_in_thread())
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", core.token)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SCREEN_LISTEN", "off")  # 8080 may be taken by another run
    assert main(["db", "upgrade"]) == 0
    check_shared_key(database_url, b"first-instance-key-0123456789abcdef")
    monkeypatch.setenv("BALLOT_SECRET", "second-instance-key-0123456789abcdef")
    capsys.readouterr()
    try:
        assert main(["run"]) == 2
    finally:
        server.stop_thread()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kopgroep: BALLOT_SECRET differs"), err
