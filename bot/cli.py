"""The ``kopgroep`` command: run the bot, upgrade the database, or show a demo."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.config import ConfigError, Settings, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kopgroep", description="Telegram bot for a CSR steering group")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set)")
    db = commands.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"], help="apply the migrations")
    demo = commands.add_parser("demo", help="see the bot work against a local fake Telegram, no token needed")
    demo.add_argument("--language", choices=["nl", "en"], default="nl")
    args = parser.parse_args(argv)

    try:
        if args.command == "demo":
            return demo_command(args.language)
        settings = load_settings(require_token=args.command == "run")
    except ConfigError as error:
        print(f"kopgroep: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level)

    from bot.instance_lock import AlreadyRunning, lock_sqlite
    from storage.migrate import upgrade

    try:
        lock = lock_sqlite(settings.database_url) if args.command == "run" else None
    except AlreadyRunning as error:
        print(f"kopgroep: {error}", file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    if args.command == "db":
        print("database is up to date")
        return 0
    from bot.ballot_key import KeyMismatch, ballot_key, check_shared_key

    try:
        check_shared_key(settings.database_url, ballot_key(settings))
    except KeyMismatch as error:
        print(f"kopgroep: {error}", file=sys.stderr)
        return 2
    run(settings)
    del lock  # held until the bot stops
    return 0


DEMO_MISSING = (
    "kopgroep: the demo runs against a fake Telegram from the development tools, which are not installed; "
    "in a clone of the repository: .venv/bin/pip install -e ./devtools"
)


def demo_command(language: str) -> int:
    """The scripted demo, from the development tools (the fake Telegram does not ship with the bot)."""
    try:
        from kopgroep_demo import run_demo
    except ModuleNotFoundError as error:
        if error.name not in ("kopgroep_demo", "fake_telegram"):
            raise
        print(DEMO_MISSING, file=sys.stderr)
        return 2
    return run_demo(language=language)


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
            print(f"kopgroep: SCREEN_LISTEN {where} cannot be used ({error.strerror}): set another host:port, or off", file=sys.stderr)
            raise SystemExit(2) from None
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    raise SystemExit(main())


def configure_logging(level: str | int) -> None:
    """Log lines with ids, never message texts; quiet the libraries that would say too much."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Do not log request URLs: they carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # The reminder job runs every few seconds: its "Running job" lines would drown the rest.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
