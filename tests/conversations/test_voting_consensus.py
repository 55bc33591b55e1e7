"""Issue 17 in-process: no round can become impossible to close (the tie-break dead end, a re-planned
tie-break after a merge, cancelling, a round that cannot be evaluated), and the rule and results told
in counts, in both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import voting
from storage.models import Theme, VotingRound
from tests.conversations.voting_helpers import cast, voting_group
from tests.harness import Harness


async def tie_for_two_places(harness: Harness, *, language: str = "nl"):
    """Four members, five themes; round 1 ends in a tie of #2, #3, #4 for 2 places, #1 secured."""
    group, people, themes = await voting_group(harness, members=4, themes=5, language=language)
    t1, t2, t3, t4, t5 = themes
    await harness.say(people[0], group, "/stemronde")
    # #1 all 3s; #2, #3, #4 each three 3s and one 2 (equal on every ranking key); #5 all 1s.
    for index, person in enumerate(people):
        await cast(harness, person, {t1: 3, t2: 2 if index == 0 else 3, t3: 2 if index == 1 else 3, t4: 2 if index == 2 else 3, t5: 1})
    await harness.say(people[0], group, "/sluitronde")
    return group, people, themes


def result_of(harness: Harness, group: dict, number: int) -> str:
    return next(t for t in reversed(harness.bot_texts(group)) if t.startswith((f"Uitslag stemronde {number}", f"Result of voting round {number}")))


async def test_tied_themes_removed_no_dead_end(harness: Harness) -> None:
    group, people, themes = await tie_for_two_places(harness)
    anne = people[0]
    assert "Gelijkstand tussen Thema 2, Thema 3 en Thema 4 voor 2 plaatsen; Thema 1 is al zeker" in result_of(harness, group, 1)
    # The moderator removes two of the tied themes (allowed between rounds).
    await harness.say(anne, group, "/thema verwijder 3")
    await harness.say(anne, group, "/thema verwijder 4")
    await harness.say(anne, group, "/stemronde")
    text = harness.last_text(group)
    assert text.startswith("Er is geen beslissende ronde nodig: van de thema's die gelijk stonden, is er nog 1 over voor 2 plaatsen.")
    assert "Voorstel: Thema 1 en Thema 2. Dat zijn 2 thema's, minder dan de 3 die we zoeken." in text
    # No round was opened (the old code opened a tie-break on 1 theme for 2 places and could not close it).
    rounds = await harness.db.run(lambda s: list(s.scalars(select(VotingRound.status))))
    assert rounds == ["closed"]
    await harness.say(anne, group, "/consensus")
    assert harness.last_text(group).startswith("Consensus! De kopgroep kiest als prioritaire thema's:\n✅ Thema 1\n✅ Thema 2")
    statuses = await harness.db.run(lambda s: dict(s.execute(select(Theme.name, Theme.status)).all()))
    assert (statuses["Thema 1"], statuses["Thema 2"], statuses["Thema 5"]) == ("chosen", "chosen", "parked")


async def test_merging_tied_themes_replans_the_tie_break(harness: Harness) -> None:
    group, people, themes = await tie_for_two_places(harness)
    anne = people[0]
    # #2 and #5 merged: the new theme stands for #2 in the tie, so the tie-break is on it, #3 and #4.
    await harness.say(anne, group, "/thema voeg 2, 5 Samen sterk")
    await harness.say(anne, group, "/stemronde")
    announce = harness.bot_texts(group)[-2]
    assert "beslissende ronde" in announce and "kiezen we er 2" in announce and "Thema 1 is al zeker" in announce
    assert "Samen sterk" in announce and "#2 Thema 2" not in announce and "#3 Thema 3" in announce
    # Merging #3 into #4's place is refused while the round is open; the round closes normally.
    trajectory = await harness.db.run(lambda s: s.scalar(select(VotingRound.trajectory_id)))
    round_ = await harness.db.run(voting.open_round_of, trajectory)
    in_play = await harness.db.run(voting.round_themes, round_.id)
    names = {t.name: t.id for t in in_play}
    for index, person in enumerate(people):
        await cast(harness, person, {names["Samen sterk"]: 3, names["Thema 3"]: 3 if index else 2, names["Thema 4"]: 1})
    await harness.say(anne, group, "/sluitronde")
    assert "Voorstel: Thema 1, Samen sterk en Thema 3." in result_of(harness, group, 2)


async def test_tied_themes_merged_together_need_no_vote(harness: Harness) -> None:
    group, people, _ = await tie_for_two_places(harness)
    await harness.say(people[0], group, "/thema voeg 3, 4 Drie en vier")
    await harness.say(people[0], group, "/stemronde")
    assert "Voorstel: Thema 1, Thema 2 en Drie en vier." in harness.last_text(group)
    await harness.say(people[0], group, "/consensus")
    assert "✅ Drie en vier" in harness.last_text(group)


