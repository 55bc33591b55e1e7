"""Every kind of text input, tried with what people (and their phones) really send.

For each input site and each kind of bad input: nothing crashes, the bot answers with a clear
message in the user's language (valid for Telegram), and what was refused leaves the stored data
exactly as it was; what was accepted is stored as typed and shown escaped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from method.anonymity import open_reason, open_text
from storage.dialogue import _answer_context
from storage.models import Person
from tests.conversations.dream_helpers import dream_group, install_clock, latest_with
from tests.conversations.test_dialogue import send_sticker
from tests.conversations.voting_helpers import ballot_message, cast, round_id_of, voting_group
from tests.harness import Harness
from tests.reliability.test_fuzz import snapshot

HTML = "<b>vet</i> & <script>x</script>"
MARKDOWN = "*vet _schuin [link](http://x) `code`"
EMOJI_RTL = "🌱👩‍👩‍👧 مرحبا עברית"
CONTROL = "ab\x07\x1b\u202ecd"
# kind -> the text sent (None: a non-text message)
INPUTS = {
    "empty": "",
    "whitespace": "   \t  ",
    "huge": "woord " * 1700,  # 10,200 characters
    "html": HTML,
    "markdown": MARKDOWN,
    "control": CONTROL,
    "emoji_rtl": EMOJI_RTL,
    "sticker": None,
    "file": None,
    "unknown_command": "/onbestaand",
}
ACCEPTABLE = ("html", "markdown", "emoji_rtl", "control")


@dataclass
class Site:
    """Where a user types: ``prepare`` returns (sender, chat id, reply-to message id or None)."""

    prepare: Callable[[Harness, pytest.MonkeyPatch], Awaitable[tuple[dict, int, int | None]]]
    command: str | None = None  # the value follows this command (sites that take an argument)
    accepts: tuple[str, ...] = ACCEPTABLE  # kinds the site takes as valid input
    again: Callable[[Harness, dict, int], Awaitable[int]] | None = None  # asks the question anew
    quiet_when_accepted: bool = False  # an answer in the group is taken without a message


async def _ask_organisation_again(harness: Harness, sender: dict, chat_id: int) -> int:
    await harness.say(sender, chat_id, "/organisatie")
    return harness.last_from_bot(chat_id)["message_id"]


async def _ask_reason_again(harness: Harness, sender: dict, chat_id: int) -> int:
    ballot = ballot_message(harness.core, sender)
    round_id = round_id_of(ballot)
    theme_id = int(
        next(
            b["callback_data"]
            for row in ballot["reply_markup"]["inline_keyboard"]
            for b in row
            if b.get("callback_data", "").startswith("vote:")
        ).split(":")[2]
    )
    await harness.press(sender, ballot, f"vwhy:{round_id}")
    await harness.press(sender, ballot, f"vwhy:{round_id}:{theme_id}")
    return harness.last_from_bot(chat_id)["message_id"]


async def _group_moderator(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int | None]:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    return people[0], group["id"], None


async def _organisation_question(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int | None]:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/organisatie")
    return people[0], group["id"], harness.last_from_bot(group)["message_id"]


async def _anonymous_dialogue(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int | None]:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/dialoog anoniem")
    return people[1], people[1]["id"], None


async def _open_dialogue(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int | None]:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/dialoog")
    return people[1], group["id"], harness.last_from_bot(group)["message_id"]


async def _dream_image(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int | None]:
    install_clock(monkeypatch)
    group, people, themes, trajectory_id = await dream_group(harness, members=3)
    await harness.say(people[0], group, "/droombeelden")
    data = f"dth:{trajectory_id}:{themes[0]}"
    await harness.press(people[1], latest_with(harness.core, people[1]["id"], data), data)
    return people[1], people[1]["id"], None


async def _ballot_reason(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int | None]:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    bart = people[1]
    await harness.say(people[0], group, "/stemronde")
    await cast(harness, bart, {themes[0]: 3}, submit=False)
    ballot = ballot_message(harness.core, bart)
    round_id = round_id_of(ballot)
    await harness.press(bart, ballot, f"vwhy:{round_id}")
    await harness.press(bart, ballot, f"vwhy:{round_id}:{themes[0]}")
    return bart, bart["id"], harness.last_from_bot(bart["id"])["message_id"]


async def _next_session(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int | None]:
    install_clock(monkeypatch)
    group, people, _, _ = await dream_group(harness, members=2)
    return people[0], group["id"], None


SITES = {
    "theme_name": Site(_group_moderator, "/thema nieuw"),
    "theme_description": Site(_group_moderator, "/thema beschrijf 1"),
    "organisation_command": Site(_group_moderator, "/organisatie"),
    "organisation_reply": Site(_organisation_question, again=_ask_organisation_again),
    "glossary": Site(_group_moderator, "/begrip duurzaamheid ="),
    "note": Site(_group_moderator, "/notitie sterktes"),
    "question": Site(_group_moderator, "/vragen nieuw"),
    "round_deadline": Site(_group_moderator, "/stemronde tot", accepts=()),
    "next_session_date": Site(_next_session, "/volgendesessie", accepts=()),
    "anonymous_answer": Site(_anonymous_dialogue),
    "open_answer": Site(_open_dialogue, quiet_when_accepted=True),
    "dream_image": Site(_dream_image),
    "ballot_reason": Site(_ballot_reason, again=_ask_reason_again),
}


def _stored_strings(snap: dict[str, list[tuple]], key: bytes, telegram: dict[int, int]) -> set[str]:
    """Every text stored. An anonymous answer waits sealed until /volgende, a reason until the
    round closes: those are opened with the bot's secret (``telegram``: person id -> Telegram id)."""
    found = {value for rows in snap.values() for row in rows for value in row if isinstance(value, str)}
    for answer_id, _, _, person_id, sealed in snap.get("anonymous_answer", []):
        found.add(open_text(key, _answer_context(answer_id, person_id), sealed) or "")
    for round_id, person_id, theme_id, _, reason in snap.get("draft_score", []):
        found.add(open_reason(key, round_id, telegram[person_id], theme_id, reason) or "")
    return found


