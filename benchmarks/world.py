"""What every benchmark needs: a migrated database, the application in-process on the fake
Telegram, and groups with members and themes put straight into both (fast, so a thousand groups
take seconds, not the minutes the join conversation would)."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fake_telegram.core import FakeTelegram
from sqlalchemy import create_engine, event, insert, select, text, update
from telegram import Update
from telegram.request import BaseRequest

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Membership, Person, Theme, Trajectory, utcnow
from tests.harness import Harness

POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# A schema of its own, so a benchmark never touches the test schemas on the same server.
SCHEMA = os.environ.get("KOPGROEP_BENCH_SCHEMA", "kopgroep_bench")


@contextmanager
def database(kind: str) -> Iterator[Database]:
    """An empty, migrated database: a temporary SQLite file, or a fresh PostgreSQL schema."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
            upgrade(url)
            db = Database(url)
            try:
                yield db
            finally:
                db.dispose()
        return
    admin = create_engine(POSTGRES_SERVER)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    url = f"{POSTGRES_SERVER}{'&' if '?' in POSTGRES_SERVER else '?'}options=-csearch_path%3D{SCHEMA}"
    upgrade(url)
    db = Database(url)
    try:
        yield db
    finally:
        db.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


async def start_app(
    core: FakeTelegram, db: Database, *, rate_limiter: bool = False, request: BaseRequest | None = None
) -> Harness:
    """The real application (bot/app.py) on the in-process fake, as the tests drive it
    (``request``: the bot's request object, the fake's by default)."""
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application
    from tests.harness import make_settings

    app = build_application(
        make_settings(core, db.url),
        db=db,
        request=request or FakeTelegramRequest(core),
        updates_request=FakeTelegramRequest(core),
        rate_limiter=rate_limiter,
    )
    harness = Harness(core, app, db)
    await harness.start()
    return harness


@dataclass
class Group:
    chat: dict[str, Any]
    people: list[dict[str, Any]]  # the first one moderates
    trajectory_id: int
    theme_ids: list[int]


def populate(core: FakeTelegram, db: Database, groups: int, members: int, themes: int) -> list[Group]:
    """``groups`` registered groups, each with ``members`` joined members and ``themes`` themes."""
    made = []
    for g in range(groups):
        chat = core.add_group(f"Kopgroep {g}")
        core.set_bot_status(chat, "member")
        people = [core.add_user(f"Lid{g}x{i}") for i in range(members)]
        for i, person in enumerate(people):
            core.add_member(chat, person, "creator" if i == 0 else "member")
            core.chats[person["id"]].opened = True  # they started the bot when they joined
        made.append((chat, people))
    now = utcnow()

    def add(session) -> list[Group]:  # type: ignore[no-untyped-def]
        out = []
        for g, (chat, people) in enumerate(made):
            trajectory_id = session.execute(
                insert(Trajectory).values(
                    chat_id=chat["id"],
                    title=chat["title"],
                    organisation=f"Gemeente {g}",
                    language="nl",
                    timezone="Europe/Brussels",
                    join_token=f"bench-{g}-{chat['id']}",
                    phase="voting",
                    active=True,
                )
            ).inserted_primary_key[0]
            person_ids = [
                session.execute(
                    insert(Person).values(
                        telegram_id=p["id"],
                        first_name=p["first_name"],
                        reachable=True,
                        current_trajectory_id=trajectory_id,
                    )
                ).inserted_primary_key[0]
                for p in people
            ]
            session.execute(
                insert(Membership),
                [
                    {
                        "trajectory_id": trajectory_id,
                        "person_id": pid,
                        "role": "moderator" if i == 0 else "member",
                        "status": "joined",
                        "joined_at": now,
                    }
                    for i, pid in enumerate(person_ids)
                ],
            )
            theme_ids = [
                session.execute(
                    insert(Theme).values(
                        trajectory_id=trajectory_id,
                        position=i,
                        name=f"Thema {i}",
                        description=f"Uitleg bij thema {i}",
                        source="manual",
                        status="candidate",
                    )
                ).inserted_primary_key[0]
                for i in range(1, themes + 1)
            ]
            out.append(Group(chat, people, trajectory_id, theme_ids))
        return out

    return db.run_sync(add)


