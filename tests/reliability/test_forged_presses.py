"""Buttons of another group, pressed by a moderator of this one: refused with a short answer, nothing changes.

The voting tests forge ballot presses (another member, another round, a closed round, a theme not
in play); these cover the moderator's buttons across groups, which a replayed or modified client
could send from a chat where the presser does have rights.
"""

from __future__ import annotations

from tests.conversations.voting_helpers import voting_group
from tests.harness import Harness
from tests.reliability.events_helpers import trajectory_of
from tests.reliability.test_fuzz import snapshot


async def test_moderator_buttons_of_another_group_are_refused(harness: Harness) -> None:
    core = harness.core
    group_a, people_a, _ = await voting_group(harness, members=3, themes=4)
    group_b, people_b, themes_b = await voting_group(harness, members=3, themes=4)
    await harness.say(people_b[0], group_b, "/stemronde")
    b = await trajectory_of(harness, group_b)
    round_b = int(
        core.sent_messages(people_b[1]["id"])[-1]["reply_markup"]["inline_keyboard"][0][1]["callback_data"].split(":")[
            1
        ]
    )
    anne = people_a[0]  # moderator of A, not of B
    in_a = core.sent_messages(group_a["id"])[-1]
    in_private = core.sent_messages(anne["id"])[-1]
    forged = [
        (in_a, f"cat:{b.id}:sdg"),
        (in_a, f"thm:{b.id}:{themes_b[0]}:del"),
        (in_a, f"thm:{b.id}:{themes_b[0]}:yes"),
        (in_a, f"sdg:{b.id}:{themes_b[0]}:5"),
        (in_a, f"rclose:{round_b}:force"),
        (in_a, f"rclose:{round_b}:extend"),
        (in_a, f"mod:{b.id}:{anne['id']}"),
        (in_a, f"lang:g{b.id}:en"),
        (in_private, f"dlg:{b.id}:1:invite"),
        (in_private, f"dpub:{b.id}:ok"),
        (in_private, f"dpv:{b.id}:1"),
        (in_private, f"dth:{b.id}:{themes_b[0]}"),
        (in_private, f"vote:{round_b}:{themes_b[0]}:3"),
        (in_private, f"vsubmit:{round_b}"),
    ]
    before = await snapshot(harness)
    sent_before = len(core.calls_of("sendMessage"))
    for message, data in forged:
        query_id = await harness.forge_press(anne, message, data)
        answer = core.callback_queries[query_id]["answer"]
        assert answer is not None and answer.get("text"), f"{data}: no short answer"
        assert len(answer["text"]) <= 200
    assert await snapshot(harness) == before
    # Nothing was posted anywhere (a refusal is the pop-up, not a message in a group).
    assert not [c for c in core.calls_of("sendMessage")[sent_before:] if c.params["chat_id"] == group_b["id"]]
    assert not harness.errors


async def test_buttons_that_only_take_the_keyboard_away_are_harmless_on_a_message_without_one(
    harness: Harness,
) -> None:
    """'Cancel' (dcan) and 'pause' (gp) answer and take the buttons off; pressed on a message
    that has none (a replay, a second tap), Telegram refuses the edit and that is no failure
    (found by test_fuzz)."""
    core = harness.core
    _, people, _ = await voting_group(harness, members=3, themes=4)
    bart = people[1]
    await harness.say(bart, bart["id"], "/help")
    plain = core.sent_messages(bart["id"])[-1]
    assert not plain.get("reply_markup")
    for data in ("dcan:0", "gp:0"):
        query_id = await harness.forge_press(bart, plain, data)
        assert core.callback_queries[query_id]["answered"], data
    assert not harness.errors
