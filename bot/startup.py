"""Start-up checks: each failure becomes one plain line that says what is wrong and what to do.

Exit status 2: a setting to fix (a folder that is a file, a token Telegram refuses, a refused
password); 1: a service that cannot be reached now (no network, PostgreSQL down, a database that
is not there yet), so a supervisor that restarts the bot may well succeed later. No line carries
a secret: PostgreSQL is named by host, port and database only, the token never.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from bot.config import Settings

CONFIGURATION = 2
UNREACHABLE = 1


class StartupFailure(RuntimeError):
    """Start-up cannot go on; ``str()`` is the line to print, ``status`` the exit status."""

    def __init__(self, line: str, status: int) -> None:
        super().__init__(line)
        self.status = status


def check_folders(settings: Settings, *, ballot_key_file: bool = True) -> None:
    """The folders the bot writes to exist (or can be made) and take a file."""
    folders: list[tuple[str, Path]] = []
    if ballot_key_file and not settings.ballot_secret:
        folders.append(("DATA_DIR", Path(settings.data_dir)))
    sqlite_file = _sqlite_file(settings.database_url)
    if sqlite_file is not None:
        folder = sqlite_file.parent
        if folder.resolve() != Path(settings.data_dir).resolve():
            folders.append(("The folder of DATABASE_URL's file", folder))
        elif ("DATA_DIR", Path(settings.data_dir)) not in folders:
            folders.append(("DATA_DIR", folder))
    for name, folder in folders:
        _check_writable(name, folder)


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    return None if not database or database == ":memory:" else Path(database)


def _check_writable(name: str, folder: Path) -> None:
    setting = "DATABASE_URL" if name.startswith("The folder") else "DATA_DIR"
    shown = f"{name} ({folder})" if name != "DATA_DIR" else f"DATA_DIR {folder}"
    if folder.exists() and not folder.is_dir():
        raise StartupFailure(
            f"{shown} is a file, not a folder: point {setting} at a folder (it is made if missing)", CONFIGURATION
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise StartupFailure(
            f"{shown} cannot be made ({reason}): point {setting} at a folder the bot may write to", CONFIGURATION
        ) from None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".kopgroep-write-check-"):
            pass
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise StartupFailure(
            f"{shown} is not writable ({reason}): give the bot's user write access to it, or point {setting} at another folder",
            CONFIGURATION,
        ) from None


def describe_database_error(url: str, error: BaseException) -> StartupFailure:
    """One line for a database that cannot be used, naming it without its password."""
    text = str(getattr(error, "orig", None) or error)
    lowered = text.lower()
    if not url.startswith("postgresql"):
        return StartupFailure(
            f"the SQLite database {_sqlite_file(url)} cannot be opened ({text.splitlines()[0]}): check DATABASE_URL and DATA_DIR",
            CONFIGURATION,
        )
    parts = make_url(url)
    where = f"PostgreSQL at {parts.host or 'localhost'}:{parts.port or 5432}"
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return StartupFailure(
            f"{where} refuses the user {parts.username!r} (wrong password): fix the user or password in DATABASE_URL",
            CONFIGURATION,
        )
    if "role" in lowered and "does not exist" in lowered:
        return StartupFailure(
            f"{where} has no user {parts.username!r}: create it, or fix the user in DATABASE_URL", CONFIGURATION
        )
    if "database" in lowered and "does not exist" in lowered:
        return StartupFailure(
            f"{where} has no database {parts.database!r}: create it (createdb {parts.database}), or fix the name in DATABASE_URL",
            UNREACHABLE,
        )
    if (
        "name or service not known" in lowered
        or "translate host name" in lowered
        or "nodename nor servname" in lowered
        or "name resolution" in lowered
    ):
        return StartupFailure(
            f"{where} cannot be found: the name {parts.host!r} does not resolve; check DATABASE_URL and the network",
            UNREACHABLE,
        )
    if "refused" in lowered:
        return StartupFailure(
            f"{where} refuses the connection: start PostgreSQL, or fix the host and port in DATABASE_URL", UNREACHABLE
        )
    if "timeout" in lowered or "timed out" in lowered:
        return StartupFailure(
            f"{where} does not answer (no reply in 10 s): check that it runs and that the network lets the bot through",
            UNREACHABLE,
        )
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return StartupFailure(f"{where} cannot be used ({first}): check DATABASE_URL and that PostgreSQL runs", UNREACHABLE)


def check_database(url: str) -> None:
    """One connection, with a short time-out, before the migrations."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    connect_args = {"connect_timeout": 10} if url.startswith("postgresql") else {}
    engine = create_engine(url, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        raise describe_database_error(url, error) from None
    finally:
        engine.dispose()


def describe_telegram_error(settings: Settings, error: BaseException) -> StartupFailure:
    """One line for a Bot API that cannot be used; never with the token."""
    from telegram.error import InvalidToken, TimedOut

    host = urlsplit(settings.api_base_url).netloc
    if isinstance(error, InvalidToken):
        return StartupFailure(
            "Telegram refuses the token in TELEGRAM_BOT_TOKEN (revoked, or mistyped): copy it again from @BotFather (/mybots, API Token)",
            CONFIGURATION,
        )
    if isinstance(error, TimedOut):
        return StartupFailure(
            f"Telegram ({host}) does not answer: check the network connection, then start the bot again", UNREACHABLE
        )
    lowered = str(error).lower()
    if (
        "name or service not known" in lowered
        or "name resolution" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
    ):
        return StartupFailure(
            f"Telegram ({host}) cannot be found: the name does not resolve (no network or no DNS); check the connection, then start the bot again",
            UNREACHABLE,
        )
    return StartupFailure(
        f"Telegram ({host}) cannot be reached (no connection): check the network connection and TELEGRAM_API_BASE_URL, then start the bot again",
        UNREACHABLE,
    )


def check_telegram(settings: Settings) -> None:
    """``getMe`` with the token, before anything else talks to Telegram."""
    from telegram import Bot
    from telegram.error import TelegramError
    from telegram.request import HTTPXRequest

    async def get_me() -> None:
        request = HTTPXRequest(connect_timeout=10, read_timeout=10)
        bot = Bot(
            settings.bot_token, base_url=settings.bot_api_url, base_file_url=settings.bot_file_url, request=request
        )
        try:
            await bot.initialize()
        finally:
            await request.shutdown()

    try:
        asyncio.run(get_me())
    except TelegramError as error:
        raise describe_telegram_error(settings, error) from None


def check_addresses(settings: Settings) -> None:
    """The address the bot will listen on is free (a setting to change), before Telegram is asked."""
    import socket

    if settings.mode == "webhook":
        name, host, port, hint = "WEBHOOK_LISTEN", settings.listen_host, settings.listen_port, "set another host:port"
    elif settings.screen_host is not None:
        name, host, port, hint = "SCREEN_LISTEN", settings.screen_host, settings.screen_port, "set another host:port, or off"
    else:
        return
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado binds: a port in TIME_WAIT is free
            probe.bind((host, port))
    except OSError as error:
        raise StartupFailure(f"{name} {host}:{port} cannot be used ({error.strerror}): {hint}", CONFIGURATION) from None
