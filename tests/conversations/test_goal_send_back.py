"""The SMART check decides (issue 18): a goal answered with "-" and "iedereen" is flagged, the
moderator sees why and sends it back; the author gets the points privately and reworks it; only an
approved goal without flags counts as ready, in /doelen and in the report (both languages)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.documents.report.markdown import build_markdown
from storage.models import Goal
from tests.conversations.dream_helpers import buttons, data_of, dream_group, latest_with_prefix
from tests.conversations.test_goals import GOOD, answer, open_goal
from tests.harness import Harness
from tests.report.test_report_builders import TEXTS, full

WEAK = [GOOD[0], "-", "-", "-", "iedereen", GOOD[5], GOOD[6], "-"]


async def goal_rows(harness: Harness) -> list[Goal]:
    return await harness.db.run(lambda s: list(s.scalars(select(Goal).order_by(Goal.id))))


async def test_a_flagged_goal_goes_back_to_its_author_and_returns_smart(harness: Harness) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=3)
    anne, bart, chris = people
    await open_goal(harness, bart, group, "Thema 1")
    await answer(harness, bart, *WEAK)
    summary = harness.last_from_bot(bart["id"])
    await harness.press(bart, summary, data_of(summary, "gs:")[0])
    (goal,) = await goal_rows(harness)
    assert goal.status == "proposed"

    proposal = latest_with_prefix(core, anne["id"], "gd:")
    assert "telt het doel niet als klaar" in proposal["text"] and "Eigenaar te vaag" in proposal["text"]
    assert data_of(proposal, "gd:") == [
        f"gd:{goal.id}:back",
        f"gd:{goal.id}:ok",
        f"gd:{goal.id}:edit",
        f"gd:{goal.id}:drop",
    ]
    assert [b["text"] for b in buttons(proposal)][:2] == ["↩️ Terugsturen naar Bart", "✅ Toch goedkeuren"]

    # Another member cannot send it back, not even with a forged press.
    query = await harness.forge_press(chris, core.sent_messages(chris["id"])[-1], f"gd:{goal.id}:back")
    assert core.callback_queries[query]["answer"]["text"] == "Dat kan jij niet doen met dit doel."
    assert (await goal_rows(harness))[0].status == "proposed"

    await harness.press(anne, proposal, f"gd:{goal.id}:back")
    assert "de auteur kreeg de punten hierboven privé" in harness.last_text(anne["id"])
    returned = harness.last_from_bot(bart["id"])
    assert returned["text"].startswith("↩️ De moderator stuurt je doel #1 voor Thema 1 terug")
    assert "Geen getal" in returned["text"] and "Eigenaar te vaag" in returned["text"]
    # Letters and submit; no "throw away" for a goal the group has seen.
    assert data_of(returned, "gl:") == [f"gl:{goal.id}:{letter}" for letter in "SMART"]
    assert data_of(returned, "gx:") == []
    (row,) = await goal_rows(harness)
    assert (row.status, row.returned_at is not None, row.decided_at) == ("draft", True, None)
    query = await harness.forge_press(bart, returned, f"gx:{goal.id}")
    assert (await goal_rows(harness))[0].status == "draft"
    # A replayed press on the old proposal does nothing more.
    query = await harness.forge_press(anne, proposal, f"gd:{goal.id}:back")
    assert core.callback_queries[query]["answer"]["text"] == "Over dat doel werd al beslist."

    await harness.say(chris, group, "/doelen")
    assert "#1 ↩️ Meer medewerkers komen met de fiets naar het werk · teruggestuurd" in harness.last_text(group)

    # Bart reworks M and A, and submits again: no flags, approved, counted as ready.
    await harness.press(bart, returned, f"gl:{goal.id}:M")
    await answer(harness, bart, GOOD[1], GOOD[2], GOOD[3])
    await harness.press(bart, harness.last_from_bot(bart["id"]), f"gl:{goal.id}:A")
    await answer(harness, bart, GOOD[4])
    summary = harness.last_from_bot(bart["id"])
    await harness.press(bart, summary, f"gl:{goal.id}:T")
    await answer(harness, bart, GOOD[6], GOOD[7])
    summary = harness.last_from_bot(bart["id"])
    assert "✓ De SMART-check vindt niets meer." in summary["text"]
    await harness.press(bart, summary, f"gs:{goal.id}")
    proposal = latest_with_prefix(core, anne["id"], "gd:")
    assert data_of(proposal, "gd:") == [f"gd:{goal.id}:ok", f"gd:{goal.id}:edit", f"gd:{goal.id}:drop"]
    await harness.press(anne, proposal, f"gd:{goal.id}:ok")
    (row,) = await goal_rows(harness)
    assert (row.status, row.returned_at, row.flags) == ("approved", None, "[]")
    await harness.say(chris, group, "/doelen")
    assert "#1 ✅ Meer medewerkers komen met de fiets naar het werk · goedgekeurd · SMART ✓" in harness.last_text(group)


async def test_approved_anyway_is_not_ready(harness: Harness) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=3)
    anne, bart, _ = people
    await open_goal(harness, bart, group, "Thema 2")
    await answer(harness, bart, *WEAK)
    summary = harness.last_from_bot(bart["id"])
    await harness.press(bart, summary, data_of(summary, "gs:")[0])
    (goal,) = await goal_rows(harness)
    await harness.press(anne, latest_with_prefix(core, anne["id"], "gd:"), f"gd:{goal.id}:ok")
    await harness.say(anne, group, "/doelen")
    assert "#1 ☑️" in harness.last_text(group) and "Een doel telt pas als klaar (✅)" in harness.last_text(group)


@pytest.mark.parametrize(
    ("lang", "ready", "not_ready"),
    [
        ("nl", "Er ligt 1 SMART-doel klaar.", "Doel 2 is goedgekeurd, maar nog niet klaar"),
        ("en", "1 SMART goal is ready.", "Goal 2 is approved but not ready yet"),
    ],
)
def test_the_report_counts_only_goals_without_flags(lang: str, ready: str, not_ready: str) -> None:
    data = full()
    first, second = data.goals
    flagged = dataclasses.replace(second, status="approved")
    text = build_markdown(dataclasses.replace(data, goals=(first, flagged)), TEXTS, lang, {})
    assert ready in text and not_ready in text
    only_flagged = build_markdown(dataclasses.replace(data, goals=(flagged,)), TEXTS, lang, {})
    counted = ("Er ligt", "Er liggen") if lang == "nl" else ("SMART goal is ready", "SMART goals are ready")
    assert not any(sentence in only_flagged for sentence in counted)
    assert not_ready in only_flagged
