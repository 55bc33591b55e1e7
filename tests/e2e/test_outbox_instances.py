"""End to end (issue 15): two bot processes in webhook mode on one PostgreSQL database; the one that
holds the outbox's sender is killed (SIGKILL) while ballots wait for their answers. The other
takes over: every member gets their ballot once, and the token's limits hold overall (the fake
Bot API answers 429 beyond 30/s, 1/s per chat, 20/min per group)."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import OutboxMessage
from tests.conftest import _empty_postgres
from tests.e2e.balancer import Balancer
from tests.e2e.test_bot_process import free_port
from tests.e2e.test_scale_out import served, setup_group, start_instance  # noqa: F401 (fixture)

LEAD = "this instance sends the outbox"


def ballots_sent(core, person: dict) -> int:  # type: ignore[no-untyped-def]
    return sum(
        1
        for c in core.calls_of("sendMessage")
        if c.ok and str(c.params.get("chat_id")) == str(person["id"]) and "Stembiljet" in c.params.get("text", "")
    )


def test_the_sender_is_taken_over_when_its_instance_dies(served, postgres_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, server = served
    _empty_postgres(postgres_url)
    engine = create_engine(postgres_url)
    ports = [free_port(), free_port()]
    balancer = Balancer([f"http://127.0.0.1:{port}" for port in ports])
    hook = balancer.start() + "/telegram"
    first = start_instance(core, server, postgres_url, tmp_path / "a", hook=hook, port=ports[0])
    processes = [first]
    try:
        wait_for_sync(
            core,
            lambda c: LEAD in (tmp_path / "a" / "bot.log").read_text(),
            timeout=30,
            what="the first instance to send",
        )
        second = start_instance(core, server, postgres_url, tmp_path / "b", hook=hook, port=ports[1])
        processes.append(second)
        groups = [setup_group(core, engine, title) for title in ("Kopgroep Aalst", "Kopgroep Brugge")]
        assert LEAD not in (tmp_path / "b" / "bot.log").read_text()  # one sender at a time
        core.enforce_limits(per_second_overall=30, per_second_per_chat=1, per_minute_per_group=20)
        # Every ballot's answer is slow (and then lost): they are on their way when the sender dies.
        members = [person for _, people in groups for person in people.values()]
        for person in members:
            core.fail("sendMessage", chat_id=person["id"], kind="timeout", timeout_seconds=3.0, times=1)
        mark = len(core.calls)
        for group, people in groups:
            core.send_message(people["Anne"], group, "/stemronde")
        for group, _ in groups:
            wait_for_bot_message_sync(core, group["id"], contains="0 van 4 leden hebben gestemd", timeout=60)
        ids = {str(p["id"]) for p in members}
        wait_for_sync(
            core,
            lambda c: (
                len(
                    {
                        str(x.params.get("chat_id"))
                        for x in c.calls[mark:]
                        if x.method == "sendMessage" and str(x.params.get("chat_id")) in ids
                    }
                )
                == len(ids)
            ),
            timeout=60,
            what="the ballots on their way",
        )
        first.kill()  # SIGKILL while it holds the sender
        first.wait(10)
        processes.remove(first)
        wait_for_sync(
            core,
            lambda c: LEAD in (tmp_path / "b" / "bot.log").read_text(),
            timeout=30,
            what="the other instance to take over",
        )
        for person in members:
            wait_for_bot_message_sync(core, person["id"], contains="Stembiljet", timeout=60)
        with Session(engine) as session:
            wait_for_sync(
                core,
                lambda c: session.scalar(select(func.count()).select_from(OutboxMessage)) == 0,
                timeout=60,
                what="an empty outbox",
            )
        assert all(ballots_sent(core, person) == 1 for person in members)  # nothing sent twice
        refused = [c for c in core.calls if not c.ok and getattr(c.error, "error_code", None) == 429]
        assert refused == []  # the token's limits were kept, across both instances
    finally:
        for process in processes:
            process.kill()
            process.wait(10)
        balancer.stop()
        engine.dispose()
