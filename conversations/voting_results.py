"""Step 4, the results: what a closed round gave, to the group (text and chart), to each member
privately (their own scores beside the group's), again on /uitslag, and as CSV for the moderator
(/uitslag csv: closed rounds only; figures from 3 voters, numbered ballots from 5)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from telegram import InputFile, Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.context import BotContext
from bot.documents.chart import ChartLabels, render_chart
from bot.guards import moderator_only, registered_group
from bot.messaging import send_html, send_picture
from method.voting import RULES, Movement
from method.voting.alpha import describe_alpha
from method.voting.concordance import describe_agreement
from method.voting.export import BALLOT_HEADER, FIGURE_HEADER, to_csv
from storage import next_trajectory, voting
from storage.records import CloseResult, TrajectoryRecord

log = logging.getLogger("kopgroep.voting")
MIN_VOTERS_FOR_FIGURES = 3  # fewer voters: figures would reveal individual scores


def results_context(result: CloseResult) -> dict[str, object]:
    """What the results template needs; names only, figures per theme."""
    tally, names, outcome = result.tally, result.names or {}, result.outcome
    assert tally is not None and result.round is not None
    round_ = result.round
    change = result.change
    rose = fell = []
    if change is not None and result.stability is not None:
        rose = [names[c.theme_id] for c in change.themes if c.movement == Movement.ROSE]
        fell = [names[c.theme_id] for c in change.themes if c.movement == Movement.FELL]
    rule = replace(RULES[round_.rule_key], sought=round_.sought)
    chosen = [names[t] for t in outcome.chosen] if outcome else []
    secured = [names[t] for t in outcome.secured] if outcome else []
    return {
        "round": round_,
        "submitted": result.submitted,
        "needed": result.needed,
        "too_few": result.submitted < MIN_VOTERS_FOR_FIGURES,
        "tally": tally,
        "names": names,
        "rule": rule,
        "limits": rule.thresholds(result.submitted),
        "qualified": set(outcome.qualified) if outcome else set(),
        "alpha": result.alpha,
        "alpha_key": describe_alpha(result.alpha) if result.alpha is not None else None,
        "w": result.w,
        "agreement": describe_agreement(result.w) if result.w is not None else None,
        "change": change,
        "stability": result.stability,
        "previous_number": result.previous_number,
        "rose": rose,
        "fell": fell,
        "outcome": outcome,
        "chosen": chosen,
        "short": bool(outcome and outcome.reached and len(chosen) < round_.sought),
        "tie": [names[t] for t in outcome.tie or ()] if outcome else [],
        "secured": secured,
        "places": round_.sought - len(secured),
        "dropped": [names[t] for t in outcome.drop] if outcome else [],
        "next_count": len(outcome.next_in_play) if outcome else 0,
    }


async def post_results(context: BotContext, trajectory: TrajectoryRecord, result: CloseResult) -> None:
    values = results_context(result)
    await send_html(
        context.bot, trajectory.chat_id, context.texts.render(trajectory.language, "voting/results", **values)
    )
    if not values["too_few"]:
        # Drawing takes ~0.2 s: off the event loop.
        chart = await asyncio.to_thread(results_chart, context, trajectory.language, result)
        caption = context.texts.render(trajectory.language, "voting/chart_caption", round=result.round)
        await send_picture(context.bot, trajectory.chat_id, chart, f"stemronde-{result.round.number}.png", caption)


def results_chart(context: BotContext, lang: str, result: CloseResult, *, scale: float = 1.0) -> bytes:
    """The round's bar chart; chosen themes (or those still in play) marked (``scale`` 2: for the room's screen)."""
    assert result.tally is not None and result.round is not None and result.names is not None
    outcome = result.outcome
    highlighted = set(outcome.chosen or outcome.next_in_play) if outcome else set()
    labels = ChartLabels(
        **{
            field: context.texts.label(lang, f"voting.chart.{field}", number=result.round.number)
            for field in ChartLabels.__dataclass_fields__
        }
    )
    return render_chart(result.tally, result.names, highlighted=highlighted, labels=labels, scale=scale)


@registered_group
async def show_results(update: Update, context: BotContext) -> None:
    """/uitslag [n | csv]: a past round again, or (moderator) every round as CSV, privately."""
    trajectory = context.trajectory
    chat_id = trajectory.chat_id
    words = [word.lower() for word in context.args or []]
    if words and words[0] in ("vorig", "vorige", "previous"):
        # The group's closed trajectory before this one (/nieuwtraject) stays readable.
        earlier = await context.db.run(next_trajectory.previous_of, trajectory.id)
        if earlier is None:
            await send_html(context.bot, chat_id, context.render("next_trajectory/no_previous"))
            return
        trajectory, words = earlier, words[1:]
    argument = (words or [""])[0]
    if argument == "csv":
        await export_csv(update, context)
        return
    rounds = await context.db.run(voting.closed_rounds, trajectory.id)
    if not rounds:
        await send_html(context.bot, chat_id, context.render("voting/problem", code="no_rounds"))
        return
    if argument:
        wanted = next(
            (r for r in rounds if argument.isascii() and argument.isdigit() and r.number == int(argument)), None
        )
        if wanted is None:
            await send_html(context.bot, chat_id, context.render("voting/problem", code="no_round"))
            return
    else:
        wanted = rounds[-1]
    result = await context.db.run(voting.results, wanted.id)
    await post_results(context, trajectory, result)


@moderator_only
async def export_csv(update: Update, context: BotContext) -> None:
    """Two CSV files to the moderator's private chat: ballots (pseudonyms) and figures."""
    assert context.actor is not None and context.actor.trajectory is not None and update.effective_user is not None
    trajectory = context.actor.trajectory
    rows = await context.db.run(voting.export_rows, trajectory.id)
    try:
        await context.bot.send_document(
            update.effective_user.id, InputFile(to_csv(BALLOT_HEADER, rows.ballots), filename="stembiljetten.csv")
        )
        await context.bot.send_document(
            update.effective_user.id, InputFile(to_csv(FIGURE_HEADER, rows.figures), filename="uitslagen.csv")
        )
    except (Forbidden, BadRequest):
        await send_html(context.bot, trajectory.chat_id, context.render("voting/problem", code="private_closed"))
        return
    except TelegramError:
        raise
    await send_html(context.bot, trajectory.chat_id, context.render("voting/export_sent"))
