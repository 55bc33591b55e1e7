"""In-process harness: the real application from build_application, talking to FakeTelegram
through a recording request object (no network). Updates come from scripted users."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fake_telegram.core import FakeTelegram
from telegram import Update
from telegram.ext import Application

from bot.config import Settings, load_settings
from storage.db import Database


def make_settings(core: FakeTelegram, database_url: str, **env: str) -> Settings:
    env = {"BALLOT_SECRET": "test-ballot-secret-0123456789abcdef0123456789", **env}
    return load_settings({"TELEGRAM_BOT_TOKEN": core.token, "DATABASE_URL": database_url, **env}, env_file=None)


@dataclass
class Harness:
    core: FakeTelegram
    app: Application
    db: Database
    errors: list[BaseException] = field(default_factory=list)
    offset: int | None = None

    async def start(self) -> None:
        async def record(update: object, context: Any) -> None:
            self.errors.append(context.error)

        # Tests see every handler failure (the production handler still runs first).
        self.app.add_error_handler(record)
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        await self.drain()  # what an earlier run left in the outbox, as the running bot's sender would

    async def stop(self) -> None:
        await self.app.shutdown()

    async def run(self) -> int:
        """Deliver every queued update, in order, as polling would; returns how many."""
        handled = 0
        while True:
            updates = self.core.take_updates(offset=self.offset, allowed_updates=list(Update.ALL_TYPES))
            if not updates:
                return handled
            for data in updates:
                self.offset = data["update_id"] + 1
                await self.app.process_update(Update.de_json(data, self.app.bot))
                handled += 1
            await self.drain()

    async def drain(self, *, patience: float = 5.0) -> None:
        """Send what the updates queued in the outbox, as the running bot's sender would."""
        from sqlalchemy.exc import OperationalError

        from bot.outbox import sender_of

        try:
            await sender_of(self.app).drain(patience=patience)
        except OperationalError:
            pass  # the database is away (tests/reliability/test_database_away.py): the outbox waits, as the running sender would

    # Scripted members -------------------------------------------------------------
    async def say(self, user: dict, chat: Any, text: str, *, reply_to: int | None = None) -> None:
        self.core.send_message(user, chat, text, reply_to_message_id=reply_to)
        await self.run()

    async def press(self, user: dict, message: dict, data: str | None = None, *, text: str | None = None) -> None:
        self.core.press_button(user, message, data, text=text)
        await self.run()

    async def forge_press(self, user: dict, message: dict, data: str) -> str:
        """A callback query with data of the sender's choosing (a modified client, a replay).

        Delivered straight to the application; returns the query id to look up its answer."""
        query_id = f"forged-{len(self.core.callback_queries) + 1}"
        self.core.callback_queries[query_id] = {
            "answered": False, "chat_id": message["chat"]["id"], "user_id": user["id"], "answer": None,
        }
        update = {
            "update_id": 1,
            "callback_query": {
                "id": query_id, "from": user, "message": message, "chat_instance": "1", "data": data,
            },
        }
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return query_id

    async def add_bot(self, group: dict, by: dict) -> None:
        self.core.add_bot_to_group(group, by)
        await self.run()

    async def follow_join_button(self, user: dict, message: dict) -> None:
        """Press the URL button "Doe mee" of ``message``: Telegram opens the deep link."""
        url = next(
            button["url"]
            for row in message["reply_markup"]["inline_keyboard"]
            for button in row
            if "url" in button
        )
        self.core.open_link(user, url)
        await self.run()

    # Reading what the bot said ----------------------------------------------------------
    def bot_texts(self, chat: Any) -> list[str]:
        chat_id = chat["id"] if isinstance(chat, dict) else chat
        # Stored as Telegram returns it: plain text, the HTML already turned into entities.
        return [m.get("text", "") for m in self.core.sent_messages(chat_id)]

    def last_text(self, chat: Any) -> str:
        texts = self.bot_texts(chat)
        assert texts, "the bot sent nothing in that chat"
        return texts[-1]

    def last_from_bot(self, chat: Any) -> dict:
        chat_id = chat["id"] if isinstance(chat, dict) else chat
        messages = self.core.sent_messages(chat_id)
        assert messages, "the bot sent nothing in that chat"
        return messages[-1]
