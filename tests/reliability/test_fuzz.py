"""Property-based fuzzing: random updates, well-formed and odd, through the whole application.

Each example is a short sequence of updates against one group with a voting round and an
anonymous dialogue open. Whatever arrives, no handler fails (the harness re-raises any error),
every message the bot sends is valid for Telegram (the fake refuses bad HTML), every button press
gets an answer, and updates that must be refused (presses and commands from outsiders or plain
members, unknown commands) leave the domain tables exactly as they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram import Update

from bot.menus import MODERATOR, PRIVATE
from storage.models import (
    AnonymousAnswer,
    AnswerCount,
    Ballot,
    Contribution,
    DraftScore,
    DreamImage,
    GlossaryTerm,
    Meeting,
    Prompt,
    Question,
    Score,
    Theme,
    Trajectory,
    TrajectoryNote,
    VotingRound,
)
from tests.conversations.voting_helpers import voting_group
from tests.harness import Harness

# Domain data a refused update must not touch (people and memberships are noted on every update).
DOMAIN = (
    Trajectory,
    Theme,
    VotingRound,
    Ballot,
    Score,
    Contribution,
    GlossaryTerm,
    Meeting,
    TrajectoryNote,
    Prompt,
    Question,
    DreamImage,
    DraftScore,
    AnonymousAnswer,
    AnswerCount,
)
PREFIXES = (
    "mod",
    "lang",
    "grp",
    "dlg",
    "dth",
    "dall",
    "ddone",
    "ded",
    "ddel",
    "dcan",
    "ddoc",
    "dpp",
    "dpv",
    "dpub",
    "cat",
    "thm",
    "sdg",
    "vote",
    "vinfo",
    "vpage",
    "vsubmit",
    "vwhy",
    "vback",
    "rclose",
    "zzz",
)
MODERATOR_ONLY = tuple(
    c
    for c in MODERATOR
    if c
    not in ("help", "leden", "uitnodiging", "themas", "thema", "stemregel", "uitslag", "geparkeerd", "vragen", "begrip")
)
NASTY = st.sampled_from(
    [
        "",
        "   \n\t ",
        "x" * 10_000,
        "<b>vet</i> & <script>alert(1)</script>",
        "*vet _schuin [link](http://x) `code` ~~",
        "\x00\x07\x1b[31m\u202egeheim\u202c",
        "🌱👩‍👩‍👧‍👦 مرحبا بالعالم עברית",
        "10 december 14u",
        "gisteren",
        "31/02",
        "3 = uitleg",
        "1, 2, 99",
        "&amp; &lt;b&gt;",
        "\ud7ff\ue000",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=300), st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
IDS = st.one_of(st.integers(0, 12), st.integers(-(2**40), 2**63 - 1))


def callback_data() -> st.SearchStrategy[str]:
    """Data of our own shapes with random numbers, and plain garbage (64 bytes at most, as Telegram allows)."""
    shaped = st.builds(
        lambda prefix, parts: ":".join([prefix, *map(str, parts)]),
        st.sampled_from(PREFIXES),
        st.lists(
            st.one_of(IDS, st.sampled_from(["1", "2", "3", "force", "extend", "ok", "y", "n", "nl", "en", "p"])),
            max_size=3,
        ),
    )
    garbage = st.text(max_size=64)
    return st.one_of(shaped, garbage).filter(lambda d: len(d.encode("utf-8")) <= 64)


def commands(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.builds(lambda n, arg: f"/{n} {arg}".rstrip(), st.sampled_from(names), st.one_of(st.just(""), TEXT))


async def snapshot(harness: Harness) -> dict[str, list[tuple]]:
    def read(session) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
        found = {}
        for model in DOMAIN:
            columns = [c for c in model.__table__.columns]
            rows = session.execute(select(*columns).order_by(*model.__table__.primary_key.columns)).all()
            found[model.__tablename__] = [tuple(row) for row in rows]
        return found

    return await harness.db.run(read)


class World:
    """The group, its people, and a few bot messages whose buttons can be pressed (or forged)."""

    def __init__(self, harness: Harness, group: dict, people: list[dict], outsider: dict) -> None:
        self.harness, self.group, self.people, self.outsider = harness, group, people, outsider

    @property
    def moderator(self) -> dict:
        return self.people[0]

    def message_in(self, chat_id: int) -> dict:
        sent = self.harness.core.sent_messages(chat_id)
        assert sent
        return sent[-1]


@pytest.fixture
async def world(harness: Harness) -> World:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/stemronde")
    await harness.say(people[0], group, "/dialoog anoniem")
    outsider = harness.core.add_user("Olga", username=None, language_code="en")
    await harness.say(outsider, outsider["id"], "/start")
    return World(harness, group, people, outsider)


# One step: (kind, who, what). Refused kinds must leave the domain tables unchanged.
REFUSED = ("forged_by_outsider", "unknown_command", "moderator_command_by_member", "outsider_private_text")
STEPS = st.one_of(
    st.tuples(st.just("forged_by_outsider"), st.just("outsider"), callback_data()),
    st.tuples(
        st.just("unknown_command"),
        st.sampled_from(["moderator", "member", "outsider"]),
        st.from_regex(r"/[a-z]{1,12}", fullmatch=True).filter(lambda c: c[1:] not in MODERATOR + PRIVATE + ("start",)),
    ),
    st.tuples(st.just("moderator_command_by_member"), st.just("member"), commands(MODERATOR_ONLY)),
    st.tuples(st.just("outsider_private_text"), st.just("outsider"), TEXT.filter(lambda t: not t.startswith("/"))),
    st.tuples(st.just("press_by_member"), st.sampled_from(["moderator", "member"]), callback_data()),
    st.tuples(st.just("private_text"), st.sampled_from(["moderator", "member"]), TEXT),
    st.tuples(st.just("group_command"), st.sampled_from(["moderator", "member"]), commands(MODERATOR)),
    st.tuples(st.just("private_command"), st.sampled_from(["moderator", "member"]), commands(PRIVATE)),
    st.tuples(
        st.just("odd_message"),
        st.sampled_from(["moderator", "member"]),
        st.sampled_from(
            ["sticker", "document", "empty", "no_sender", "edited", "reply_to_question", "inline_press", "game_press"]
        ),
    ),
)


async def run_step(world: World, kind: str, who: str, what: Any) -> None:
    harness = world.harness
    user = {"moderator": world.moderator, "member": world.people[1], "outsider": world.outsider}[who]
    group = world.group
    if kind in ("forged_by_outsider", "press_by_member"):
        chat = user["id"] if kind == "forged_by_outsider" or len(what) % 2 else group["id"]
        await harness.forge_press(user, world.message_in(chat), what)
    elif kind == "unknown_command":
        await harness.say(user, user["id"] if who == "outsider" else group, what)
    elif kind in ("moderator_command_by_member", "group_command"):
        await harness.say(user, group, what[:4096])
    elif kind in ("outsider_private_text", "private_text", "private_command"):
        if what.strip():
            await harness.say(user, user["id"], what[:4096])
    elif kind == "odd_message":
        await odd_message(world, user, what)


async def odd_message(world: World, user: dict, what: str) -> None:
    harness, core, group = world.harness, world.harness.core, world.group
    if what == "sticker":
        from tests.conversations.test_dialogue import send_sticker

        send_sticker(core, user, user["id"])
        await harness.run()
    elif what == "document":
        core.send_document(user, user["id"], "scan.xlsx", b"PK\x03\x04 not really", "application/vnd.ms-excel")
        await harness.run()
    elif what == "empty":
        raw = {
            "message_id": 1,
            "date": 0,
            "chat": {"id": user["id"], "type": "private", "first_name": "x"},
            "from": user,
        }
        await harness.app.process_update(Update.de_json({"update_id": 2, "message": raw}, harness.app.bot))
    elif what == "no_sender":
        raw = {
            "message_id": 2,
            "date": 0,
            "chat": group,
            "sender_chat": group,
            "text": "/themas",
            "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
        }
        await harness.app.process_update(Update.de_json({"update_id": 3, "message": raw}, harness.app.bot))
    elif what == "edited":
        await harness.say(user, user["id"], "iets")
        mine = [m for m in core.messages(user["id"]) if m.get("from", {}).get("id") == user["id"] and "text" in m]
        core.edit_message(user, mine[-1], "iets anders")
        await harness.run()
    elif what in ("inline_press", "game_press"):
        query_id = f"odd-{len(core.callback_queries) + 1}"
        core.callback_queries[query_id] = {
            "answered": False,
            "chat_id": user["id"],
            "user_id": user["id"],
            "answer": None,
        }
        raw: dict[str, Any] = {"id": query_id, "from": user, "chat_instance": "1"}
        if what == "inline_press":
            raw.update(inline_message_id="inline-1", data="vsubmit:1")
        else:
            raw.update(message=world.message_in(group["id"]), game_short_name="kopgroep")
        await harness.app.process_update(Update.de_json({"update_id": 4, "callback_query": raw}, harness.app.bot))
    elif what == "reply_to_question":
        question = core.sent_messages(group["id"])[-1]
        await harness.say(user, group, "🌱 <i>antwoord</i>", reply_to=question["message_id"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=4))
async def test_random_updates_never_crash_and_refusals_change_nothing(world: World, steps: list) -> None:
    harness = world.harness
    harness.errors.clear()  # a failing example is replayed while shrinking: start clean each time
    for kind, who, what in steps:
        before = await snapshot(harness) if kind in REFUSED else None
        await run_step(world, kind, who, what)
        assert not harness.errors, f"{kind} {what!r} failed: {harness.errors[0]!r}"
        if before is not None:
            assert await snapshot(harness) == before, f"refused {kind} {what!r} changed the database"
    assert all(c.ok for c in harness.core.calls_of("sendMessage")), "the bot sent a message Telegram refuses"
    assert all(q["answered"] for q in harness.core.callback_queries.values()), "a button press was left spinning"
