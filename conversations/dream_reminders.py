"""Step 5, the clock: the next session, and reminders to members who are not done.

/volgendesessie <moment> records the next session (Dutch or English, in the group's time zone) and
posts it with a calendar invitation; /herinneringen <hours...> changes the moments (default 72
and 24 hours before); /herinner sends one now. Reminders are rows in the database
(storage/reminders.py); a JobQueue job ticks every ``REMINDER_INTERVAL`` seconds, claims the due
rows and sends them. The job carries no state, so a restart (or a second instance on the same
PostgreSQL database) neither loses nor doubles a reminder.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy.orm import Session
from telegram import InputFile, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext, Services
from bot.delivery import report_undelivered
from bot.guards import moderator_only
from bot.keyboards.dreams import HOURS_PATTERN, hours_keyboard, reminder_keyboard
from bot.messaging import edit_html, send_html
from bot.outage import watched
from bot.render import LOCALES
from method.dates import parse_moment
from method.dreams.commands import PRESETS, parse_hours
from storage import dreams, reminders, undelivered
from storage.models import utcnow
from storage.records import NextSession, ReminderJob, TrajectoryRecord

log = logging.getLogger("kopgroep.reminders")

JOB_NAME = "dream-reminders"
SESSION_MINUTES = 120  # the calendar invitation's length


def now() -> datetime:
    """One clock for this module; tests replace it (and pass ``now`` to :func:`run_reminders`)."""
    return utcnow()


def instance_id(application: Application) -> str:
    """Who claims reminders: host, process and a random part, fixed for the process's life."""
    if "instance_id" not in application.bot_data:
        application.bot_data["instance_id"] = f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(4)}"
    return str(application.bot_data["instance_id"])


# --- /volgendesessie ------------------------------------------------------------------------------------


@moderator_only
async def next_session_command(update: Update, context: BotContext) -> None:
    """/volgendesessie <moment>: record (or move) the next session; the group gets an invitation."""
    trajectory = context.trajectory
    text = " ".join(context.args or [])
    tz = ZoneInfo(trajectory.timezone)
    moment = parse_moment(text, now=now(), tz=tz)
    if not moment.ok or moment.value is None:
        problem, day = moment.problem, None
        if problem == "empty":
            planned = await context.db.run(reminders.next_session, trajectory.id, now())
            await send_html(
                context.bot,
                trajectory.chat_id,
                context.render(
                    "dreams/date_problem",
                    problem="empty",
                    moment=moment,
                    planned=planned,
                    day=None,
                    example="",
                    timezone=trajectory.timezone,
                ),
            )
            return
        if problem == "unclear":
            without_time = parse_moment(text, now=now(), tz=tz, need_time=False)
            if without_time.ok and without_time.value is not None:
                problem, day = "no_time", without_time.value
        text_problem = context.render(
            "dreams/date_problem",
            problem=problem,
            moment=moment,
            planned=None,
            day=day,
            example=text[:40],
            timezone=trajectory.timezone,
        )
        await send_html(context.bot, trajectory.chat_id, text_problem)
        return
    session, before = await context.db.run(reminders.plan_session, trajectory.id, moment.value, now(), moment.end)
    await announce_session(context, trajectory, session, before, assumed=moment.day_part)


async def announce_session(
    context: BotContext,
    trajectory: TrajectoryRecord,
    session: NextSession,
    before: datetime | None,
    *,
    assumed: str | None = None,
) -> None:
    lang = trajectory.language
    collection = await context.db.run(dreams.collection, trajectory.id)
    collecting = collection is not None and collection.published_at is None
    moments = await context.db.run(reminders.pending_moments, trajectory.id, now())
    weekday = format_datetime(session.starts_at.astimezone(ZoneInfo(trajectory.timezone)), "EEEE", locale=LOCALES[lang])
    text = context.texts.render(
        lang,
        "dreams/next_session",
        session=session,
        before=before,
        collecting=collecting,
        moments=moments,
        weekday=weekday,
        assumed=assumed,
        timezone=trajectory.timezone,
    )
    await send_html(context.bot, trajectory.chat_id, text)
    data = await asyncio.to_thread(calendar_invitation, context.services, trajectory, session, context.bot.username)
    await context.bot.send_document(
        trajectory.chat_id, InputFile(data, filename=context.texts.label(lang, "dreams.calendar_file"))
    )


