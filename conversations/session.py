"""Step 2: /sessie opens a session with a pinned synthesis; /notitie keeps the moderator's notes."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CommandHandler, filters

from bot.context import BotContext
from bot.guards import moderator_only
from bot.messaging import send_html
from bot.render import Texts
from method.dates import parse_moment
from method.progress import progress
from method.text_input import clean_text
from storage import synthesis
from storage.models import utcnow
from storage.records import MeetingRecord, SynthesisData, TrajectoryRecord

# What moderators may type for each kind of note (Dutch and English).
NOTE_ALIASES = {
    "lokale_foto": ("lokalefoto", "lokale_foto", "lokale-foto", "foto", "localpicture", "local_picture", "localphoto"),
    "sterktes": ("sterktes", "sterke", "sterkte", "strengths", "strength"),
    "zwaktes": ("zwaktes", "zwakke", "zwakte", "weaknesses", "weakness"),
    "kandidaten": ("kandidaten", "kandidaat", "themas", "candidates"),
    "agenda": ("agenda",),
}
_KIND_OF = {alias: kind for kind, aliases in NOTE_ALIASES.items() for alias in aliases}
CLEAR = "-"


@moderator_only
async def open_session(update: Update, context: BotContext) -> None:
    """/sessie [date and time]: record the session, post the synthesis and pin it."""
    trajectory = context.trajectory
    starts_at = None
    if context.args:
        now = utcnow()
        moment = parse_moment(" ".join(context.args), now=now, tz=context.services.settings.tz, allow_past=True)
        if moment.ok and moment.value is not None and moment.value.date() < now.astimezone(moment.value.tzinfo).date():
            moment = type(moment)(None, "past")
        if not moment.ok:
            await send_html(
                context.bot,
                trajectory.chat_id,
                context.render("session/date_problem", problem=moment.problem, moment=moment),
            )
            return
        starts_at = moment.value
    meeting = await context.db.run(synthesis.open_meeting, trajectory.id, starts_at)
    data = await context.db.run(synthesis.synthesis_data, trajectory.id)
    text = synthesis_text(context.texts, trajectory, meeting, data, lang=context.lang)
    first, *_ = await send_html(context.bot, trajectory.chat_id, text, queue_when_busy=False)
    await context.db.run(synthesis.set_synthesis_message, meeting.id, first.message_id)
    try:
        await context.bot.pin_chat_message(trajectory.chat_id, first.message_id, disable_notification=True)
    except (BadRequest, Forbidden):
        await send_html(context.bot, trajectory.chat_id, context.render("session/pin_failed"))


def synthesis_text(
    texts: Texts, trajectory: TrajectoryRecord, meeting: MeetingRecord, data: SynthesisData, *, lang: str | None = None
) -> str:
    """The synthesis as the group gets it (also the room's screen: conversations/screen_view.py)."""
    steps, upcoming = progress(data.facts)
    return texts.render(
        lang or trajectory.language,
        "session/synthesis",
        timezone=trajectory.timezone,
        trajectory=trajectory,
        meeting=meeting,
        steps=steps,
        upcoming=upcoming,
        notes=data.notes,
        candidates=data.candidate_names,
        findings_strengths=[f"{f.name}: {f.strengths}" for f in data.scan_findings if f.strengths],
        findings_weaknesses=[f"{f.name}: {f.weaknesses}" for f in data.scan_findings if f.weaknesses],
        maturities=[(f.name, f.maturity) for f in data.scan_findings if f.maturity is not None],
        agenda=[step.key for step in steps if not step.done and step.key != "synthesis"][:3],
        decision=data.decision,
    )


@moderator_only
async def note(update: Update, context: BotContext) -> None:
    """/notitie [kind] [text]: show the notes, or set one (``-`` clears it)."""
    trajectory = context.trajectory
    message = update.effective_message
    assert message is not None and message.text is not None
    parts = message.text.split(maxsplit=2)
    if len(parts) == 1:
        notes = await context.db.run(synthesis.notes, trajectory.id)
        names = {kind: context.label(f"session.note.{kind}") for kind in synthesis.NOTE_KINDS}
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("session/notes", kinds=synthesis.NOTE_KINDS, names=names, notes=notes),
        )
        return
    kind = _KIND_OF.get(parts[1].lower().rstrip(":"))
    if kind is None:
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("session/note_problem", problem="kind", limit=synthesis.MAX_NOTE),
        )
        return
    raw = parts[2] if len(parts) == 3 else ""
    if raw.strip() == CLEAR:
        await context.db.run(synthesis.set_note, trajectory.id, kind, None)
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("session/note_saved", name=context.label(f"session.note.{kind}"), removed=True),
        )
        return
    cleaned = clean_text(raw, synthesis.MAX_NOTE)
    if not cleaned.ok:
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("session/note_problem", problem=cleaned.problem, limit=synthesis.MAX_NOTE),
        )
        return
    await context.db.run(synthesis.set_note, trajectory.id, kind, cleaned.value)
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render("session/note_saved", name=context.label(f"session.note.{kind}"), removed=False),
    )


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("sessie", open_session, filters=groups),
        CommandHandler("notitie", note, filters=groups),
    ]
