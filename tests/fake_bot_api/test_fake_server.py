"""The fake over real HTTP: encodings, status codes, long polling, threads, webhooks."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import httpx
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web
from fake_telegram import FakeTelegramServer, wait_for, wait_for_sync
from telegram import Bot
from telegram.error import BadRequest, InvalidToken, RetryAfter, TimedOut
from telegram.request import HTTPXRequest


@pytest.fixture
async def server(world):
    async with FakeTelegramServer(world.core) as srv:
        yield srv


def api(server, method: str) -> str:
    return f"{server.base_url}/bot{server.core.token}/{method}"


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_real_bot_over_http(world, server):
    bot = Bot(world.core.token, base_url=f"{server.base_url}/bot", base_file_url=f"{server.base_url}/file/bot")
    async with bot:
        assert (await bot.get_me()).username == "kopgroep_test_bot"
        message = await bot.send_message(world.alice["id"], "<i>hoi</i>", parse_mode="HTML")
        assert message.text == "hoi" and message.entities[0].type == "italic"
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(world.alice["id"], "a < b", parse_mode="HTML")
        world.core.fail("sendMessage", kind="429", retry_after=5)
        with pytest.raises(RetryAfter):
            await bot.send_message(world.alice["id"], "x")
        sent = await bot.send_document(world.alice["id"], b"%PDF data", filename="v.pdf")
        file = await bot.get_file(sent.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"%PDF data"
    wrong = Bot("1:wrong", base_url=f"{server.base_url}/bot")
    with pytest.raises(InvalidToken):
        await wrong.get_me()


@pytest.mark.asyncio
async def test_encodings_and_status_codes(world, server):
    chat = world.alice["id"]
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with httpx.AsyncClient() as client:
        r = await client.post(
            api(server, "sendMessage"), json={"chat_id": chat, "text": "json", "reply_markup": markup}
        )
        assert r.status_code == 200 and r.json()["result"]["reply_markup"] == markup
        r = await client.post(
            api(server, "sendMessage"), data={"chat_id": str(chat), "text": "form", "reply_markup": json.dumps(markup)}
        )
        assert r.json()["result"]["text"] == "form"
        r = await client.get(api(server, "sendMessage"), params={"chat_id": chat, "text": "get"})
        assert r.json()["ok"] is True
        r = await client.post(
            api(server, "sendDocument"),
            data={"chat_id": str(chat)},
            files={"document": ("a.txt", b"inhoud", "text/plain")},
        )
        document = r.json()["result"]["document"]
        assert document["file_name"] == "a.txt" and document["mime_type"] == "text/plain"
        for method, body, code in [
            ("sendMessage", {"chat_id": chat}, 400),
            ("sendMessage", {"chat_id": world.carol["id"], "text": "x"}, 403),
            ("sendPigeon", {}, 404),
        ]:
            r = await client.post(api(server, method), json=body)
            assert r.status_code == code
            assert r.json()["ok"] is False and r.json()["error_code"] == code
        r = await client.post(
            api(server, "sendMessage"), content=b"{oops", headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 400
        r = await client.post(f"{server.base_url}/bot1:nope/getMe")
        assert (r.status_code, r.json()["description"]) == (401, "Unauthorized")
        r = await client.get(f"{server.base_url}/file/bot{world.core.token}/documents/none")
        assert r.status_code == 404


@pytest.mark.asyncio
async def test_long_polling_over_http(world, server):
    async def later():
        await asyncio.sleep(0.2)
        world.core.send_message(world.bob, world.group, "/leden")

    task = asyncio.create_task(later())
    start = time.monotonic()
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(api(server, "getUpdates"), data={"timeout": "5"})
    assert [u["message"]["text"] for u in r.json()["result"]] == ["/leden"]
    assert 0.15 < time.monotonic() - start < 2
    await task


@pytest.mark.asyncio
async def test_timeout_fault_delays_the_answer(world, server):
    chat = world.alice["id"]
    world.core.fail("sendMessage", kind="timeout", timeout_seconds=0.3)
    world.core.fail("sendMessage", kind="timeout", timeout_seconds=0.3, executed=True)
    async with httpx.AsyncClient(timeout=10) as client:
        start = time.monotonic()
        r = await client.post(api(server, "sendMessage"), json={"chat_id": chat, "text": "a"})
        assert r.status_code == 502 and time.monotonic() - start >= 0.3
        r = await client.post(api(server, "sendMessage"), json={"chat_id": chat, "text": "b"})
        assert r.status_code == 200 and r.json()["result"]["text"] == "b"
    world.core.fail("sendMessage", kind="timeout", timeout_seconds=2)
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(world.core.token, base_url=f"{server.base_url}/bot", request=request) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(chat, "c")
    assert [m["text"] for m in world.core.sent_messages()] == ["b"]


def test_server_in_a_thread(world):
    core = world.core
    server = FakeTelegramServer(core)
    base_url = server.start_in_thread()
    try:
        assert base_url.startswith("http://127.0.0.1:")
        result: dict = {}

        def poll() -> None:
            start = time.monotonic()
            r = httpx.post(f"{base_url}/bot{core.token}/getUpdates", data={"timeout": "5"}, timeout=10)
            result["updates"] = r.json()["result"]
            result["elapsed"] = time.monotonic() - start

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(0.2)
        core.send_message(world.alice, world.alice, "vanuit de testthread")
        poller.join(5)
        assert result["updates"][0]["message"]["text"] == "vanuit de testthread"
        assert result["elapsed"] < 2
        r = httpx.post(
            f"{base_url}/bot{core.token}/sendMessage", data={"chat_id": world.alice["id"], "text": "antwoord"}
        )
        assert r.status_code == 200
        assert wait_for_sync(core, lambda c: c.last_message(world.alice["id"]), 2)["text"] == "antwoord"
    finally:
        server.stop_thread()
    with pytest.raises(httpx.TransportError):
        httpx.post(f"{base_url}/bot{core.token}/getMe", timeout=2)


class Receiver:
    """A tiny webhook endpoint that fails the first ``failures`` requests."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.requests: list[tuple[dict, str | None]] = []
        receiver = self

        class Handler(tornado.web.RequestHandler):
            def post(self) -> None:
                receiver.requests.append(
                    (json.loads(self.request.body), self.request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
                )
                if len(receiver.requests) <= receiver.failures:
                    self.set_status(500)
                self.finish("")

        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/hook"
        self.http = tornado.httpserver.HTTPServer(
            tornado.web.Application([("/hook", Handler)], log_function=lambda h: None)
        )
        self.http.add_sockets(sockets)


@pytest.mark.asyncio
async def test_webhook_push_with_secret_and_retry(world, server):
    core = world.core
    receiver = Receiver(failures=2)
    try:
        assert core.call("setWebhook", {"url": receiver.url, "secret_token": "geheim_123"})
        first = core.send_message(world.alice, world.alice, "een")
        second = core.send_message(world.alice, world.alice, "twee")
        await wait_for(core, lambda c: len(server.pusher.delivered) == 2, timeout=5)
        ids = [body["update_id"] for body, _ in receiver.requests]
        assert ids == [first["update_id"]] * 3 + [second["update_id"]]  # retried, in order
        assert {secret for _, secret in receiver.requests} == {"geheim_123"}
        info = core.call("getWebhookInfo", {})
        assert info["pending_update_count"] == 0
        assert info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
        core.call("deleteWebhook", {})
        third = core.send_message(world.alice, world.alice, "drie")
        await asyncio.sleep(0.2)
        assert len(receiver.requests) == 4
        assert [u["update_id"] for u in core.pending_updates()] == [third["update_id"]]
    finally:
        receiver.http.stop()
