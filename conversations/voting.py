"""Step 4, the moderator's side: follow and close voting rounds; results; consensus.

/stemronde (conversations/round_opening.py) opens a round; /sluitronde
closes it (or, with ``annuleer``, cancels it), /verleng moves the deadline, /stemregel shows or changes the agreements, /consensus records the chosen themes,
/uitslag shows a past round (or exports all rounds as CSV), /geparkeerd lists parked themes.
Members' ballots live in conversations/ballot.py.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext, Services
from bot.guards import moderator_only, registered_group
from bot.keyboards.voting import CLOSE_PATTERN, SETTING_PATTERN, quorum_keyboard, settings_keyboard
from bot.messaging import drop_buttons, edit_html, send_html, unchanged
from bot.outage import watched
from bot.outbox import wake
from conversations.dream_reminders import instance_id
from conversations.round_feedback import queue_feedback
from conversations.voting_results import post_results, show_results
from method.dates import parse_moment
from method.voting import RULES
from method.voting.commands import parse_numbers, parse_setting
from storage import deadlines, trajectories, voting
from storage.models import utcnow
from storage.records import CloseResult, RoundRecord, TrajectoryRecord

log = logging.getLogger("kopgroep.voting")
CANCEL_WORDS = {"annuleer", "annuleren", "cancel", "stop"}


def rule_context(rule_key: str, sought: int, fewest: int, most: int) -> dict[str, object]:
    """The rule and its thresholds in counts for ``most`` down to ``fewest`` voters, for the
    rule's text; voter numbers with the same counts share a line ("7 of 8 stemmers")."""
    rule = replace(RULES[rule_key], sought=sought)
    table: list[dict[str, object]] = []
    for limits in rule.table(fewest, most) if most > 0 else ():
        counts = (limits.min_threes, limits.max_ones, limits.drop_ones)
        if table and table[-1]["counts"] == counts:
            table[-1]["voters"].append(limits.voters)  # type: ignore[attr-defined]
        else:
            table.append({"voters": [limits.voters], "limits": limits, "counts": counts})
    return {"rule": rule, "table": table}


# --- progress and closing ----------------------------------------------------------------------


def progress_digest(text: str) -> str:
    """What the progress message shows, in short (voting_round.progress_shown)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


async def refresh_progress(context: BotContext, round_id: int) -> None:
    """Edit the group's single progress message in place (counts only, never who)."""
    await update_progress(context.bot, context.services, round_id)


async def update_progress(bot: Bot, services: Services, round_id: int) -> None:
    """``refresh_progress`` where no update is handled (the outbox's sender, after a leaver's
    ballot was dropped).

    Members' chats are processed in parallel (on one instance or several), so two submissions can
    edit at once and the older count land last: after its edit, each editor reads again and
    corrects the message if it changed meanwhile (the last edit is then always the latest state).
    """
    shown: tuple[str, int] | None = None
    for _ in range(3):
        round_ = await services.db.run(voting.get_round, round_id)
        if round_ is None or round_.progress_message_id is None:
            return
        trajectory = await services.db.run(trajectories.by_id, round_.trajectory_id)
        assert trajectory is not None
        submitted, _ = await services.db.run(voting.progress, round_id)
        if shown == (round_.status, submitted):
            return
        shown = (round_.status, submitted)
        text = services.texts.render(
            trajectory.language, "voting/progress", round=round_, submitted=submitted, timezone=trajectory.timezone
        )
        if not await services.db.run(voting.claim_progress_text, round_id, progress_digest(text)):
            return  # the message shows this already: Telegram refuses an edit that changes nothing
        try:
            await bot.edit_message_text(text, trajectory.chat_id, round_.progress_message_id, parse_mode="HTML")
        except BadRequest as error:
            if not unchanged(error):
                await services.db.run(voting.claim_progress_text, round_id, None)
                log.warning("progress message of round %s not updated: %s", round_id, error)


