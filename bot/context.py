"""The context every callback gets: services, and who the update comes from.

The guard in handler group -1 (``bot/guards.py``) fills in ``actor`` (group chats) or
``private`` (private chats) and ``lang`` once per update; handlers read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import User
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.membership import MembershipCache
from bot.render import Texts
from storage.db import Database
from storage.records import Actor, PrivateContext, TelegramUser, TrajectoryRecord


class Wakeup:
    """Tells the outbox's sender (bot/outbox.py) that rows were queued; nothing before it runs."""

    def __init__(self) -> None:
        self.listener: Callable[[], None] | None = None

    def bind(self, listener: Callable[[], None]) -> None:
        self.listener = listener

    def set(self) -> None:
        if self.listener is not None:
            self.listener()


@dataclass(frozen=True)
class Services:
    """Long-lived objects shared by all handlers (not domain data: that lives in SQL)."""

    settings: Settings
    db: Database
    texts: Texts
    ballot_key: bytes  # for ballot pseudonyms (method/anonymity.py)
    # Telegram's recent answers on who is in which group (bot/membership.py).
    membership: MembershipCache = field(default_factory=MembershipCache)
    wakeup: Wakeup = field(default_factory=Wakeup)


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):
    """CallbackContext with typed access to our services and the update's actor."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.actor: Actor | None = None
        self.private: PrivateContext | None = None
        self.lang: str = self.services.settings.language

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    @property
    def trajectory(self) -> TrajectoryRecord:
        """The group's trajectory, in handlers behind registered_group or moderator_only."""
        assert self.actor is not None and self.actor.trajectory is not None, "handler not guarded"
        return self.actor.trajectory

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def texts(self) -> Texts:
        return self.services.texts

    def render(self, name: str, /, *, lang: str | None = None, **values: object) -> str:
        """Render a template in the update's language (or ``lang``)."""
        return self.texts.render(lang or self.lang, name, **values)

    def label(self, key: str, /, *, lang: str | None = None, **values: object) -> str:
        return self.texts.label(lang or self.lang, key, **values)


def telegram_user(user: User) -> TelegramUser:
    """The stored parts of a Telegram user."""
    return TelegramUser(
        telegram_id=user.id,
        first_name=user.first_name or "",
        last_name=user.last_name,
        username=user.username,
    )
