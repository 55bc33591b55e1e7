"""Settings from environment variables (and an optional ``.env`` file).

Every setting is read and checked once at start-up; a missing or malformed value raises
:class:`ConfigError` with one line that names the variable, which the entry point prints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

LANGUAGES = ("nl", "en")
DEFAULT_API_BASE_URL = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
# Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and - in a webhook secret token.
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to start, already validated."""

    bot_token: str
    database_url: str
    timezone: str = "Europe/Brussels"
    language: str = "nl"
    api_base_url: str = DEFAULT_API_BASE_URL
    webhook_url: str | None = None
    listen_host: str = "127.0.0.1"
    listen_port: int = 8443
    webhook_secret: str | None = None
    log_level: str = "INFO"
    data_dir: Path = field(default_factory=lambda: Path("data"))
    # Key for ballot pseudonyms; when unset, a random key kept in the data folder (method/anonymity.py).
    ballot_secret: str | None = None
    # Seconds between two looks at the reminder table (storage/reminders.py), and how many
    # reminders one look takes at most.
    reminder_interval: float = 30.0
    reminder_batch: int = 50
    # Goal follow-up (storage/followup.py): seconds after a question at which an owner who did not
    # answer gets the one reminder, and after which the round closes with its digest.
    followup_remind_after: float = 7 * 86400.0
    followup_window: float = 14 * 86400.0
    # Months after a trajectory closed at which its personal data is purged (storage/privacy.py).
    retention_months: int = 24
    # The meeting room's screen (conversations/screen_web.py). In polling mode the bot serves it
    # on this address (None: not at all); in webhook mode beside the webhook, on WEBHOOK_LISTEN.
    screen_host: str | None = "127.0.0.1"
    screen_port: int = 8080
    # Public root of the screen's links when set (SCREEN_URL); see ``screen_base_url``.
    screen_url: str | None = None
    # The municipality's Word file whose house style the report takes (REPORT_TEMPLATE).
    report_template: Path | None = None

    @property
    def mode(self) -> str:
        """``webhook`` when a webhook URL is configured, otherwise ``polling``."""
        return "webhook" if self.webhook_url else "polling"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def bot_api_url(self) -> str:
        """Base URL in the form PTB expects (the token is appended to it)."""
        return f"{self.api_base_url}/bot"

    @property
    def bot_file_url(self) -> str:
        return f"{self.api_base_url}/file/bot"

    @property
    def screen_enabled(self) -> bool:
        return self.mode == "webhook" or self.screen_host is not None

    @property
    def screen_base_url(self) -> str:
        """Where the screen's links point: SCREEN_URL; else, with a webhook, the same front as
        the webhook (its scheme and host); else the local address the bot listens on."""
        if self.screen_url:
            return self.screen_url
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            return f"{parts.scheme}://{parts.netloc}"
        host = self.screen_host or "127.0.0.1"
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"  # every address: this machine's own works on this machine
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.screen_port}"


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    env_file: str | os.PathLike[str] | None = ".env",
    require_token: bool = True,
) -> Settings:
    """Read settings from ``environ`` (default ``os.environ``) over an optional ``.env`` file."""
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = values.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    token = get("TELEGRAM_BOT_TOKEN")
    if token is None:
        if require_token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and set it "
                "(or run `kopgroep demo` to see the bot without one)"
            )
        token = "0000:not-set"
    elif not _TOKEN_RE.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<secret> as BotFather gives it")

    data_dir = Path(get("DATA_DIR") or "data")
    database_url = get("DATABASE_URL") or f"sqlite:///{(data_dir / 'kopgroep.db').as_posix()}"
    database_url = _normalise_database_url(database_url)

    timezone = get("TIMEZONE") or "Europe/Brussels"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"TIMEZONE is malformed: {timezone!r} is not a known time zone such as Europe/Brussels") from None

    language = (get("LANGUAGE") or "nl").lower()
    if language not in LANGUAGES:
        raise ConfigError(f"LANGUAGE is malformed: {language!r}; use one of {', '.join(LANGUAGES)}")

    api_base_url = (get("TELEGRAM_API_BASE_URL") or DEFAULT_API_BASE_URL).rstrip("/")
    _check_http_url("TELEGRAM_API_BASE_URL", api_base_url)
    if api_base_url.endswith("/bot"):
        # Accept the PTB-style value as well as the bare server root.
        api_base_url = api_base_url[: -len("/bot")]

    webhook_url = get("WEBHOOK_URL")
    webhook_secret = get("WEBHOOK_SECRET")
    if webhook_url is not None:
        _check_http_url("WEBHOOK_URL", webhook_url)
        if webhook_secret is None:
            raise ConfigError("WEBHOOK_SECRET is not set: webhook mode needs a secret token (1-256 of A-Z a-z 0-9 _ -)")
    if webhook_secret is not None and not _SECRET_RE.match(webhook_secret):
        raise ConfigError("WEBHOOK_SECRET is malformed: use 1-256 characters from A-Z a-z 0-9 _ -")

    listen = get("WEBHOOK_LISTEN") or "127.0.0.1:8443"
    host, _, port_text = listen.rpartition(":")
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"WEBHOOK_LISTEN is malformed: {listen!r}; expected host:port such as 0.0.0.0:8443")

    ballot_secret = get("BALLOT_SECRET")
    if ballot_secret is not None and len(ballot_secret) < 32:
        raise ConfigError("BALLOT_SECRET is malformed: use at least 32 random characters (e.g. `openssl rand -hex 32`)")

    interval_text = get("REMINDER_INTERVAL") or "30"
    try:
        reminder_interval = float(interval_text)
    except ValueError:
        reminder_interval = -1.0
    if not 1 <= reminder_interval <= 3600:
        raise ConfigError(f"REMINDER_INTERVAL is malformed: {interval_text!r}; use seconds from 1 to 3600")
    batch_text = get("REMINDER_BATCH") or "50"
    if not batch_text.isdigit() or not 1 <= int(batch_text) <= 1000:
        raise ConfigError(f"REMINDER_BATCH is malformed: {batch_text!r}; use a number from 1 to 1000")

    followup: list[float] = []
    for name, default in (("FOLLOWUP_REMIND_AFTER", "604800"), ("FOLLOWUP_WINDOW", "1209600")):
        text = get(name) or default
        try:
            followup.append(float(text))
        except ValueError:
            followup.append(-1.0)
        if not 1 <= followup[-1] <= 90 * 86400:
            raise ConfigError(f"{name} is malformed: {text!r}; use seconds from 1 to 7776000 (90 days)")
    if followup[1] <= followup[0]:
        raise ConfigError("FOLLOWUP_WINDOW must be longer than FOLLOWUP_REMIND_AFTER: the reminder comes before the round closes")

    retention_text = get("RETENTION_MONTHS") or "24"
    if not retention_text.isdigit() or not 1 <= int(retention_text) <= 1200:
        raise ConfigError(f"RETENTION_MONTHS is malformed: {retention_text!r}; use a number of months from 1 to 1200")

    screen_listen = get("SCREEN_LISTEN") or "127.0.0.1:8080"
    screen_host: str | None = None
    screen_port = 8080
    if screen_listen.lower() not in ("off", "uit", "no", "none"):
        screen_host, _, screen_port_text = screen_listen.rpartition(":")
        screen_host = screen_host.strip("[]")
        if not screen_host or not screen_port_text.isdigit() or not 0 < int(screen_port_text) < 65536:
            raise ConfigError(
                f"SCREEN_LISTEN is malformed: {screen_listen!r}; expected host:port such as 127.0.0.1:8080, or off"
            )
        screen_port = int(screen_port_text)
    screen_url = get("SCREEN_URL")
    if screen_url is not None:
        screen_url = screen_url.rstrip("/")
        _check_http_url("SCREEN_URL", screen_url)
        if urlsplit(screen_url).path or urlsplit(screen_url).query:
            raise ConfigError(f"SCREEN_URL is malformed: {screen_url!r}; give the root only, such as https://kopgroep.regio.be")

    report_template = _report_template(get("REPORT_TEMPLATE"))

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"LOG_LEVEL is malformed: {log_level!r}; use DEBUG, INFO, WARNING or ERROR")

    return Settings(
        bot_token=token,
        database_url=database_url,
        timezone=timezone,
        language=language,
        api_base_url=api_base_url,
        webhook_url=webhook_url,
        listen_host=host,
        listen_port=int(port_text),
        webhook_secret=webhook_secret,
        log_level=log_level,
        data_dir=data_dir,
        ballot_secret=ballot_secret,
        reminder_interval=reminder_interval,
        reminder_batch=int(batch_text),
        retention_months=int(retention_text),
        followup_remind_after=followup[0],
        followup_window=followup[1],
        screen_host=screen_host,
        screen_port=screen_port,
        screen_url=screen_url,
        report_template=report_template,
    )


def _report_template(value: str | None) -> Path | None:
    """The house-style file: there, readable, and a Word document or template the report can use."""
    if value is None:
        return None
    from bot.documents.report.house_style import TemplateError, check_template

    path = Path(value)
    try:
        check_template(path.read_bytes())
    except OSError as error:
        raise ConfigError(f"REPORT_TEMPLATE cannot be read: {value!r} ({(error.strerror or 'error').lower()}); give the path of a .docx or .dotx") from None
    except TemplateError as error:
        raise ConfigError(f"REPORT_TEMPLATE is malformed: {value!r} is {error}") from None
    return path


def _check_http_url(name: str, value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} is malformed: {value!r} is not an http(s) URL")


def _normalise_database_url(url: str) -> str:
    """Map plain ``postgres://`` URLs to the driver we use (psycopg 3, see storage/db.py)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not (url.startswith("sqlite") or url.startswith("postgresql+psycopg")):
        raise ConfigError("DATABASE_URL is malformed: use sqlite:///path/to/file.db or postgresql://user@host/db")
    return url