async def test_an_open_tie_break_with_fewer_themes_than_places_closes(harness: Harness) -> None:
    # A round the old code could open (1 theme for 2 places) is closed and completes with what is left.
    group, people, themes = await tie_for_two_places(harness)
    trajectory = await harness.db.run(lambda s: s.scalar(select(VotingRound.trajectory_id)))
    round_, _ = await harness.db.run(voting.open_round, trajectory, theme_ids=(themes[1],), kind="tiebreak", places=2, deadline=None)
    for person in people:
        await harness.say(person, person["id"], "/stembiljet")
        await cast(harness, person, {themes[1]: 3})
    await harness.say(people[0], group, "/sluitronde")
    text = result_of(harness, group, 2)
    assert "Voorstel: Thema 1 en Thema 2. Er bleven niet meer thema's over dan plaatsen, dus gaan ze allemaal door." in text
    assert (await harness.db.run(voting.get_round, round_.id)).status == "closed"


async def test_cancel_a_round(harness: Harness) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=5)
    anne = people[0]
    await harness.say(anne, group, "/stemronde tot morgen 17u")
    round_ = await harness.db.run(voting.open_round_of, (await harness.db.run(lambda s: s.scalar(select(VotingRound.trajectory_id)))))
    await cast(harness, people[1], {t: 3 for t in themes})
    await harness.say(people[1], group, "/sluitronde annuleer")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/sluitronde annuleer")
    assert harness.last_text(group).startswith("Stemronde 1 is geannuleerd. De stemmen van deze ronde tellen niet mee.")
    assert (await harness.db.run(voting.get_round, round_.id)).status == "cancelled"
    progress = next(m for m in harness.core.sent_messages(group["id"]) if m["message_id"] == round_.progress_message_id)
    assert "is geannuleerd" in progress["text"]
    assert not harness.app.job_queue.get_jobs_by_name(f"round-deadline:{round_.id}")
    await harness.say(anne, group, "/sluitronde annuleer")
    assert harness.last_text(group) == "Er loopt geen stemronde."
    # Themes can be edited again, and the next round is round 2 on the same themes.
    await harness.say(anne, group, "/thema verwijder 4")
    await harness.say(anne, group, "/stemronde")
    assert "Stemronde 2" in harness.bot_texts(group)[-2] and "Thema 4" not in harness.bot_texts(group)[-2]


async def test_a_round_that_cannot_be_evaluated_can_be_cancelled(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    await harness.say(anne, group, "/stemronde")
    for person in people:
        await cast(harness, person, {t: 2 for t in themes})

    def broken(*args: object, **kwargs: object) -> None:
        raise IndexError("a bug in the evaluation")

    monkeypatch.setattr(voting.closing, "evaluate", broken)
    await harness.say(anne, group, "/sluitronde")
    text = harness.last_text(group)
    assert text.startswith("Ik kan de uitslag van stemronde 1 niet berekenen.") and "/sluitronde annuleer" in text
    trajectory = await harness.db.run(lambda s: s.scalar(select(VotingRound.trajectory_id)))
    assert (await harness.db.run(voting.open_round_of, trajectory)) is not None  # nothing half-written
    await harness.say(anne, group, "/sluitronde annuleer")
    assert "is geannuleerd" in harness.last_text(group)
    assert (await harness.db.run(voting.open_round_of, trajectory)) is None


async def test_rule_in_counts_before_the_vote(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=8, themes=5)
    await harness.say(people[3], group, "/stemregel")
    text = harness.last_text(group)
    assert "• 7 of 8 stemmers: minstens 6 keer een 3, hoogstens 1 keer een 1 (afvallen: 6 keer een 1)" in text
    assert "• 6 stemmers: minstens 5 keer een 3, geen enkele 1 (afvallen: 5 keer een 1)" in text
    assert "Volgorde: eerst het gemiddelde, dan het aantal 3'en, dan het kleinste aantal 1'en." in text
    assert "Er blijven altijd minstens 3 thema's over." in text and "Gelijkstand op de laatste plaats" in text
    assert "Quorum: 67% van de leden, nu 6 van de 8." in text
    await harness.say(people[0], group, "/stemronde")
    announce = harness.bot_texts(group)[-2]
    assert "• 7 of 8 stemmers: minstens 6 keer een 3, hoogstens 1 keer een 1" in announce
    assert "minder dan 15% van de stemmen" in announce


async def test_results_in_english(harness: Harness) -> None:
    group, people, themes = await tie_for_two_places(harness, language="en")
    text = result_of(harness, group, 1)
    assert "Tie between Thema 2, Thema 3 and Thema 4 for 2 places; Thema 1 is already certain" in text
    assert "4 of the 4 gave a 3 (100%), nobody gave a 1 · median 3 · average 3" in text
    assert "✅ meets the threshold: with 4 voters at least 3 votes of 3 and no vote of 1." in text
    assert "How to read the figures" in text and "Percentages are rounded down" in text
