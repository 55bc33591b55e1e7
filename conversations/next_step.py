"""The next-step card: where the group is in the method, and the one next action, as a button.

/help shows it to a moderator in the group. The button runs the same handler as the command it
stands for, so what it does, checks and says is the command's own; the card only chooses which.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.messaging import drop_buttons, send_html
from bot.render import Texts
from conversations import (
    dialogue,
    dreams,
    evaluation,
    goals,
    next_trajectory,
    report,
    round_opening,
    session,
    themes,
    voting,
)
from method.progress import Facts, progress
from storage import synthesis

NEXT_PATTERN = r"^next:([0-9]{1,10}):([a-z]{1,16})$"

Handler = Callable[[Update, BotContext], Awaitable[object]]

ACTIONS: dict[str, Handler] = {
    "catalogus": themes.choose_catalogue,
    "sessie": session.open_session,
    "dialoog": dialogue.dialogue_command,
    "volgende": dialogue.next_command,
    "stemronde": round_opening.open_round,
    "sluitronde": voting.close_round,
    "droombeelden": dreams.collection_command,
    "doelen": goals.group_command,
    "rapport": report.report_command,
    "evaluatie": evaluation.group_command,
    "afsluiten": evaluation.close_trajectory_command,
    "nieuwtraject": next_trajectory.next_command,
}
"""The command a card's button runs -> its handler (a button can run nothing else)."""

FIRST_ACTION = {
    "themes": "catalogus",
    "synthesis": "sessie",
    "dialogue": "dialoog",
    "voting": "stemronde",
    "dream_images": "droombeelden",
    "goals": "doelen",
    "report": "rapport",
    "evaluation": "evaluatie",
}
"""The first step not done -> the command that starts it."""


def next_action(facts: Facts, open_round: int | None, dialogue_running: bool, *, closed: bool = False) -> str:
    """What the moderator does next: finish what runs, else start the first step not done; after
    closing, the next trajectory (its goals are followed up meanwhile, conversations/goal_followup.py)."""
    if closed:
        return "nieuwtraject"
    if open_round is not None:
        return "sluitronde"
    if dialogue_running:
        return "volgende"
    _, upcoming = progress(facts)
    return FIRST_ACTION[upcoming.key] if upcoming is not None else "afsluiten"


def card_keyboard(texts: Texts, lang: str, trajectory_id: int, action: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, f"help.action_{action}"), callback_data=f"next:{trajectory_id}:{action}"
                )
            ],
            [InlineKeyboardButton(texts.label(lang, "help.all_commands"), callback_data=f"next:{trajectory_id}:alles")],
        ]
    )


async def show_card(context: BotContext, trajectory_id: int, chat_id: int) -> None:
    """Post the card for this group: the steps, and the next action with its button."""
    facts, open_round, running = await context.db.run(synthesis.where_we_are, trajectory_id)
    steps, upcoming = progress(facts)
    closed = context.trajectory.closed_at is not None
    action = next_action(facts, open_round, running, closed=closed)
    text = context.render(
        "help/next_step",
        trajectory=context.trajectory,
        steps=steps,
        upcoming=upcoming,
        action=action,
        open_round=open_round,
    )
    await send_html(
        context.bot, chat_id, text, reply_markup=card_keyboard(context.texts, context.lang, trajectory_id, action)
    )


async def card_pressed(update: Update, context: BotContext) -> None:
    """A card's button (next:<trajectory>:<action>): a moderator of that group runs the action."""
    query = update.callback_query
    assert query is not None
    trajectory_id, action = int(context.matches[0].group(1)), context.matches[0].group(2)
    actor = context.actor
    if actor is None or actor.trajectory is None or actor.trajectory.id != trajectory_id:
        await query.answer(context.label("alert.stale"), show_alert=True)
        return
    if not actor.is_moderator:
        await query.answer(context.label("alert.moderator_only"), show_alert=True)
        return
    await query.answer()
    if action == "alles":
        await send_html(context.bot, actor.trajectory.chat_id, context.render("help/commands"))
        return
    handler = ACTIONS.get(action)
    if handler is None:
        return
    await drop_buttons(query)
    await handler(update, context)


def handlers() -> list:
    return [CallbackQueryHandler(card_pressed, pattern=NEXT_PATTERN)]
