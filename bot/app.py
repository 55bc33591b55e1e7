"""Application wiring: one ``build_application(settings)`` for the entry point, webhook and tests."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions, Update
from telegram.ext import (
    Application,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.request import BaseRequest

from bot.ballot_key import ballot_key
from bot.config import Settings
from bot.context import BotContext, Services
from bot.errors import on_error
from bot.guards import identify
from bot.menus import set_menus
from bot.outbox import schedule_sender, stop_sender
from bot.rate_limit import TelegramRateLimiter
from bot.render import Texts
from bot.update_order import ChatOrderedUpdateProcessor
from conversations import (
    answers,
    ballot,
    chat_events,
    dialogue,
    dream_images,
    dream_outbox,
    dream_processing,
    dream_reminders,
    dream_steps,
    dreams,
    evaluation,
    followup_rounds,
    glossary,
    goal_decisions,
    goal_followup,
    goals,
    group_choice,
    help,
    joining,
    language,
    leaving,
    members,
    next_step,
    next_trajectory,
    onboarding,
    portability,
    privacy,
    report,
    round_opening,
    screen,
    session,
    theme_edits,
    themes,
    voting,
)
from storage.db import Database

log = logging.getLogger("kopgroep")
# Registered with the outbox at import; no handlers of its own.
OUTBOX_KINDS = (dream_outbox,)

GUARDS = -1


def build_application(
    settings: Settings,
    *,
    db: Database | None = None,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    rate_limiter: bool = True,
) -> Application:
    """Build the bot. Tests pass a recording ``request``; production talks to the Bot API."""
    texts = Texts(settings.language, settings.timezone)
    database = db or Database(settings.database_url)
    builder = (
        Application.builder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .context_types(ContextTypes(context=BotContext))
        # No default parse_mode: PTB would add it to calls that have no such parameter; our
        # send helpers (bot/messaging.py) pass HTML explicitly.
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        # Different chats at once, one chat in order (polling; the webhook inbox has its lanes).
        .concurrent_updates(ChatOrderedUpdateProcessor())
    )
    if rate_limiter:
        # Telegram's limits (30/s overall, 1/s per chat, 20/min per group), with retries after a 429.
        builder = builder.rate_limiter(TelegramRateLimiter(max_retries=3))
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    application = builder.build()
    application.bot_data["services"] = Services(settings=settings, db=database, texts=texts, ballot_key=ballot_key(settings))
    register_handlers(application)
    application.add_error_handler(on_error)
    return application


def register_handlers(application: Application) -> None:
    """Guards first (group -1), then the steps; order inside a group matters."""
    application.add_handler(TypeHandler(Update, identify), group=GUARDS)
    # Before joining's /start <token>: a goal link (goal-<theme>) opens a goal, not a group.
    application.add_handlers(goals.deep_link_handlers())
    for module in (onboarding, joining, help, next_step, members, leaving, language, group_choice, themes, theme_edits, session, screen, round_opening, voting, ballot, glossary, dialogue,
                   dreams, dream_images, dream_processing, dream_steps, dream_reminders, goals, goal_decisions, goal_followup, next_trajectory, report, portability, privacy, evaluation,
                   chat_events):  # last: its button catch-all answers presses no step took
        application.add_handlers(module.handlers())
    # Last: messages no step took go to the step that waits for them (conversations/answers.py).
    application.add_handlers(answers.handlers())


async def _post_init(application: Application) -> None:
    services: Services = application.bot_data["services"]
    await set_menus(application.bot, services.texts, services.settings.language)
    await voting.reschedule_deadlines(application)
    dream_reminders.schedule_reminders(application)
    followup_rounds.schedule_followup(application)
    privacy.schedule_retention(application)
    schedule_sender(application)  # what is queued in the outbox goes on where it stopped
    log.info("bot @%s ready", application.bot.username)


async def _post_shutdown(application: Application) -> None:
    services: Services = application.bot_data["services"]
    await stop_sender(application)
    services.db.dispose()