def session_minutes(session: NextSession) -> int:
    """The session's length for the invitation: as given ("19u30-21u"), else the usual two hours."""
    if session.ends_at is None:
        return SESSION_MINUTES
    return max(1, min(24 * 60, int((session.ends_at - session.starts_at).total_seconds() // 60)))


def calendar_invitation(
    services: Services, trajectory: TrajectoryRecord, session: NextSession, bot_username: str
) -> bytes:
    """The .ics for the next session (bot/documents/calendar.py): the same UID each time, a higher
    sequence when it moves, so calendars update the appointment instead of adding one."""
    from bot.documents.calendar import session_invite

    lang = trajectory.language
    title = services.texts.label(lang, "dreams.calendar_title")
    if trajectory.organisation:
        title = f"{title} ({trajectory.organisation})"
    return session_invite(
        uid=f"kopgroep-session-{session.id}-{abs(trajectory.chat_id)}@{bot_username or 'kopgroep'}.t.me",
        starts_at=session.starts_at,
        duration_minutes=session_minutes(session),
        title=title,
        description=services.texts.label(lang, "dreams.calendar_description"),
        location=None,
        organiser_name=trajectory.organisation or trajectory.title,
        sequence=session.ics_sequence,
    )


# --- /herinneringen and /herinner -----------------------------------------------------------------------


@moderator_only
async def hours_command(update: Update, context: BotContext) -> None:
    """/herinneringen [hours...]: show or change when reminders go out."""
    trajectory = context.trajectory
    collection = await context.db.run(dreams.collection, trajectory.id)
    if collection is None:
        await send_html(context.bot, trajectory.chat_id, context.render("dreams/problem", code="not_started"))
        return
    hours = collection.reminder_hours
    if context.args:
        parsed = parse_hours(list(context.args))
        if parsed is None:
            await send_html(context.bot, trajectory.chat_id, context.render("dreams/problem", code="bad_hours"))
            return
        await context.db.run(reminders.set_hours, trajectory.id, parsed, now())
        hours = parsed
    await send_html(context.bot, trajectory.chat_id, **await _hours_message(context, trajectory, hours))


async def _hours_message(context: BotContext, trajectory: TrajectoryRecord, hours: tuple[int, ...]) -> dict:
    """The reminder moments as they stand, with the presets as buttons (text and reply_markup)."""
    session = await context.db.run(reminders.next_session, trajectory.id, now())
    moments = await context.db.run(reminders.pending_moments, trajectory.id, now())
    text = context.texts.render(
        trajectory.language,
        "dreams/reminder_hours",
        hours=hours,
        moments=moments,
        session=session,
        timezone=trajectory.timezone,
    )
    return {"text": text, "reply_markup": hours_keyboard(context.texts, trajectory.language, trajectory.id, hours)}


@moderator_only
async def hours_pressed(update: Update, context: BotContext) -> None:
    """drh:<group>:<preset>: reminder moments from a button, as /herinneringen would set them."""
    query = update.callback_query
    assert query is not None
    trajectory = context.trajectory
    if int(context.matches[0].group(1)) != trajectory.id:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    await query.answer()
    collection = await context.db.run(dreams.collection, trajectory.id)
    if collection is None:
        await send_html(context.bot, trajectory.chat_id, context.render("dreams/problem", code="not_started"))
        return
    hours = PRESETS[context.matches[0].group(2)]
    await context.db.run(reminders.set_hours, trajectory.id, hours, now())
    await edit_html(query, **await _hours_message(context, trajectory, hours))


@moderator_only
async def remind_now_command(update: Update, context: BotContext) -> None:
    """/herinner: a reminder now to every member who is not done (none twice within minutes)."""
    trajectory = context.trajectory
    collection = await context.db.run(dreams.collection, trajectory.id)
    if collection is None or collection.published_at is not None:
        code = "not_started" if collection is None else "published"
        await send_html(context.bot, trajectory.chat_id, context.render("dreams/problem", code=code))
        return
    moment = now()
    jobs = await context.db.run(reminders.create_manual, trajectory.id, moment, instance_id(context.application))
    outcomes = await deliver_all(context.application, jobs, moment)
    values = list(outcomes.values())
    failed = [name for outcome, name in values if outcome == "unreachable"]
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render(
            "dreams/reminded",
            sent=sum(1 for outcome, _ in values if outcome == "sent"),
            done=sum(1 for outcome, _ in values if outcome == "dropped:done"),
            recent=sum(1 for outcome, _ in values if outcome == "dropped:recent"),
            failed=failed,
        ),
    )


# --- the tick ---------------------------------------------------------------------------------------------


@watched
async def reminder_tick(context: BotContext) -> None:
    """The JobQueue job: claim the due reminders and send them."""
    await run_reminders(context.application)


async def run_reminders(application: Application, at: datetime | None = None) -> dict[int, tuple[str, str]]:
    """Claim what is due at ``at`` (default: now) for this instance and deliver it; returns
    reminder id -> (outcome, member name).

    Batch after batch while full ones come, until the next tick is due: a thousand reminders
    due in one minute go out at the sending limit, not one batch per tick (benchmarks/reminders.py).
    """
    services: Services = application.bot_data["services"]
    loop = asyncio.get_running_loop()
    until = loop.time() + services.settings.reminder_interval
    outcomes: dict[int, tuple[str, str]] = {}
    while True:
        moment = at or now()
        jobs = await services.db.run(
            reminders.claim_due, moment, instance_id(application), services.settings.reminder_batch
        )
        if jobs:
            outcomes.update(await deliver_all(application, jobs, moment))
        if len(jobs) < services.settings.reminder_batch or loop.time() >= until:
            return outcomes


async def deliver_all(
    application: Application, jobs: list[ReminderJob], moment: datetime
) -> dict[int, tuple[str, str]]:
    """Deliver claimed reminders one by one; tell the moderators who could not be reached."""
    services: Services = application.bot_data["services"]
    outcomes: dict[int, tuple[str, str]] = {}
    unreachable: dict[int, list[str]] = {}
    for job in jobs:
        outcome, name = await deliver(application, job, moment)
        outcomes[job.id] = (outcome, name)
        if outcome == "unreachable":
            unreachable.setdefault(job.trajectory_id, []).append(name)
        log.info("reminder %s (%s): %s", job.id, job.kind, outcome)
    for trajectory_id, names in unreachable.items():
        await tell_moderators(application, services, trajectory_id, sorted(set(names)), "reminder")
    return outcomes


async def deliver(application: Application, job: ReminderJob, moment: datetime) -> tuple[str, str]:
    """Check at send time, send, record. Returns (outcome, member name)."""
    services: Services = application.bot_data["services"]
    me = instance_id(application)
    decision = await services.db.run(reminders.prepare, job.id, me, moment)
    if decision.action == "skip":
        return "skip", ""
    if decision.action == "drop":
        return f"dropped:{decision.reason}", decision.name
    if decision.action == "unreachable":
        return "unreachable", decision.name
    assert decision.trajectory is not None and decision.telegram_id is not None
    lang = decision.language
    left = (decision.starts_at - moment) if decision.starts_at else timedelta(0)
    text = services.texts.render(
        lang,
        "dreams/reminder",
        trajectory=decision.trajectory,
        starts_at=decision.starts_at,
        missing=decision.missing,
        days_left=left.days,
        hours_left=int(left.total_seconds() // 3600),
        timezone=decision.trajectory.timezone,
    )
    keyboard = reminder_keyboard(services.texts, lang, decision.trajectory.id, decision.missing)
    try:
        await send_html(application.bot, decision.telegram_id, text, reply_markup=keyboard)
    except (Forbidden, BadRequest) as error:
        log.info("reminder %s refused by Telegram: %s", job.id, error)
        await services.db.run(reminders.finish, job.id, me, "failed", moment, "unreachable")
        await services.db.run(reminders.mark_unreachable, job.person_id)
        return "unreachable", decision.name
    except TimedOut:
        # It may have arrived: never send it again; the moderator hears it ended unknown.
        await services.db.run(_ended_unknown, job, me, moment, decision.telegram_id)
        await report_undelivered(application.bot, services, job.trajectory_id)
        return "failed", decision.name
    except (RetryAfter, NetworkError) as error:
        log.warning("reminder %s not sent, tried again later: %s", job.id, error)
        await services.db.run(reminders.finish, job.id, me, "pending", moment)
        return "retry", decision.name
    await services.db.run(reminders.finish, job.id, me, "sent", moment)
    return "sent", decision.name


def _ended_unknown(session: Session, job: ReminderJob, me: str, moment: datetime, telegram_id: int) -> None:
    reminders.finish(session, job.id, me, "failed", moment, "unknown")
    undelivered.record(session, telegram_id, "reminder", "timeout", trajectory_id=job.trajectory_id, person_id=job.person_id)


async def tell_moderators(
    application: Application, services: Services, trajectory_id: int, names: list[str], what: str
) -> None:
    """Privately to each reachable moderator; in the group when none can be reached."""
    from storage import trajectories

    trajectory = await services.db.run(trajectories.by_id, trajectory_id)
    if trajectory is None:
        return
    told = False
    for telegram_id, lang, reachable in await services.db.run(reminders.moderators, trajectory_id):
        if not reachable:
            continue
        text = services.texts.render(lang, "dreams/unreachable", names=names, what=what, trajectory=trajectory)
        try:
            await send_html(application.bot, telegram_id, text)
            told = True
        except (Forbidden, BadRequest):
            continue
    if not told:
        text = services.texts.render(
            trajectory.language, "dreams/unreachable", names=names, what=what, trajectory=trajectory
        )
        try:
            await send_html(application.bot, trajectory.chat_id, text)
        except (Forbidden, BadRequest) as error:
            log.info("could not tell trajectory %s about unreachable members: %s", trajectory_id, error)


def schedule_reminders(application: Application) -> None:
    """At start: one repeating job; the first run comes at once (reminders due while down)."""
    services: Services = application.bot_data["services"]
    assert application.job_queue is not None
    instance_id(application)
    for job in application.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    application.job_queue.run_repeating(
        reminder_tick, interval=services.settings.reminder_interval, first=1, name=JOB_NAME
    )


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("volgendesessie", next_session_command, filters=groups),
        CommandHandler("herinneringen", hours_command, filters=groups),
        CallbackQueryHandler(hours_pressed, pattern=HOURS_PATTERN),
        CommandHandler("herinner", remind_now_command, filters=groups),
    ]
