"""Update queue: offsets, limits, allowed_updates, long polling and wake-ups."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fake_telegram import ApiError, FakeTelegram, wait_for, wait_for_sync


def three_updates(core: FakeTelegram):
    user = core.add_user("Alice")
    return [core.send_message(user, user, f"m{i}")["update_id"] for i in range(3)], user


def test_offset_confirms_earlier_updates(core):
    ids, _ = three_updates(core)
    assert [u["update_id"] for u in core.call("getUpdates", {})] == ids
    assert [u["update_id"] for u in core.call("getUpdates", {"offset": ids[1]})] == ids[1:]
    assert [u["update_id"] for u in core.pending_updates()] == ids[1:]  # ids[0] confirmed
    assert core.call("getUpdates", {"offset": str(ids[2] + 1)}) == []
    assert core.pending_updates() == []


def test_limit_and_negative_offset(core):
    ids, _ = three_updates(core)
    assert [u["update_id"] for u in core.call("getUpdates", {"limit": 2})] == ids[:2]
    assert [u["update_id"] for u in core.call("getUpdates", {"offset": -1})] == ids[2:]
    assert [u["update_id"] for u in core.pending_updates()] == ids[2:]


def test_allowed_updates_are_remembered(core):
    ids, user = three_updates(core)
    sent = core.call(
        "sendMessage",
        {
            "chat_id": user["id"],
            "text": "kies",
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        },
    )
    press = core.press_button(user, sent, "a")
    got = core.call("getUpdates", {"allowed_updates": '["callback_query"]'})
    assert [u["update_id"] for u in got] == [press["update_id"]]
    core.send_message(user, user, "weer")
    assert [u["update_id"] for u in core.call("getUpdates", {})] == [press["update_id"]]
    core.call("getUpdates", {"allowed_updates": []})  # empty list: back to the default
    core.send_message(user, user, "nu wel")
    assert core.call("getUpdates", {"offset": press["update_id"] + 1})[0]["message"]["text"] == "nu wel"


def test_get_updates_conflicts_with_webhook(core):
    core.call("setWebhook", {"url": "https://example.org/hook"})
    with pytest.raises(ApiError) as info:
        core.call("getUpdates", {})
    assert info.value.error_code == 409
    assert info.value.description == (
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
    )
    assert core.call("getWebhookInfo", {})["url"] == "https://example.org/hook"
    core.call("deleteWebhook", {})
    assert core.call("getUpdates", {}) == []


def test_webhook_settings_are_checked(core):
    with pytest.raises(ApiError):
        core.call("setWebhook", {"url": "https://x.org/h", "secret_token": "bad secret!"})
    strict = FakeTelegram(allow_http_webhook=False)
    with pytest.raises(ApiError) as info:
        strict.call("setWebhook", {"url": "http://x.org/h"})
    assert "HTTPS" in info.value.description
    with pytest.raises(ApiError):
        strict.call("setWebhook", {"url": "https://x.org:8080/h"})
    assert strict.call("setWebhook", {"url": "https://x.org:8443/h", "drop_pending_updates": True})


@pytest.mark.asyncio
async def test_long_poll_returns_when_an_update_arrives(core):
    user = core.add_user("Alice")

    async def later():
        await asyncio.sleep(0.2)
        core.send_message(user, user, "hallo")

    task = asyncio.create_task(later())
    start = time.monotonic()
    updates = await core.call_async("getUpdates", {"timeout": "5"})
    assert [u["message"]["text"] for u in updates] == ["hallo"]
    assert 0.15 < time.monotonic() - start < 2
    await task


@pytest.mark.asyncio
async def test_long_poll_times_out_empty(core):
    start = time.monotonic()
    assert await core.call_async("getUpdates", {"timeout": 1}) == []
    assert 0.9 < time.monotonic() - start < 3
    with pytest.raises(ApiError):  # Integer only, like Telegram
        await core.call_async("getUpdates", {"timeout": 0.5})


@pytest.mark.asyncio
async def test_long_poll_woken_from_another_thread(core):
    user = core.add_user("Alice")
    timer = threading.Timer(0.2, core.send_message, (user, user, "uit een thread"))
    timer.start()
    start = time.monotonic()
    updates = await core.call_async("getUpdates", {"timeout": 5})
    assert updates[0]["message"]["text"] == "uit een thread"
    assert time.monotonic() - start < 2
    timer.join()


@pytest.mark.asyncio
async def test_interrupt_waiters(core):
    async def interrupt():
        await asyncio.sleep(0.1)
        core.interrupt_waiters(asyncio.get_running_loop())

    task = asyncio.create_task(interrupt())
    start = time.monotonic()
    assert await core.call_async("getUpdates", {"timeout": 5}) == []
    assert time.monotonic() - start < 2
    await task


@pytest.mark.asyncio
async def test_wait_for_helpers(world):
    core = world.core

    async def bot_replies():
        await asyncio.sleep(0.05)
        core.call("sendMessage", {"chat_id": world.alice["id"], "text": "klaar"})

    task = asyncio.create_task(bot_replies())
    message = await wait_for(core, lambda c: c.last_message(world.alice["id"]), timeout=2)
    assert message["text"] == "klaar"
    await task
    with pytest.raises(AssertionError) as info:
        await wait_for(core, lambda c: False, timeout=0.1, what="nothing")
    assert "nothing" in str(info.value) and "[privé Alice] Alice: /start welkom" in str(info.value)
    with pytest.raises(AssertionError):
        wait_for_sync(core, lambda c: c.last_message(world.bob["id"]), timeout=0.1)
    assert wait_for_sync(core, lambda c: c.sent_messages(), timeout=0.1)