async def close_and_announce(context: BotContext, round_id: int, *, by: str, force: bool = False) -> CloseResult:
    """Close the round (when the quorum allows, or forced) and post what it gave."""
    result = await context.db.run(voting.close, round_id, by=by, force=force, key=context.services.ballot_key)
    if result.round is None:
        return result
    if result.status == "closed":
        # Its own unit of work: no transaction writes ballots and members' rows together. The
        # sealed cells go, and each member's own feedback is queued in the outbox.
        await context.db.run(queue_feedback, result.round.trajectory_id, round_id)
    trajectory = await context.db.run(trajectories.by_id, result.round.trajectory_id)
    assert trajectory is not None
    lang = trajectory.language
    if result.status == "quorum":
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.texts.render(
                lang, "voting/quorum", round=result.round, submitted=result.submitted, needed=result.needed
            ),
            reply_markup=quorum_keyboard(context.texts, lang, round_id),
        )
        return result
    if result.status == "cannot_evaluate":
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.texts.render(lang, "voting/problem", code="cannot_evaluate", number=result.round.number),
        )
        return result
    if result.status != "closed":
        return result
    unschedule_deadline(context.application, round_id)
    await refresh_progress(context, round_id)
    wake(context.services)  # the members' own feedback, queued with the closing
    await post_results(context, trajectory, result)
    return result


@moderator_only
async def close_round(update: Update, context: BotContext) -> None:
    """/sluitronde [forceer | annuleer]: close the open round, or cancel it (its votes do not count)."""
    trajectory = context.trajectory
    current = await context.db.run(voting.open_round_of, trajectory.id)
    if current is None:
        await send_html(context.bot, trajectory.chat_id, context.render("voting/problem", code="none_open"))
        return
    word = context.args[0].lower() if context.args else ""
    if word in CANCEL_WORDS:
        await cancel_round(context, current.id)
        return
    await close_and_announce(context, current.id, by="moderator", force=word in {"forceer", "force", "toch"})


async def cancel_round(context: BotContext, round_id: int) -> None:
    """Cancel an open round: a way out of any round, also one that cannot be evaluated."""
    cancelled = await context.db.run(voting.cancel, round_id)
    if cancelled is None:
        await send_html(context.bot, context.trajectory.chat_id, context.render("voting/problem", code="none_open"))
        return
    unschedule_deadline(context.application, round_id)
    await refresh_progress(context, round_id)
    await send_html(context.bot, context.trajectory.chat_id, context.render("voting/cancelled", round=cancelled))


@moderator_only
async def quorum_choice(update: Update, context: BotContext) -> None:
    """rclose:<round>:force|extend, pressed by a moderator of that round's group."""
    query = update.callback_query
    assert query is not None and context.actor is not None and context.actor.trajectory is not None
    round_id, action = int(context.matches[0].group(1)), context.matches[0].group(2)
    round_ = await context.db.run(voting.get_round, round_id)
    if round_ is None or round_.trajectory_id != context.actor.trajectory.id or round_.status != "open":
        await query.answer(context.label("voting.alert.closed"), show_alert=True)
        return
    await query.answer()
    await drop_buttons(query)
    if action == "force":
        await close_and_announce(context, round_id, by="moderator", force=True)
    else:
        base = max(utcnow(), round_.deadline or utcnow())
        await extend_to(context, round_, base + timedelta(days=1))


@moderator_only
async def extend_round(update: Update, context: BotContext) -> None:
    """/verleng <moment>: a new deadline for the open round."""
    trajectory = context.trajectory
    current = await context.db.run(voting.open_round_of, trajectory.id)
    if current is None:
        await send_html(context.bot, trajectory.chat_id, context.render("voting/problem", code="none_open"))
        return
    moment = parse_moment(" ".join(context.args or []), now=utcnow(), tz=context.services.settings.tz)
    if not moment.ok or moment.value is None:
        await send_html(
            context.bot, trajectory.chat_id, context.render("voting/problem", code="bad_date", moment=moment)
        )
        return
    await extend_to(context, current, moment.value)


