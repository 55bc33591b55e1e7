"""Settings: defaults, and one clear line naming a bad setting."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"


def settings(**env: str):
    return load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, **env}, env_file=None)


def test_defaults() -> None:
    s = settings()
    assert s.database_url == "sqlite:///data/kopgroep.db"
    assert (s.timezone, s.language, s.mode) == ("Europe/Brussels", "nl", "polling")
    assert s.bot_api_url == "https://api.telegram.org/bot"
    assert s.bot_file_url == "https://api.telegram.org/file/bot"


def test_webhook_mode_and_custom_api() -> None:
    s = settings(
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET="s3cret_-",
        WEBHOOK_LISTEN="0.0.0.0:8080",
        TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/",
        DATABASE_URL="postgres://kop@db/kopgroep",
        LANGUAGE="EN",
    )
    assert s.mode == "webhook"
    assert (s.listen_host, s.listen_port) == ("0.0.0.0", 8080)
    assert s.bot_api_url == "http://127.0.0.1:8081/bot"
    assert s.database_url == "postgresql+psycopg://kop@db/kopgroep"
    assert s.language == "en"


def test_env_file_is_read_and_environment_wins(tmp_path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLANGUAGE=en\nTIMEZONE=Europe/Amsterdam\n")
    s = load_settings({"LANGUAGE": "nl"}, env_file=env_file)
    assert (s.bot_token, s.language, s.timezone) == (TOKEN, "nl", "Europe/Amsterdam")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE is malformed"),
        ({"LANGUAGE": "fr"}, "LANGUAGE is malformed"),
        ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL is malformed"),
        ({"WEBHOOK_URL": "https://x.org/hook"}, "WEBHOOK_SECRET is not set"),
        ({"WEBHOOK_URL": "https://x.org/hook", "WEBHOOK_SECRET": "no spaces"}, "WEBHOOK_SECRET is malformed"),
        ({"WEBHOOK_LISTEN": "8443"}, "WEBHOOK_LISTEN is malformed"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL is malformed"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL is malformed"),
        ({"SCREEN_LISTEN": "8080"}, "SCREEN_LISTEN is malformed"),
        ({"SCREEN_LISTEN": "127.0.0.1:99999"}, "SCREEN_LISTEN is malformed"),
        ({"SCREEN_URL": "kopgroep.regio.be"}, "SCREEN_URL is malformed"),
        ({"SCREEN_URL": "https://kopgroep.regio.be/scherm"}, "SCREEN_URL is malformed"),
    ],
)
def test_bad_setting_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, **env}, env_file=None)
    message = str(error.value)
    assert message.startswith(named)
    assert "\n" not in message


def test_cli_prints_one_line_and_exits_2(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("TIMEZONE", "Nowhere/Land")
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kopgroep: ")
    assert len(err.splitlines()) == 1


def test_where_the_screens_links_point() -> None:
    """Polling: the bot's own address; webhook: the webhook's front; SCREEN_URL wins; off is off."""
    local = settings()
    assert (local.screen_host, local.screen_port, local.screen_enabled) == ("127.0.0.1", 8080, True)
    assert local.screen_base_url == "http://127.0.0.1:8080"
    assert settings(SCREEN_LISTEN="0.0.0.0:8090").screen_base_url == "http://127.0.0.1:8090"
    assert settings(SCREEN_LISTEN="[::1]:8090").screen_base_url == "http://[::1]:8090"
    lan = settings(SCREEN_LISTEN="0.0.0.0:8090", SCREEN_URL="http://laptop-zaal.local:8090/")
    assert lan.screen_base_url == "http://laptop-zaal.local:8090"
    off = settings(SCREEN_LISTEN="off")
    assert (off.screen_host, off.screen_enabled) == (None, False)
    hook = settings(WEBHOOK_URL="https://kopgroep.regio.be/telegram", WEBHOOK_SECRET="s3cret", SCREEN_LISTEN="off")
    assert (hook.screen_enabled, hook.screen_base_url) == (True, "https://kopgroep.regio.be")
