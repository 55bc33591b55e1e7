"""The real PTB stack (Bot, Application) against the fake, in-process."""

from __future__ import annotations

import socket

import pytest
from fake_telegram import FakeTelegramRequest, FakeTelegramServer, wait_for
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler


def make_bot(core) -> Bot:
    return Bot(core.token, request=FakeTelegramRequest(core), get_updates_request=FakeTelegramRequest(core))


@pytest.mark.asyncio
async def test_bot_send_message_returns_message(world):
    async with make_bot(world.core) as bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Doe mee", callback_data="join")]])
        message = await bot.send_message(
            world.group["id"], "<b>Welkom</b> in de kopgroep", parse_mode="HTML", reply_markup=markup
        )
    assert isinstance(message, Message)
    assert message.text == "Welkom in de kopgroep"
    assert message.text_html == "<b>Welkom</b> in de kopgroep"
    assert message.from_user.id == world.core.bot["id"]
    assert message.chat.title == "Groep Zottegem"
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "join"
    assert world.core.last_message(world.group["id"])["message_id"] == message.message_id


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_bot_errors_map_to_ptb_exceptions(world):
    core = world.core
    async with make_bot(core) as bot:
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(world.alice["id"], "<b>kapot", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Unknown parameter reply_to_message_id"):
            await bot.send_message(world.alice["id"], "x", api_kwargs={"reply_to_message_id": 1})
        with pytest.raises(Forbidden, match="can't initiate conversation"):
            await bot.send_message(world.carol["id"], "x")
        core.fail("sendMessage", kind="429", retry_after=2)
        with pytest.raises(RetryAfter, match="Retry in 2 seconds"):
            await bot.send_message(world.alice["id"], "x")
        core.fail("sendMessage", kind="500")
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(world.alice["id"], "x")
        core.fail("sendMessage", kind="403")
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(world.alice["id"], "x")
        core.fail("sendMessage", kind="timeout", timeout_seconds=30)
        with pytest.raises(TimedOut):
            await bot.send_message(world.alice["id"], "x")
        assert (await bot.send_message(world.alice["id"], "eindelijk")).text == "eindelijk"
    assert [m["text"] for m in core.sent_messages()] == ["eindelijk"]


@pytest.mark.asyncio
async def test_bot_files_commands_and_chat_info(world):
    async with make_bot(world.core) as bot:
        sent = await bot.send_document(world.alice["id"], b"a;b\n1;2", filename="leden.csv", caption="Ledenlijst")
        file = await bot.get_file(sent.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"a;b\n1;2"
        scope = BotCommandScopeChat(world.group["id"])
        await bot.set_my_commands([BotCommand("leden", "Toon de leden")], scope=scope, language_code="nl")
        commands = await bot.get_my_commands(scope=scope, language_code="nl")
        assert [c.command for c in commands] == ["leden"]
        chat = await bot.get_chat(world.group["id"])
        assert chat.title == "Groep Zottegem"
        admins = await bot.get_chat_administrators(world.group["id"])
        assert [a.user.first_name for a in admins] == ["Alice"]
        assert await bot.get_chat_member_count(world.group["id"]) == 3
        assert await bot.send_chat_action(world.group["id"], "typing") is True


@pytest.mark.asyncio
async def test_application_polling_end_to_end(world):
    core = world.core

    async def leden(update: Update, context) -> None:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Doe mee", callback_data="join")]])
        await update.effective_message.reply_html("<b>Leden</b>: Alice", reply_markup=markup)

    async def join(update: Update, context) -> None:
        await update.callback_query.answer("Welkom!")
        await update.callback_query.edit_message_text(f"Leden: Alice, {update.effective_user.first_name}")

    app = (
        Application.builder()
        .token(core.token)
        .request(FakeTelegramRequest(core))
        .get_updates_request(FakeTelegramRequest(core))
        .build()
    )
    app.add_handler(CommandHandler("leden", leden))
    app.add_handler(CallbackQueryHandler(join))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=5)
        try:
            core.send_message(world.bob, world.group, "/leden")
            message = await wait_for(core, lambda c: c.last_message(world.group["id"]), 5)
            assert message["text"] == "Leden: Alice"
            core.press_button(world.bob, message, "join")
            await wait_for(core, lambda c: c.last_message(world.group["id"])["text"] == "Leden: Alice, Bob", timeout=5)
        finally:
            await app.updater.stop()
            await app.stop()
    assert all(q["answered"] for q in core.callback_queries.values())
    assert core.pending_updates() == []  # PTB confirmed what it handled
    assert "[Groep Zottegem] Kopgroep (melding): Welkom!" in core.transcript()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.asyncio
async def test_application_webhook_end_to_end(world):
    """PTB's own webhook server receives the pushes (secret token checked by PTB)."""
    core = world.core
    seen: list[str] = []

    async def echo(update: Update, context) -> None:
        seen.append(update.effective_message.text)
        await update.effective_message.reply_text("ontvangen")

    app = (
        Application.builder()
        .token(core.token)
        .request(FakeTelegramRequest(core))
        .get_updates_request(FakeTelegramRequest(core))
        .build()
    )
    app.add_handler(CommandHandler("start", echo))
    port = free_port()
    async with FakeTelegramServer(core) as server, app:
        await app.start()
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            secret_token="s3cret-token",
            webhook_url=f"http://127.0.0.1:{port}/hook",
        )
        try:
            core.send_message(world.alice, world.alice, "/start via webhook")
            await wait_for(core, lambda c: c.last_message(world.alice["id"])["text"] == "ontvangen", timeout=5)
        finally:
            await app.updater.stop()
            await app.stop()
        assert server.pusher.delivered
    assert seen == ["/start via webhook"]
    assert core.webhook["secret_token"] == "s3cret-token"
