"""Goal follow-up, the clock: rounds opened, questions and reminders sent, rounds closed with a digest.

A JobQueue job ticks every ``reminder_interval`` seconds (as the dream reminders do) and runs
:func:`run_followup`: open the rounds that are due (their questions become rows), send the due
questions and reminders, close the rounds that are complete or out of time. Each closed round
gets a short digest in the group, and the moderators hear privately who did not answer. The job
carries no state: a restart, or a second instance on the same database, neither loses nor
doubles a message (storage/followup.py claims every row once).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot.context import Services
from bot.keyboards.followup import ask_keyboard
from bot.messaging import send_html
from conversations.dream_reminders import instance_id
from storage import followup, prompts, reminders
from storage.models import utcnow
from storage.records.followup import AskJob, RoundClosed

log = logging.getLogger("kopgroep.followup")

JOB_NAME = "goal-followup"
PROMPT = "followup"  # payload "<goal>:value" or "<goal>:note": what the owner's next text is


def now() -> datetime:
    """One clock for the follow-up; tests replace it."""
    return utcnow()


async def followup_tick(context: object) -> None:
    """The JobQueue job."""
    await run_followup(context.application)  # type: ignore[attr-defined]


async def run_followup(application: Application, at: datetime | None = None) -> dict[int, str]:
    """Open, send and close what is due at ``at`` (default: now); returns question id -> outcome."""
    services: Services = application.bot_data["services"]
    me = instance_id(application)
    moment = at or now()
    settings = services.settings
    await services.db.run(
        followup.open_due,
        moment,
        me,
        timedelta(seconds=settings.followup_remind_after),
        timedelta(seconds=settings.followup_window),
    )
    outcomes: dict[int, str] = {}
    while True:
        jobs = await services.db.run(followup.claim_due, moment, me, settings.reminder_batch)
        for job in jobs:
            outcomes[job.id] = await deliver(application, job, moment)
        if len(jobs) < settings.reminder_batch:
            break
    for closed in await services.db.run(followup.close_due, moment, me):
        await post_digest(application, closed)
    return outcomes


async def deliver(application: Application, job: AskJob, moment: datetime, *, handed_by: str | None = None) -> str:
    """Check at send time, send the question (or its reminder), record it; returns the outcome."""
    services: Services = application.bot_data["services"]
    me = instance_id(application)
    decision = await services.db.run(followup.prepare, job.id, me, moment)
    if decision.action in ("skip", "drop"):
        return f"{decision.action}:{decision.reason}"
    if decision.action == "unreachable":
        return "unreachable"
    assert decision.goal is not None and decision.telegram_id is not None and decision.trajectory is not None
    lang = services.texts.lang(decision.language)
    text = services.texts.render(
        lang,
        "followup/ask",
        goal=decision.goal,
        kind=job.kind,
        round_kind=decision.round_kind,
        number=decision.round_number,
        handed_by=handed_by,
        trajectory=decision.trajectory,
        timezone=decision.trajectory.timezone,
    )
    try:
        (message,) = await send_html(
            application.bot, decision.telegram_id, text, reply_markup=ask_keyboard(services.texts, lang, job.goal_id)
        )
    except (Forbidden, BadRequest) as error:
        log.info("follow-up question %s refused by Telegram: %s", job.id, error)
        await services.db.run(followup.finish, job.id, me, "failed", moment, "unreachable")
        await services.db.run(reminders.mark_unreachable, job.person_id)
        return "unreachable"
    except TimedOut:
        await services.db.run(followup.finish, job.id, me, "failed", moment, "unknown")  # it may have arrived
        return "failed"
    except (RetryAfter, NetworkError) as error:
        log.warning("follow-up question %s not sent, tried again later: %s", job.id, error)
        await services.db.run(followup.finish, job.id, me, "pending", moment)
        return "retry"
    await services.db.run(followup.finish, job.id, me, "sent", moment)
    # The owner's next text is this goal's value (the newest question wins; a button points back).
    await services.db.run(
        prompts.ask,
        job.trajectory_id,
        decision.telegram_id,
        PROMPT,
        message_id=message.message_id,
        payload=f"{job.goal_id}:value",
    )
    return "sent"


async def post_digest(application: Application, closed: RoundClosed) -> None:
    """The round's short digest in the group; the moderators hear privately who did not answer."""
    services: Services = application.bot_data["services"]
    trajectory = closed.trajectory
    text = services.texts.render(trajectory.language, "followup/digest", closed=closed, timezone=trajectory.timezone)
    try:
        await send_html(application.bot, trajectory.chat_id, text)
    except (Forbidden, BadRequest) as error:
        log.info("follow-up digest for trajectory %s not posted: %s", trajectory.id, error)
    if not closed.missing:
        return
    told = False
    for telegram_id, lang, reachable in await services.db.run(reminders.moderators, trajectory.id):
        if not reachable:
            continue
        text = services.texts.render(lang, "followup/not_answered", closed=closed, names=closed.missing)
        try:
            await send_html(application.bot, telegram_id, text)
            told = True
        except (Forbidden, BadRequest):
            continue
    if not told:
        log.info("no moderator of trajectory %s could be told who did not report", trajectory.id)


def schedule_followup(application: Application) -> None:
    """At start: one repeating job; the first run comes at once (what fell due while down)."""
    services: Services = application.bot_data["services"]
    assert application.job_queue is not None
    instance_id(application)
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(
        followup_tick, interval=services.settings.reminder_interval, first=1, name=JOB_NAME
    )
