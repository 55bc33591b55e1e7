"""A restart in the middle of anything: what was answered stays, and the member goes on where they were.

Each test builds a second application on the same database (tests/reliability/events_helpers.restart).
"""

from __future__ import annotations

import pytest

from storage import ballots, voting
from tests.conversations.dream_helpers import Clock, dream_group, install_clock, latest_with, write
from tests.conversations.voting_helpers import ballot_message, cast, round_id_of, voting_group
from tests.harness import Harness
from tests.reliability.events_helpers import restart


async def test_a_half_filled_ballot_survives_and_is_finished_after_a_restart(harness: Harness) -> None:
    core = harness.core
    group, people, themes = await voting_group(harness, members=3, themes=4)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/stemronde")
    round_id = round_id_of(ballot_message(core, bart))
    await cast(harness, bart, {themes[0]: 3, themes[1]: 1}, submit=False)
    # Bart asked to give a reason: the bot waits for his answer when it goes down.
    ballot = ballot_message(core, bart)
    await harness.press(bart, ballot, f"vwhy:{round_id}")
    await harness.press(bart, ballot, f"vwhy:{round_id}:{themes[0]}")
    question = harness.last_from_bot(bart["id"])

    await restart(harness)

    key = harness.app.bot_data["services"].ballot_key
    view = await harness.db.run_short(ballots.ballot_view, round_id, bart["id"], key)
    assert view is not None and view.scores == {themes[0]: 3, themes[1]: 1} and not view.submitted
    await harness.say(bart, bart["id"], "Dichtbij de burger", reply_to=question["message_id"])
    assert harness.last_text(bart["id"]).startswith("Genoteerd.")
    # The buttons of the message sent before the restart still work.
    await harness.press(bart, ballot_message(core, bart), f"vote:{round_id}:{themes[2]}:2")
    await harness.press(bart, ballot_message(core, bart), f"vote:{round_id}:{themes[3]}:2")
    await harness.press(bart, ballot_message(core, bart), f"vsubmit:{round_id}")
    view = await harness.db.run_short(ballots.ballot_view, round_id, bart["id"], key)
    assert view is not None and view.submitted and len(view.scores) == 4
    assert view.reasons == {themes[0]: "Dichtbij de burger"}
    assert await harness.db.run(voting.progress, round_id) == (1, 3)


async def test_a_dream_image_typed_across_a_restart_lands_under_the_theme_pressed(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock: Clock = install_clock(monkeypatch)
    assert clock is not None
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=3)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/droombeelden")
    await write(harness, bart, trajectory_id, themes[0], "Een eerste droom")
    # Bart presses the second theme; the bot restarts before he sends his text.
    data = f"dth:{trajectory_id}:{themes[1]}"
    await harness.press(bart, latest_with(core, bart["id"], data), data)

    await restart(harness)

    await harness.say(bart, bart["id"], "Een tweede droom, na de herstart")
    assert "Genoteerd bij Thema 2 (1 droombeeld)" in harness.last_text(bart["id"])
    from tests.conversations.test_dreams import own_images

    images = await own_images(harness, bart)
    assert [(i.theme_id, i.text) for i in images] == [
        (themes[0], "Een eerste droom"),
        (themes[1], "Een tweede droom, na de herstart"),
    ]


async def test_an_open_question_to_the_moderator_survives_a_restart(harness: Harness) -> None:
    core = harness.core
    group = core.add_group("Kopgroep")
    anne = core.add_user("Anne")
    core.add_member(group, anne, "creator")
    await harness.add_bot(group, anne)
    question = harness.last_from_bot(group)  # "what is the organisation's name?"

    await restart(harness)

    await harness.say(anne, group, "Gemeente Zottegem", reply_to=question["message_id"])
    assert "Gemeente Zottegem" in harness.last_text(group)