async def extend_to(context: BotContext, round_: RoundRecord, deadline: datetime) -> None:
    updated = await context.db.run(voting.extend, round_.id, deadline)
    if updated is None:
        return
    trajectory = await context.db.run(trajectories.by_id, updated.trajectory_id)
    assert trajectory is not None
    schedule_deadline(context.application, updated.id, deadline)
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.texts.render(trajectory.language, "voting/extended", round=updated, timezone=trajectory.timezone),
    )
    await refresh_progress(context, updated.id)


# --- deadlines (JobQueue drives the clock; the rounds table is the truth) ------------------------


DEADLINE_TICK = "round-deadlines"


def schedule_deadline(application: Application, round_id: int, when: datetime) -> None:
    """One job per round, replaced when the deadline moves; it only carries the round's id."""
    unschedule_deadline(application, round_id)
    assert application.job_queue is not None
    application.job_queue.run_once(
        deadline_reached, when=max(when, utcnow()), data=round_id, name=f"round-deadline:{round_id}"
    )


def unschedule_deadline(application: Application, round_id: int) -> None:
    if application.job_queue is None:
        return
    for job in application.job_queue.get_jobs_by_name(f"round-deadline:{round_id}"):
        job.schedule_removal()


@watched
async def deadline_reached(context: BotContext) -> None:
    """A round's deadline: close it if the quorum is there, else tell the moderator."""
    assert context.job is not None
    round_id = int(context.job.data)  # type: ignore[arg-type]
    round_ = await context.db.run(voting.get_round, round_id)
    if (
        round_ is None
        or round_.status != "open"
        or round_.deadline is None
        or round_.deadline > utcnow() + timedelta(seconds=1)
    ):
        return  # closed meanwhile, or the deadline moved (its own job will come)
    await handle_deadline(context, round_id, round_.deadline)


async def handle_deadline(context: BotContext, round_id: int, deadline: datetime) -> None:
    """Act on a deadline once across instances: only the instance whose claim succeeds goes on."""
    instance = instance_id(context.application)
    if not await context.db.run(deadlines.claim, round_id, deadline, instance, utcnow()):
        return  # another instance handles (or handled) it
    await close_and_announce(context, round_id, by="deadline")
    await context.db.run(deadlines.finish, round_id, deadline, utcnow())


@watched
async def deadline_tick(context: BotContext) -> None:
    """Every few seconds: deadlines this instance has no job for (set on another instance, or
    left by one that died)."""
    for round_id, deadline in await context.db.run(deadlines.due, utcnow()):
        await handle_deadline(context, round_id, deadline)


async def reschedule_deadlines(application: Application) -> None:
    """At start: a job for every open round with a deadline, from our own table, and the tick."""
    services = application.bot_data["services"]
    for round_id, deadline in await services.db.run(voting.open_rounds_with_deadline):
        schedule_deadline(application, round_id, deadline)
    assert application.job_queue is not None
    for job in application.job_queue.get_jobs_by_name(DEADLINE_TICK):
        job.schedule_removal()
    application.job_queue.run_repeating(
        deadline_tick, interval=services.settings.reminder_interval, first=2, name=DEADLINE_TICK
    )


# --- settings, consensus, results -----------------------------------------------------------------


@registered_group
async def voting_settings(update: Update, context: BotContext) -> None:
    """/stemregel: show the agreements; a moderator changes them with two words."""
    trajectory = context.trajectory
    if context.args:
        if not context.actor.is_moderator:
            await send_html(context.bot, trajectory.chat_id, context.render("common/moderator_only"))
            return
        change = parse_setting(list(context.args))
        if change is None:
            await send_html(context.bot, trajectory.chat_id, context.render("voting/problem", code="bad_setting"))
            return
        if await context.db.run(voting.open_round_of, trajectory.id) is not None:
            await send_html(context.bot, trajectory.chat_id, context.render("voting/problem", code="round_open"))
            return
        await context.db.run(voting.change_settings, trajectory.id, **{change.name: change.value})
    text, keyboard = await _settings_message(context, trajectory)
    await send_html(context.bot, trajectory.chat_id, text, reply_markup=keyboard)


