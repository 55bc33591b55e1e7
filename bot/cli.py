"""The ``kopgroep`` command: run the bot, upgrade the database, or show a demo."""

from __future__ import annotations

import argparse
import sys

from bot import startup
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from bot.startup import StartupFailure

__all__ = ["main", "configure_logging"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kopgroep", description="Telegram bot for a CSR steering group")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set)")
    db = commands.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"], help="apply the migrations")
    commands.add_parser("healthcheck", help="ask this machine's running bot for /healthz (Docker's HEALTHCHECK)")
    demo = commands.add_parser("demo", help="see the bot work against a local fake Telegram, no token needed")
    demo.add_argument("--language", choices=["nl", "en"], default="nl")
    demo.add_argument("--folder", help="where to save the charts and the report (default: a new temporary folder)")
    args = parser.parse_args(argv)

    try:
        if args.command == "demo":
            return demo_command(args.language, args.folder)
        settings = load_settings(require_token=args.command == "run")
    except ConfigError as error:
        print(f"kopgroep: {error}", file=sys.stderr)
        return 2
    if args.command == "healthcheck":
        from bot.health import probe

        status, line = probe(settings)
        print(line.strip(), file=sys.stdout if status == 0 else sys.stderr)
        return status
    configure_logging(settings.log_level, secrets_of(settings))
    try:
        return start(settings, args.command)
    except StartupFailure as failure:
        print(f"kopgroep: {failure}", file=sys.stderr)
        return failure.status


def start(settings: Settings, command: str) -> int:
    """The checks in the order a newcomer would fix them, then the bot; any failure is one line."""
    from sqlalchemy.exc import DBAPIError
    from telegram.error import InvalidToken, NetworkError

    from bot.ballot_key import KeyMismatch, ballot_key, check_shared_key
    from bot.instance_lock import AlreadyRunning, lock_sqlite
    from storage.migrate import upgrade

    startup.check_folders(settings, ballot_key_file=command == "run")
    try:
        lock = lock_sqlite(settings.database_url) if command == "run" else None
    except AlreadyRunning as error:
        raise StartupFailure(str(error), startup.CONFIGURATION) from None
    startup.check_database(settings.database_url)
    if command == "run":
        startup.check_addresses(settings)
        startup.check_telegram(settings)  # before the migrations, so a refused token changes nothing
    try:
        upgrade(settings.database_url)
        if command == "db":
            print("database is up to date")
            return 0
        check_shared_key(settings.database_url, ballot_key(settings))
    except KeyMismatch as error:
        raise StartupFailure(str(error), startup.CONFIGURATION) from None
    except DBAPIError as error:
        raise startup.describe_database_error(settings.database_url, error) from None
    try:
        run(settings)
    except (InvalidToken, NetworkError) as error:  # Telegram went away between the check and the start
        raise startup.describe_telegram_error(settings, error) from None
    del lock  # held until the bot stops
    return 0


def secrets_of(settings: Settings) -> list[str]:
    """What no log line may carry: the token, the webhook and ballot secrets, the database password."""
    from sqlalchemy.engine import make_url

    password = make_url(settings.database_url).password
    return [s for s in (settings.bot_token, settings.webhook_secret, settings.ballot_secret, password) if s]


DEMO_MISSING = (
    "kopgroep: the demo runs against a fake Telegram from the development tools, which are not installed; "
    "in a clone of the repository: .venv/bin/pip install -e ./devtools"
)


def demo_command(language: str, folder: str | None = None) -> int:
    """The scripted demo, from the development tools (the fake Telegram does not ship with the bot)."""
    try:
        from kopgroep_demo import run_demo
    except ModuleNotFoundError as error:
        if error.name not in ("kopgroep_demo", "fake_telegram"):
            raise
        print(DEMO_MISSING, file=sys.stderr)
        return 2
    return run_demo(language=language, folder=folder)


def run(settings: Settings) -> None:
    """Run until stopped: polling by default, webhook when configured."""
    from telegram import Update

    from bot.app import build_application

    application = build_application(settings)
    if settings.mode == "webhook":
        # Updates go through the database inbox, so several instances can share the work.
        from bot.webhook import run_webhook

        run_webhook(settings, application)
    else:
        from conversations.screen_web import serve_with_polling

        try:
            serve_with_polling(application)  # the meeting room's screen, on SCREEN_LISTEN
        except OSError as error:
            where = f"{settings.screen_host}:{settings.screen_port}"
            print(
                f"kopgroep: SCREEN_LISTEN {where} cannot be used ({error.strerror}): set another host:port, or off",
                file=sys.stderr,
            )
            raise SystemExit(2) from None
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    raise SystemExit(main())