@pytest.mark.parametrize("site_name", list(SITES))
async def test_bad_input_everywhere(harness: Harness, monkeypatch: pytest.MonkeyPatch, site_name: str) -> None:
    site = SITES[site_name]
    core = harness.core
    sender, chat_id, reply_to = await site.prepare(harness, monkeypatch)
    for kind, value in INPUTS.items():
        if site.command is not None and kind in ("sticker", "file"):
            continue  # a command's argument is text by nature
        before = await snapshot(harness)
        said = len(harness.bot_texts(chat_id))
        if kind == "sticker":
            send_sticker(core, sender, chat_id, reply_to=reply_to)
        elif kind == "file":
            core.send_document(
                sender, chat_id, "antwoord.pdf", b"%PDF-1.4 nothing", "application/pdf", reply_to_message_id=reply_to
            )
        elif kind == "unknown_command":
            core.send_message(sender, chat_id, value, reply_to_message_id=reply_to)
        else:
            assert value is not None
            typed = f"{site.command} {value}" if site.command else value
            if not typed.strip():
                continue  # Telegram does not send an empty message
            core.send_message(sender, chat_id, typed[:4096], reply_to_message_id=reply_to)
        await harness.run()
        assert not harness.errors, f"{site_name}/{kind}: {harness.errors[0]!r}"
        assert all(c.ok for c in core.calls_of("sendMessage")), f"{site_name}/{kind}: a message Telegram refuses"
        after = await snapshot(harness)
        answered = harness.bot_texts(chat_id)[said:]
        # The group is not spammed: an unknown command or an accepted open answer gets no message.
        quiet = chat_id < 0 and (kind == "unknown_command" or (site.quiet_when_accepted and kind in site.accepts))
        assert answered or quiet, f"{site_name}/{kind}: no answer"
        assert "Traceback" not in " ".join(answered) and "Error" not in " ".join(answered)
        if kind in site.accepts:
            key = harness.app.bot_data["services"].ballot_key
            telegram = dict(await harness.db.run(lambda s: s.execute(select(Person.id, Person.telegram_id)).all()))
            new = _stored_strings(after, key, telegram) - _stored_strings(before, key, telegram)
            expected = {"control": "ab" + "cd"}.get(kind, value)
            assert any(expected in text for text in new), f"{site_name}/{kind}: not stored as typed ({new})"
            if site.again is not None:
                reply_to = await site.again(harness, sender, chat_id)
        elif site.command is not None and kind in ("empty", "whitespace"):
            # A command without its argument explains itself or asks for it; nothing else changes.
            assert {k: v for k, v in after.items() if k != "prompt"} == {
                k: v for k, v in before.items() if k != "prompt"
            }, f"{site_name}/{kind}: a bare command changed the stored data"
        else:
            assert after == before, f"{site_name}/{kind}: refused input changed the stored data"
