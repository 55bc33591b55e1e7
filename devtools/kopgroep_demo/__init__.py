"""``kopgroep demo``: the real bot against the fake Telegram on 127.0.0.1, with scripted members.

No token and no internet needed. The bot polls the fake server over HTTP exactly as it would
poll Telegram; a moderator and three members run the whole method (themes, three voting rounds
that converge, consensus, dream images with a reminder, their processing, a SMART goal, the
council's decision and the report). The transcript is printed; the charts and the report's
files are saved in a folder, named at the end.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import tempfile
import time
from pathlib import Path

from fake_telegram.core import FakeTelegram
from fake_telegram.server import FakeTelegramServer
from telegram import Update

from bot.config import load_settings
from kopgroep_demo.script import Group
from kopgroep_demo.transcript import Transcript
from kopgroep_demo.words import FRAME


def run_demo(language: str = "nl", folder: str | None = None) -> int:
    """Run the scripted demo and print the transcript; returns the exit code."""
    logging.basicConfig(level=logging.WARNING)
    target = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="kopgroep-demo-"))
    target.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    transcript = asyncio.run(_demo(language, target))
    print(transcript)
    print()
    print(FRAME[language]["saved"].format(folder=target.resolve()))
    print(FRAME[language]["took"].format(seconds=time.monotonic() - started))
    return 0


async def _demo(language: str, folder: Path) -> str:
    from bot.app import build_application
    from storage.migrate import upgrade

    core = FakeTelegram()
    async with FakeTelegramServer(core) as server:
        with tempfile.TemporaryDirectory(prefix="kopgroep-demo-db-") as data:
            database_url = f"sqlite:///{Path(data) / 'demo.db'}"
            upgrade(database_url)
            settings = load_settings(
                {
                    "TELEGRAM_BOT_TOKEN": core.token,
                    "TELEGRAM_API_BASE_URL": server.base_url,
                    "DATABASE_URL": database_url,
                    "DATA_DIR": data,
                    "LANGUAGE": language,
                    "BALLOT_SECRET": secrets.token_hex(32),
                    "SCREEN_LISTEN": "off",
                    "REMINDER_INTERVAL": "5",
                },
                env_file=None,
            )
            # The fake does not limit the sending rate: without the limiter the demo takes a minute, not ten.
            application = build_application(settings, rate_limiter=False)
            transcript = Transcript(core, language, folder)
            async with application:
                await application.post_init(application)  # type: ignore[misc]
                await application.start()
                assert application.updater is not None
                await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
                try:
                    await Group(core, application, transcript, language).run()
                finally:
                    await application.updater.stop()
                    await application.stop()
            return transcript.text()
