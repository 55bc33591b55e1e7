"""Nothing locked in: /export sends the moderator the group's archive, /herstel reads one back.

/export (moderator, group): one ZIP (method/portability/archive.py) privately to the moderator.
/herstel (moderator, group): only in a group where nothing happened yet; the ZIP comes as a
reply to the bot's question (a ``restore`` prompt), or straight away with /herstel as caption.
The file is checked completely before anything is written, and written in one transaction: a
broken, foreign or oversized archive imports nothing and gets a message that says why.
"""

from __future__ import annotations

import asyncio
import logging
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy.exc import SQLAlchemyError
from telegram import ForceReply, InputFile, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.guards import moderator_only
from bot.keyboards import join_keyboard
from bot.messaging import send_html
from conversations.onboarding import ORGANISATION_PROMPT
from method.portability.archive import MAX_ZIP_BYTES, ArchiveError, build_zip, is_signed, read_zip
from storage import archive, prompts, trajectories
from storage.models import utcnow
from storage.records import PromptRecord, TrajectoryRecord

log = logging.getLogger(__name__)

RESTORE_PROMPT = "restore"
CAPTION_COMMAND = r"^/herstel(@\w+)?(\s|$)"


def app_version() -> str:
    try:
        return version("kopgroep")
    except PackageNotFoundError:
        return "unknown"


@moderator_only
async def export_command(update: Update, context: BotContext) -> None:
    """/export: the whole group as one archive, privately to the moderator who asked."""
    trajectory, user = context.trajectory, update.effective_user
    assert user is not None
    tables = await context.db.run(archive.export_trajectory, trajectory.id)
    now = utcnow()
    data = await asyncio.to_thread(
        build_zip, tables, archive.schema(), app_version=app_version(), exported_at=now, key=context.services.ballot_key
    )
    filename = f"{context.label('data.export_file')}-{now:%Y-%m-%d}.zip"
    try:
        await context.bot.send_document(
            user.id, InputFile(data, filename=filename), caption=context.label("data.export_caption")
        )
    except (Forbidden, BadRequest):
        await send_html(context.bot, trajectory.chat_id, context.render("data/export_unreachable"))
        return
    log.info("trajectory %s exported (%d bytes)", trajectory.id, len(data))
    await send_html(context.bot, trajectory.chat_id, context.render("data/export_sent", name=user.first_name))


@moderator_only
async def restore_command(update: Update, context: BotContext) -> None:
    """/herstel: in a fresh group, ask for the ZIP (or read it when it came with the command)."""
    trajectory = context.trajectory
    if not await context.db.run(archive.is_fresh, trajectory.id):
        await send_html(context.bot, trajectory.chat_id, context.render("data/restore_not_fresh"))
        return
    message = update.effective_message
    if message is not None and message.document is not None:
        await read_archive(update, context, trajectory)
        return
    (asked,) = await send_html(
        context.bot, trajectory.chat_id, context.render("data/restore_prompt"), reply_markup=ForceReply(selective=True)
    )
    await context.db.run(prompts.ask, trajectory.id, trajectory.chat_id, RESTORE_PROMPT, message_id=asked.message_id)


async def restore_reply(update: Update, context: BotContext, prompt: PromptRecord) -> bool:
    """A moderator's file answering /herstel (conversations/answers.py)."""
    await read_archive(update, context, context.trajectory)
    return True


async def read_archive(update: Update, context: BotContext, trajectory: TrajectoryRecord) -> None:
    """Download, check everything, then insert in one transaction; any problem changes nothing."""
    message = update.effective_message
    assert message is not None
    document = message.document
    try:
        if document is None:
            raise ArchiveError("not_file")
        if document.file_size and document.file_size > MAX_ZIP_BYTES:
            raise ArchiveError("too_large", {"name": "zip"})
        data = bytes(await (await document.get_file()).download_as_bytearray())
        tables = await asyncio.to_thread(read_zip, data, archive.schema())
        if not await asyncio.to_thread(is_signed, data, archive.schema(), context.services.ballot_key):
            # Members are linked again by Telegram id: only an archive this bot made, unchanged,
            # may do that (else anyone could add strangers to a group and see their names).
            raise ArchiveError("not_signed")
        try:
            counts = await context.db.run(archive.restore, trajectory.id, tables)
        except SQLAlchemyError:
            # Checked links and values, but the database still said no (e.g. two goals with one
            # number): the transaction rolled back.
            log.warning("restore into trajectory %s refused by the database", trajectory.id, exc_info=True)
            raise ArchiveError("broken") from None
    except ArchiveError as error:
        await send_html(
            context.bot,
            trajectory.chat_id,
            context.render("data/restore_refused", code=error.code, detail=error.detail),
        )
        return
    await context.db.run(prompts.close, trajectory.chat_id, RESTORE_PROMPT)
    restored = await context.db.run(trajectories.by_id, trajectory.id)
    assert restored is not None
    if restored.organisation:
        # The name came with the archive: the question asked when the bot was added is answered.
        await context.db.run(prompts.close, trajectory.chat_id, ORGANISATION_PROMPT)
    log.info("trajectory %s restored from an archive", trajectory.id)
    await send_html(
        context.bot,
        trajectory.chat_id,
        context.render("data/restore_done", lang=restored.language, counts=counts, organisation=restored.organisation),
        reply_markup=join_keyboard(context.texts, restored.language, context.bot.username, restored.join_token),
    )


def handlers() -> list:
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("export", export_command, filters=groups),
        CommandHandler("herstel", restore_command, filters=groups),
        MessageHandler(groups & filters.Document.ALL & filters.CaptionRegex(CAPTION_COMMAND), restore_command),
    ]
