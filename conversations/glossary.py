"""/begrip: plain-language explanations, the group's own first; the moderator sets the group's own."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.messaging import send_html
from method.dialogue import (
    MAX_EXPLANATION,
    MAX_TERM,
    MAX_TERMS,
    Problem,
    command_rest,
    explain,
    known_terms,
    parse_term_command,
    suggest,
    term_key,
)
from storage import glossary
from storage.records import GlossaryTermRecord, TrajectoryRecord


def _trajectory(context: BotContext) -> TrajectoryRecord | None:
    """The group whose own terms count: this group, or in private the one answers go to."""
    if context.actor is not None:
        return context.actor.trajectory
    if context.private is not None:
        return context.private.current
    return None


async def term_command(update: Update, context: BotContext) -> None:
    """/begrip, /begrip <woord>, and for the moderator in the group /begrip <woord> = <uitleg> (or =)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    parsed = parse_term_command(command_rest(message.text))

    async def say(name: str, **values: object) -> None:
        await send_html(context.bot, chat.id, context.render(name, **values))

    if isinstance(parsed, Problem):
        await say("glossary/problem", problem=parsed.code, part=parsed.action, word=None, limit=_limit(parsed.action))
        return
    trajectory = _trajectory(context)
    if parsed.action in ("set", "remove"):
        await _change(context, say, trajectory, parsed.action, parsed.word or "", parsed.explanation)
        return
    terms: list[GlossaryTermRecord] = await context.db.run(glossary.terms, trajectory.id) if trajectory else []
    if parsed.action == "list":
        own, shipped = known_terms(terms, context.lang)
        await say("glossary/list", own=own, shipped=shipped)
        return
    word = parsed.word or ""
    found = explain(word, terms, context.lang)
    if found is None:
        await say("glossary/unknown", word=word, suggestions=suggest(word, terms, context.lang))
        return
    await say("glossary/explanation", explanation=found)


def _limit(part: str | None) -> int:
    return MAX_EXPLANATION if part == "explanation" else MAX_TERM


async def _change(
    context: BotContext, say, trajectory: TrajectoryRecord | None, action: str, word: str, text: str | None
) -> None:  # type: ignore[no-untyped-def]
    """Set or remove one of the group's own terms: only a moderator, only in the group."""
    actor = context.actor
    if actor is None:
        await say("glossary/problem", problem="in_group", part=None, word=word, limit=MAX_TERM)
        return
    if trajectory is None:
        await say("onboarding/not_registered")
        return
    if not actor.is_moderator:
        await say("common/moderator_only")
        return
    key = term_key(word)
    if action == "remove":
        removed = await context.db.run(glossary.remove_term, trajectory.id, key)
        if removed is None:
            await say("glossary/problem", problem="not_own", part=None, word=word, limit=MAX_TERM)
            return
        shipped = explain(word, [], context.lang)
        await say("glossary/removed", term=removed, shipped=shipped)
        return
    assert text is not None
    outcome, term = await context.db.run(glossary.set_term, trajectory.id, key, word, text)
    if outcome == "too_many" or term is None:
        await say("glossary/problem", problem="too_many", part=None, word=word, limit=MAX_TERMS)
        return
    await say("glossary/saved", term=term, changed=outcome == "changed")


def handlers() -> list:
    """Anyone, in the group and in private."""
    return [CommandHandler("begrip", term_command)]