async def _settings_message(
    context: BotContext, trajectory: TrajectoryRecord
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The agreements as they stand; for a moderator, with buttons to change them (not while a round runs)."""
    current = await context.db.run(voting.settings, trajectory.id)
    members = await context.db.run(voting.joined_members, trajectory.id)
    needed = voting.quorum_needed(members, current.quorum_pct)
    words = rule_context(current.rule_key, current.sought, needed, members)
    text = context.render("voting/settings", settings=current, members=members, needed=needed, **words)
    keyboard = None
    if (
        context.actor is not None
        and context.actor.is_moderator
        and await context.db.run(voting.open_round_of, trajectory.id) is None
    ):
        keyboard = settings_keyboard(context.texts, context.lang, trajectory.id, current)
    return text, keyboard


@moderator_only
async def setting_pressed(update: Update, context: BotContext) -> None:
    """vset:<group>:<aantal|quorum|regel|automatisch>:<value>: one agreement changed by button."""
    query = update.callback_query
    assert query is not None
    trajectory = context.trajectory
    group_id, key, value = int(context.matches[0].group(1)), context.matches[0].group(2), context.matches[0].group(3)
    change = parse_setting([key, value]) if group_id == trajectory.id else None
    if change is None:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    if await context.db.run(voting.open_round_of, trajectory.id) is not None:
        await query.answer(context.label("voting.alert.round_open"), show_alert=True)
        return
    await query.answer()
    await context.db.run(voting.change_settings, trajectory.id, **{change.name: change.value})
    text, keyboard = await _settings_message(context, trajectory)
    await edit_html(query, text, reply_markup=keyboard)


@moderator_only
async def confirm_consensus(update: Update, context: BotContext) -> None:
    """/consensus [numbers]: record the proposed (or the named) themes as chosen."""
    trajectory = context.trajectory
    chat_id = trajectory.chat_id
    current = await context.db.run(voting.open_round_of, trajectory.id)
    if current is not None:
        await send_html(
            context.bot, chat_id, context.render("voting/problem", code="already_open", number=current.number)
        )
        return
    if context.args:
        numbers = parse_numbers(" ".join(context.args))
        if numbers is None:
            await send_html(
                context.bot,
                chat_id,
                context.render("voting/problem", code="unknown_theme", numbers=[" ".join(context.args)[:40]]),
            )
            return
        found = await context.db.run(voting.themes_by_position, trajectory.id, numbers)
        unknown = [n for n in numbers if n not in found]
        if unknown:
            await send_html(
                context.bot, chat_id, context.render("voting/problem", code="unknown_theme", numbers=unknown)
            )
            return
        chosen = tuple(found[n] for n in numbers)
    else:
        proposal = await context.db.run(voting.last_proposal, trajectory.id)
        if proposal is None or not proposal[1]:
            await send_html(context.bot, chat_id, context.render("voting/problem", code="no_proposal"))
            return
        chosen = proposal[1]
    chosen_names, parked_names = await context.db.run(voting.confirm_consensus, trajectory.id, chosen)
    await send_html(context.bot, chat_id, context.render("voting/consensus", chosen=chosen_names, parked=parked_names))


@registered_group
async def show_parked(update: Update, context: BotContext) -> None:
    """/geparkeerd: themes kept for a later trajectory, with their last figures."""
    trajectory = context.trajectory
    themes = await context.db.run(voting.parked, trajectory.id)
    await send_html(context.bot, trajectory.chat_id, context.render("voting/parked", themes=themes))


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("sluitronde", close_round, filters=groups),
        CommandHandler("verleng", extend_round, filters=groups),
        CommandHandler("stemregel", voting_settings, filters=groups),
        CallbackQueryHandler(setting_pressed, pattern=SETTING_PATTERN),
        CommandHandler("consensus", confirm_consensus, filters=groups),
        CommandHandler("geparkeerd", show_parked, filters=groups),
        CommandHandler("uitslag", show_results, filters=groups),
        CallbackQueryHandler(quorum_choice, pattern=CLOSE_PATTERN),
    ]
