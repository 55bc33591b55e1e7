"""The next-step card: /help for a moderator shows where the group is and the one next action."""

from __future__ import annotations

from storage import voting
from tests.conversations.voting_helpers import ballot_message, voting_group
from tests.harness import Harness


def buttons(message: dict) -> list[tuple[str, str]]:
    return [(b["text"], b.get("callback_data", "")) for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def card(harness: Harness, moderator: dict, group: dict) -> dict:
    await harness.say(moderator, group, "/help")
    found = harness.last_from_bot(group)
    assert "Volgende stap:" in found["text"]
    return found


async def test_the_card_follows_the_method_and_its_button_runs_the_step(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=4, themes=4)
    anne = people[0]

    # Themes are there (step 1 done): the next step is the session.
    shown = await card(harness, anne, group)
    assert "✅ 1." in shown["text"] and "👉 2." in shown["text"]
    (action, data), (_, everything) = buttons(shown)
    assert action == "▶️ Sessie openen" and data.endswith(":sessie")
    await harness.press(anne, shown, data)
    assert "sessie van" in harness.last_text(group)
    pressed = next(m for m in core.messages(group["id"]) if m["message_id"] == shown["message_id"])
    assert buttons(pressed) == []  # the card's buttons go once one is pressed: no double start

    # Skip to voting: the card offers to open a round, and the button sends every member a ballot.
    shown = await card(harness, anne, group)
    assert buttons(shown)[0][1].endswith(":dialoog")
    await harness.press(anne, shown, buttons(shown)[0][1])
    assert "Vraag 1" in harness.last_text(group)
    shown = await card(harness, anne, group)
    assert buttons(shown)[0] == ("⏭ Volgende vraag", buttons(shown)[0][1])
    await harness.say(anne, group, "/dialoog stop")
    shown = await card(harness, anne, group)
    assert buttons(shown)[0][1].endswith(":stemronde")
    await harness.press(anne, shown, buttons(shown)[0][1])
    for person in people:
        assert ballot_message(core, person)
    shown = await card(harness, anne, group)
    assert "stemronde 1 loopt nog" in shown["text"]
    assert buttons(shown)[0][1].endswith(":sluitronde")

    # The full list is one press away.
    await harness.press(anne, shown, everything)
    assert "/stemronde" in harness.last_text(group) and "/afsluiten" in harness.last_text(group)


async def test_a_member_cannot_run_the_moderators_button(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=4)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/sessie")
    await harness.say(anne, group, "/dialoog")
    await harness.say(anne, group, "/dialoog stop")
    shown = await card(harness, anne, group)
    data = buttons(shown)[0][1]
    assert data.endswith(":stemronde")
    await harness.press(bart, shown, data)
    assert core.callback_queries and any(
        q["user_id"] == bart["id"] and q["answered"] and q["answer"] and q["answer"].get("show_alert")
        for q in core.callback_queries.values()
    )
    trajectory_id = int(data.split(":")[1])
    assert await harness.db.run(voting.open_round_of, trajectory_id) is None
    # A forged press for another group, or an action the card never offers, runs nothing.
    for forged in (f"next:{trajectory_id + 1}:stemronde", f"next:{trajectory_id}:export"):
        await harness.forge_press(anne, shown, forged)
    assert await harness.db.run(voting.open_round_of, trajectory_id) is None
