"""A member's rights over their data, and the retention job (storage/privacy.py does the work).

/mijngegevens (private): a JSON file with everything the bot holds about the sender, and a short
summary. /vergeetmij (private): after a confirm button, their personal data goes and their
contributions are unlinked; the group's figures stay. The retention job purges the personal data
of trajectories closed longer ago than RETENTION_MONTHS: daily, and once shortly after start.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import datetime

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext, Services
from bot.guards import private_only
from bot.keyboards.privacy import FORGET_PATTERN, forget_keyboard
from bot.messaging import edit_html, send_html
from bot.outage import watched
from storage import privacy
from storage.models import utcnow

log = logging.getLogger(__name__)

JOB_NAME = "retention"
RETENTION_INTERVAL = 24 * 60 * 60  # seconds: once a day
# The job's clock; tests replace it to move time.
clock: Callable[[], datetime] = utcnow


@private_only
async def my_data_command(update: Update, context: BotContext) -> None:
    """/mijngegevens: the file with everything about the sender, and what it holds in short."""
    user = update.effective_user
    assert user is not None
    data = await context.db.run(privacy.my_data, user.id, context.services.ballot_key)
    if data is None:
        await send_html(context.bot, user.id, context.render("data/my_data_none"))
        return
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(
        user.id,
        InputFile(content, filename=context.label("data.my_data_file")),
        caption=context.label("data.my_data_caption"),
    )
    await send_html(
        context.bot, user.id, context.render("data/my_data", person=data["person"], counts=privacy.summary(data))
    )


@private_only
async def forget_command(update: Update, context: BotContext) -> None:
    """/vergeetmij: say what goes and what stays, and ask to confirm (unless they must wait)."""
    user = update.effective_user
    assert user is not None and context.private is not None
    check = await context.db.run(privacy.forget_check, user.id)
    if check.status != "ok":
        await send_html(
            context.bot, user.id, context.render("data/forget_refused", status=check.status, groups=check.groups)
        )
        return
    await send_html(
        context.bot,
        user.id,
        context.render("data/forget_confirm"),
        reply_markup=forget_keyboard(context.texts, context.lang, context.private.person.id),
    )


async def forget_pressed(update: Update, context: BotContext) -> None:
    """forget:<person>:yes|no, only by that person in their own private chat."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = re.match(FORGET_PATTERN, query.data)
    assert match is not None
    person_id, answer = int(match.group(1)), match.group(2)
    own_chat = query.message is not None and query.message.chat.id == query.from_user.id
    if context.private is None or not own_chat or context.private.person.id != person_id:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await query.answer()
    if answer == "no":
        await edit_html(query, context.render("data/forget_kept"))
        return
    check = await context.db.run(privacy.forget, query.from_user.id, context.services.ballot_key, utcnow())
    if check.status != "ok":
        await edit_html(query, context.render("data/forget_refused", status=check.status, groups=check.groups))
        return
    log.info("person %s forgotten at their request", person_id)
    await edit_html(query, context.render("data/forgotten"))


@watched
async def retention_tick(context: BotContext) -> None:
    """Purge the personal data of trajectories closed too long ago (each once, across instances)."""
    services: Services = context.application.bot_data["services"]
    months = services.settings.retention_months
    purged = await services.db.run(privacy.purge_expired, clock(), months, services.ballot_key)
    if purged:
        log.info("retention: personal data of %d closed trajectories purged (%s)", len(purged), purged)


def schedule_retention(application: Application) -> None:
    """At start: a daily job; the first run comes shortly after start."""
    assert application.job_queue is not None
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(retention_tick, interval=RETENTION_INTERVAL, first=5, name=JOB_NAME)


def handlers() -> list:
    return [
        CommandHandler("mijngegevens", my_data_command),
        CommandHandler("vergeetmij", forget_command),
        CallbackQueryHandler(forget_pressed, pattern=FORGET_PATTERN),
    ]
