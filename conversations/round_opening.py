"""Step 4, opening a round (/stemronde): the round and everything it sends, in one unit of work.

The round, its announcement, the group's progress message and every member's ballot are written
in one transaction: the outbox (bot/outbox.py) sends them, so the moderator's command returns at
once and a round is never open with nothing sent, whatever Telegram or the process does
meanwhile. /stemronde on a round that runs sends the ballots that did not arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from telegram import Bot, Update
from telegram.ext import CommandHandler, filters

from bot.context import BotContext, Services
from bot.guards import moderator_only
from bot.messaging import send_html, topic_of
from bot.outbox import Kind, register, wake
from bot.render import Texts
from conversations.ballot import queue_ballot
from conversations.voting import progress_digest, rule_context, schedule_deadline, update_progress
from method.dates import parse_moment
from storage import ballot_deliveries, outbox, voting
from storage.models import utcnow
from storage.records import RoundPlan, TrajectoryRecord


@dataclass(frozen=True)
class Opened:
    round_id: int
    number: int
    members: int


@moderator_only
async def open_round(update: Update, context: BotContext) -> None:
    """/stemronde [tot <moment>]: publish the rule, open the round, send every member a ballot;
    on a round that runs: send the ballots that did not arrive."""
    trajectory = context.trajectory
    chat_id = trajectory.chat_id
    deadline = None
    words = list(context.args or [])
    until = bool(words) and words[0].lower() in {"tot", "until", "deadline"}
    if until:
        words = words[1:]
    if until and not words:  # "tot" and no moment: ask for one rather than open without a deadline
        await send_html(context.bot, chat_id, context.render("voting/problem", code="bad_date"))
        return
    if words:
        moment = parse_moment(" ".join(words), now=utcnow(), tz=context.services.settings.tz)
        if not moment.ok:
            await send_html(context.bot, chat_id, context.render("voting/problem", code="bad_date", moment=moment))
            return
        deadline = moment.value
    current = await context.db.run(voting.open_round_of, trajectory.id)
    if current is not None:
        resent = await context.db.run(queue_missing_ballots, current.id, trajectory.id)
        wake(context.services)
        await send_html(context.bot, chat_id, context.render("voting/resent", number=current.number, resent=resent))
        return
    plan = await context.db.run(voting.next_round_plan, trajectory.id)
    settings = await context.db.run(voting.settings, trajectory.id)
    if plan.kind == "decided":  # tied themes were removed or merged: nothing left to vote on
        chosen = await context.db.run(voting.names_by_id, plan.chosen)
        tie = await context.db.run(voting.names_by_id, plan.theme_ids)
        await send_html(
            context.bot,
            chat_id,
            context.render("voting/decided", chosen=chosen, tie=tie, places=plan.places, sought=settings.sought),
        )
        return
    if not plan.theme_ids:
        await send_html(context.bot, chat_id, context.render("voting/problem", code="no_themes"))
        return
    if plan.kind == "round" and len(plan.theme_ids) <= settings.sought:
        await send_html(
            context.bot,
            chat_id,
            context.render("voting/problem", code="too_few_themes", count=len(plan.theme_ids), sought=settings.sought),
        )
        return
    opened = await context.db.run(open_and_queue, trajectory, plan, deadline, context.texts, topic_of(chat_id))
    if opened is None:
        await send_html(context.bot, chat_id, context.render("voting/problem", code="no_members"))
        return
    wake(context.services)
    if deadline is not None:
        schedule_deadline(context.application, opened.round_id, deadline)


def open_and_queue(
    session: Session,
    trajectory: TrajectoryRecord,
    plan: RoundPlan,
    deadline: datetime | None,
    texts: Texts,
    thread_id: int | None,
) -> Opened | None:
    """Open the round and queue its announcement, progress message and ballots (one transaction);
    None (and the round cancelled) when nobody has joined."""
    round_, recipients = voting.open_round(
        session, trajectory.id, theme_ids=plan.theme_ids, kind=plan.kind, places=plan.places, deadline=deadline
    )
    if not recipients:
        voting.cancel(session, round_.id)
        return None
    lang, zone = trajectory.language, trajectory.timezone
    needed = voting.quorum_needed(round_.members, round_.quorum_pct)
    words = rule_context(round_.rule_key, round_.sought, needed, round_.members)
    secured = voting.names_by_id(session, plan.secured)
    themes = voting.round_themes(session, round_.id)
    announce = texts.render(
        lang, "voting/announce", round=round_, themes=themes, needed=needed, secured=secured, timezone=zone, **words
    )
    progress = texts.render(lang, "voting/progress", round=round_, submitted=0, timezone=zone)
    common = {"trajectory_id": trajectory.id, "round_id": round_.id, "thread_id": thread_id}
    outbox.add(session, trajectory.chat_id, "announce", text=announce, **common)
    outbox.add(session, trajectory.chat_id, "progress", text=progress, **common)
    for person_id, telegram_id in recipients:
        queue_ballot(session, round_.id, person_id, telegram_id, trajectory.id)
    return Opened(round_.id, round_.number, round_.members)


def queue_missing_ballots(session: Session, round_id: int, trajectory_id: int) -> int:
    """Queue a ballot for every joined member of a running round who has none that arrived (and
    none queued); a member who joined after the opening gets one too. How many were queued."""
    queued = 0
    for person_id, telegram_id in ballot_deliveries.members_without_ballot(session, round_id, trajectory_id):
        if not outbox.queued_ballot(session, round_id, person_id):
            queue_ballot(session, round_id, person_id, telegram_id, trajectory_id)
            queued += 1
    return queued


def _progress_shown(session: Session, row: outbox.OutboxRecord, ids: list[int]) -> None:
    """The progress message is there: remember where, and what it shows (no edit repeats it)."""
    assert row.round_id is not None
    voting.set_progress_message(session, row.round_id, ids[-1], progress_digest(row.text or ""))


async def _progress_current(bot: Bot, services: Services, row: outbox.OutboxRecord, _: object) -> None:
    """The counts may have moved while the message waited its turn (a ballot dropped because its
    member left, a fast submission): the message shows them as they are now."""
    if row.round_id is not None:
        await update_progress(bot, services, row.round_id)


# A repeated announcement does no harm; a second progress message would be one nobody updates.
register("announce", Kind(retry_timeouts=True))
register("progress", Kind(stored=_progress_shown, then=_progress_current))


def handlers() -> list:
    return [CommandHandler("stemronde", open_round, filters=filters.ChatType.GROUPS)]