def take_update(harness: Harness) -> Update:
    """The one queued update, as the application would get it."""
    (data,) = harness.core.take_updates(offset=harness.offset, allowed_updates=list(Update.ALL_TYPES))
    harness.offset = data["update_id"] + 1
    return Update.de_json(data, harness.app.bot)


def ballot_of(core: FakeTelegram, user: dict) -> dict:
    """The member's latest ballot message (the one with vote buttons)."""
    for message in reversed(core.sent_messages(user["id"])):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if any(b.get("callback_data", "").startswith("vote:") for row in rows for b in row):
            return message
    raise AssertionError(f"{user['first_name']} has no ballot")


def round_of(ballot: dict) -> int:
    data = next(
        b["callback_data"]
        for row in ballot["reply_markup"]["inline_keyboard"]
        for b in row
        if b.get("callback_data", "").startswith("vote:")
    )
    return int(data.split(":")[1])


class StatementCounter:
    """Counts the SQL statements an engine executes while it is attached."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine
        self.count = 0

    def _seen(self, *args: object) -> None:
        self.count += 1

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values)


def add_reminders(db: Database, groups: list[Group], due: list[datetime]) -> int:
    """A dream-image collection in each group (its first 3 themes chosen), a session in 3 days,
    and one pending reminder per member, due at ``due[i]`` for the i-th reminder."""
    from storage.models import DreamCollection, Meeting, Reminder

    now = utcnow()

    def add(session) -> int:  # type: ignore[no-untyped-def]
        rows = []
        for group in groups:
            session.execute(update(Theme).where(Theme.id.in_(group.theme_ids[:3])).values(status="chosen"))
            session.execute(
                insert(DreamCollection).values(
                    trajectory_id=group.trajectory_id, started_at=now - timedelta(days=1), reminder_hours="72,24"
                )
            )
            meeting_id = session.execute(
                insert(Meeting).values(trajectory_id=group.trajectory_id, starts_at=now + timedelta(days=3))
            ).inserted_primary_key[0]
            person_ids = session.scalars(
                select(Person.id).where(Person.telegram_id.in_([p["id"] for p in group.people]))
            ).all()
            for person_id in person_ids:
                rows.append(
                    {
                        "trajectory_id": group.trajectory_id,
                        "meeting_id": meeting_id,
                        "person_id": person_id,
                        "kind": "auto",
                        "due_at": due[len(rows) % len(due)],
                        "state": "pending",
                        "created_at": now,
                    }
                )
        session.execute(insert(Reminder), rows)
        return len(rows)

    return db.run_sync(add)


@contextmanager
def bot_process(core: FakeTelegram, database_url: str) -> Iterator[tuple[Any, float]]:
    """The real bot process (``kopgroep run``) against the fake Bot API over HTTP on 127.0.0.1;
    yields it and the seconds it took from starting to ready (its first getUpdates)."""
    import time

    from fake_telegram.server import FakeTelegramServer
    from fake_telegram.waiting import wait_for_sync

    from tests.e2e.test_bot_process import start_bot, stop_bot

    server = FakeTelegramServer(core)
    base_url = server.start_in_thread()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        process = start_bot(core, base_url, database_url, Path(folder))
        # Ready when it asks for updates (and stopped before that, PTB would log a traceback).
        wait_for_sync(core, lambda c: bool(c.calls_of("getUpdates")), timeout=30, what="polling to start")
        ready = time.perf_counter() - start
        try:
            yield process, ready
        finally:
            stop_bot(process)
            server.stop_thread()


def process_memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, resident at its peak) of a process, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]
