"""Error injection and flood limits."""

from __future__ import annotations

import pytest
from fake_telegram import ApiError, FakeTimeout


def send(world, chat=None, text="x"):
    return world.core.call("sendMessage", {"chat_id": chat or world.alice["id"], "text": text})


def test_429_fault(world):
    fault = world.core.fail("sendMessage", kind="429", retry_after=3)
    with pytest.raises(ApiError) as info:
        send(world)
    assert info.value.error_code == 429
    assert info.value.description == "Too Many Requests: retry after 3"
    assert info.value.parameters == {"retry_after": 3}
    assert info.value.to_json()["parameters"] == {"retry_after": 3}
    assert fault.remaining == 0 and fault.hits == 1
    assert send(world)["text"] == "x"  # times=1: only once
    assert len(world.core.sent_messages(world.alice["id"])) == 1


@pytest.mark.parametrize(
    ("kind", "code", "description"),
    [("500", 500, "Internal Server Error"), ("403", 403, "Forbidden: bot was blocked by the user")],
)
def test_500_and_403_faults(world, kind, code, description):
    world.core.fail("sendMessage", kind=kind, times=2)
    for _ in range(2):
        with pytest.raises(ApiError) as info:
            send(world)
        assert (info.value.error_code, info.value.description) == (code, description)
    send(world)


def test_timeout_fault_not_executed(world):
    world.core.fail("sendMessage", kind="timeout", timeout_seconds=2.5)
    with pytest.raises(FakeTimeout) as info:
        send(world)
    assert info.value.seconds == 2.5 and info.value.executed is False
    assert world.core.sent_messages() == []


def test_timeout_fault_executed(world):
    world.core.fail("sendMessage", kind="timeout", executed=True)
    with pytest.raises(FakeTimeout) as info:
        send(world, text="toch verstuurd")
    assert info.value.result["text"] == "toch verstuurd"
    assert [m["text"] for m in world.core.sent_messages()] == ["toch verstuurd"]


def test_fault_matching(world):
    core = world.core
    core.fail(kind="500", chat_id=world.group["id"], times=None)
    assert core.call("getUpdates", {}) == []  # method=None never hits getUpdates
    send(world)  # other chat
    for _ in range(3):
        with pytest.raises(ApiError):
            send(world, chat=world.group["id"])
    with pytest.raises(ApiError):
        core.call("sendChatAction", {"chat_id": str(world.group["id"]), "action": "typing"})
    core.clear_faults()
    send(world, chat=world.group["id"])
    core.fail("getUpdates", kind="429")
    with pytest.raises(ApiError):
        core.call("getUpdates", {})
    with pytest.raises(ValueError):
        core.fail(kind="418")


def test_invalid_calls_are_refused_before_faults(world):
    fault = world.core.fail("sendMessage", kind="429")
    with pytest.raises(ApiError) as info:
        world.core.call("sendMessage", {"chat_id": world.alice["id"]})
    assert info.value.error_code == 400 and fault.hits == 0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_per_chat_limit(world):
    clock = Clock()
    world.core.enforce_limits(clock=clock)
    send(world)
    with pytest.raises(ApiError) as info:
        send(world)
    assert info.value.error_code == 429 and info.value.parameters == {"retry_after": 1}
    clock.now += 1.01
    send(world)
    world.core.disable_limits()
    send(world)
    send(world)


def test_group_per_minute_limit(world):
    clock = Clock()
    world.core.enforce_limits(per_second_per_chat=100, per_minute_per_group=20, clock=clock)
    for _ in range(20):
        send(world, chat=world.group["id"])
        clock.now += 0.5
    with pytest.raises(ApiError) as info:
        send(world, chat=world.group["id"])
    assert 40 <= info.value.parameters["retry_after"] <= 51
    send(world)  # private chats are not limited per minute
    clock.now += 60
    send(world, chat=world.group["id"])


def test_overall_limit(world):
    clock = Clock()
    world.core.enforce_limits(per_second_overall=3, clock=clock)
    users = [world.core.add_user(f"U{i}") for i in range(4)]
    for user in users:
        world.core.send_message(user, user, "/start")
    for user in users[:3]:
        send(world, chat=user["id"])
    with pytest.raises(ApiError) as info:
        send(world, chat=users[3]["id"])
    assert info.value.error_code == 429
    clock.now += 1.5
    send(world, chat=users[3]["id"])
