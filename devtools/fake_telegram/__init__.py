"""A fake Telegram Bot API for tests and demos that refuses what Telegram refuses.

* :class:`FakeTelegram` - the in-memory state machine (users, chats, updates, Bot API).
* :class:`FakeTelegramServer` - serves it over HTTP (tornado), also from a thread.
* :class:`FakeTelegramRequest` - a PTB request class talking to it in-process.
* :func:`wait_for` / :func:`wait_for_sync` - poll the fake until a condition holds.
"""

from .core import DEFAULT_TOKEN, FakeTelegram
from .errors import ApiError, FakeTimeout
from .request import FakeTelegramRequest
from .server import FakeTelegramServer
from .spec import Spec, UploadedFile
from .waiting import (
    bot_message,
    wait_for,
    wait_for_bot_message,
    wait_for_bot_message_sync,
    wait_for_sync,
)
from .webhook import WebhookPusher

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "FakeTelegram",
    "FakeTelegramRequest",
    "FakeTelegramServer",
    "FakeTimeout",
    "Spec",
    "UploadedFile",
    "WebhookPusher",
    "bot_message",
    "wait_for",
    "wait_for_bot_message",
    "wait_for_bot_message_sync",
    "wait_for_sync",
]
