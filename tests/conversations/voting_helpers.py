"""Shared steps for the voting tests: a group with joined members, themes, casting a ballot."""

from __future__ import annotations

from fake_telegram.core import FakeTelegram

from storage import trajectories
from storage.models import Theme, ThemeSdg
from tests.harness import Harness

NAMES = ["Anne", "Bart", "Chris", "Dirk", "Els", "Fien", "Gert", "Hanne", "Ilse"]


async def voting_group(harness: Harness, members: int = 7, themes: int = 6, *, language: str = "nl") -> tuple[dict, list[dict], list[int]]:
    """A registered group; ``members`` people joined (the first is the moderator); themes #1..#n."""
    core = harness.core
    group = core.add_group("Kopgroep MVO")
    people = [core.add_user(NAMES[i]) for i in range(members)]
    for index, person in enumerate(people):
        core.add_member(group, person, "creator" if index == 0 else "member")
    await harness.add_bot(group, people[0])
    await harness.say(people[0], group, "/organisatie Gemeente Zottegem")
    if language != "nl":
        await harness.say(people[0], group, f"/taal {language}")
    welcome = core.sent_messages(group["id"])[0]
    for person in people:
        await harness.follow_join_button(person, welcome)
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None

    def add(session) -> list[int]:  # type: ignore[no-untyped-def]
        rows = [Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", description=f"Uitleg {i}", source="manual") for i in range(1, themes + 1)]
        session.add_all(rows)
        session.flush()
        session.add(ThemeSdg(theme_id=rows[0].id, sdg=12))
        return [row.id for row in rows]

    theme_ids = await harness.db.run(add)
    return group, people, theme_ids


def ballot_message(core: FakeTelegram, user: dict) -> dict:
    """The member's latest ballot message (the one with vote buttons)."""
    for message in reversed(core.sent_messages(user["id"])):
        buttons = [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
        if any(b.get("callback_data", "").startswith("vote:") for b in buttons):
            return message
    raise AssertionError(f"{user['first_name']} has no ballot")


def round_id_of(message: dict) -> int:
    data = next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row if b.get("callback_data", "").startswith("vote:"))
    return int(data.split(":")[1])


async def cast(harness: Harness, user: dict, scores: dict[int, int], *, submit: bool = True) -> None:
    """Press a score for each theme on the member's ballot, then (optionally) submit."""
    message = ballot_message(harness.core, user)
    round_id = round_id_of(message)
    for theme_id, score in scores.items():
        await harness.press(user, ballot_message(harness.core, user), f"vote:{round_id}:{theme_id}:{score}")
    if submit:
        await harness.press(user, ballot_message(harness.core, user), f"vsubmit:{round_id}")
