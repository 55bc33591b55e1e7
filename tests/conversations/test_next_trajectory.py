"""/nieuwtraject in-process (both databases): only a moderator, only after /afsluiten; a new trajectory
in the same group with the parked themes as candidates and their scores of last time beside them,
the chosen themes and their goals as "vorig traject", each member confirming with one press (a forged
press refused), an old "Doe mee" link joining the new one, the closed one readable (/rapport vorig,
/uitslag vorig) and exported apart, keeping its own retention clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from method.portability.archive import build_zip, read_zip
from storage import followup, next_trajectory, privacy, trajectories
from storage.archive import export_trajectory, schema
from storage.models import Membership, Theme, Trajectory
from tests.conversations.dream_helpers import data_of
from tests.conversations.test_goal_followup import approved_goal
from tests.conversations.test_goals import GOOD
from tests.conversations.voting_helpers import cast, voting_group
from tests.harness import Harness


def closed_at_of(session, trajectory_id: int):  # type: ignore[no-untyped-def]
    return session.get(Trajectory, trajectory_id).closed_at


async def closed_group(harness: Harness, language: str = "nl") -> tuple[dict, list[dict], list[int], int]:
    """Four members vote on themes 1-4 once; 1 and 2 are chosen, 3 and 4 parked; a goal for theme 1;
    the trajectory closed with /afsluiten."""
    group, people, themes = await voting_group(harness, members=4, themes=4, language=language)
    anne = people[0]
    await harness.say(anne, group, "/stemronde")
    for person, scores in zip(people, ((3, 3, 2, 1), (3, 2, 3, 1), (3, 3, 2, 2), (2, 3, 1, 1)), strict=True):
        await cast(harness, person, dict(zip(themes, scores, strict=True)))
    await harness.say(anne, group, "/sluitronde")
    await harness.say(anne, group, "/consensus 1, 2")
    await approved_goal(harness, people[1], anne, group, "Thema 1", GOOD)
    await harness.say(anne, group, "/afsluiten")
    confirm = harness.last_from_bot(group)
    await harness.press(anne, confirm, next(d for d in data_of(confirm, "tcl:") if d.endswith(":ok")))
    old = await harness.db.run(trajectories.by_chat, group["id"])
    assert old is not None
    return group, people, themes, old.id


async def test_a_new_trajectory_from_the_parked_themes(harness: Harness) -> None:
    core = harness.core
    group, people, themes, old_id = await closed_group(harness)
    anne, bart, chris, dirk = people

    started = harness.last_from_bot(group)
    await harness.say(bart, group, "/nieuwtraject")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/nieuwtraject")
    started = harness.last_from_bot(group)
    text = started["text"]
    assert text.startswith("🌱 Een nieuw traject voor deze kopgroep")
    # The parked themes come back, numbered anew, with last time's figures (2 of 4 gave theme 3 a 3).
    assert "1. Thema 3 – vorige keer: gemiddelde 2, 25% gaf een 3 (ronde 1)" in text
    assert "2. Thema 4 – vorige keer: gemiddelde 1,25, 0% gaf een 3 (ronde 1)" in text
    assert "Vorig traject, gekozen thema's en hun doelen:" in text
    assert (
        "Thema 1\n • doel #1: Meer medewerkers komen met de fiets naar het werk (streefwaarde 30%, eind 2027)" in text
    )
    assert "Thema 2\n • geen goedgekeurde doelen" in text
    assert [b["text"] for row in started["reply_markup"]["inline_keyboard"] for b in row] == ["Doe mee"]

    new = await harness.db.run(trajectories.by_chat, group["id"])
    assert new is not None and new.id != old_id and new.phase == "setup"
    candidates = await harness.db.run(
        lambda s: [
            (t.position, t.name, t.status, t.source)
            for t in s.scalars(select(Theme).where(Theme.trajectory_id == new.id).order_by(Theme.position))
        ]
    )
    assert candidates == [(1, "Thema 3", "candidate", "previous"), (2, "Thema 4", "candidate", "previous")]
    # A second /nieuwtraject while the new one runs: refused.
    await harness.say(anne, group, "/nieuwtraject")
    assert harness.last_text(group).startswith("Dit traject loopt nog. Sluit het eerst af met /afsluiten")

    # Members are kept as "seen" until each presses once; the moderator who started it is in.
    async def statuses() -> dict[int, tuple[str, str]]:
        return await harness.db.run(
            lambda s: {
                m.person_id: (m.role, m.status)
                for m in s.scalars(select(Membership).where(Membership.trajectory_id == new.id))
            }
        )

    before = await statuses()
    assert sorted(before.values()) == [("member", "seen")] * 3 + [("moderator", "joined")]
    invitation = harness.last_from_bot(bart["id"])
    assert "start een nieuw traject" in invitation["text"] and data_of(invitation, "ntj:") == [f"ntj:{new.id}"]
    assert not any("start een nieuw traject" in t for t in harness.bot_texts(anne["id"]))
    await harness.press(bart, invitation, f"ntj:{new.id}")
    assert harness.last_text(bart["id"]).startswith("✅ Je doet mee aan het nieuwe traject.")
    # A stranger's forged press joins nobody.
    stranger = core.add_user("Eva")
    core.send_message(stranger, stranger["id"], "/start")
    await harness.run()
    query = await harness.forge_press(stranger, invitation, f"ntj:{new.id}")
    assert core.callback_queries[query]["answer"]["text"].startswith("Je was geen lid van het vorige traject")
    # Chris follows the old trajectory's "Doe mee" link: he joins the new one.
    welcome = core.sent_messages(group["id"])[0]
    await harness.follow_join_button(chris, welcome)
    after = await statuses()
    assert sorted(after.values()) == [("member", "joined")] * 2 + [("member", "seen")] + [("moderator", "joined")]

    # The closed trajectory stays readable, and /vorigtraject shows it.
    await harness.say(dirk, group, "/vorigtraject")
    assert harness.last_text(group).startswith("📚 Vorig traject (afgesloten op")
    assert "Terug als kandidaat in dit traject:\n1. Thema 3" in harness.last_text(group)
    await harness.say(dirk, group, "/uitslag vorig")
    assert any("Uitslag stemronde 1" in t for t in harness.bot_texts(group)[-3:])
    await harness.say(dirk, group, "/uitslag")
    assert harness.last_text(group).startswith("Er is nog geen stemronde")
    await harness.say(anne, group, "/rapport vorig")
    choice = harness.last_from_bot(group)
    assert {d.split(":")[1] for d in data_of(choice, "rpt:")} == {str(old_id)}

    # /voortgang in the new trajectory still shows the closed one's followed goals.
    await harness.say(anne, group, "/opvolging")
    assert harness.last_text(group).startswith("Er zijn nog geen goedgekeurde doelen om op te volgen.")
    await harness.db.run(lambda s: followup.start(s, old_id, closed_at_of(s, old_id)))  # as /opvolging did then
    await harness.say(dirk, group, "/voortgang")
    progress = harness.last_text(group)
    assert (
        "De doelen van het vorige traject, die verder opgevolgd worden." in progress
        and "#1 Meer medewerkers" in progress
    )

    # Exports keep them apart; the closed one keeps its own retention clock.
    old_tables = await harness.db.run(export_trajectory, old_id)
    new_tables = await harness.db.run(export_trajectory, new.id)
    assert {t["name"] for t in old_tables["theme"]} == {"Thema 1", "Thema 2", "Thema 3", "Thema 4"}
    assert {t["name"] for t in new_tables["theme"]} == {"Thema 3", "Thema 4"}
    assert new_tables["goal"] == [] and new_tables["voting_round"] == [] and len(old_tables["goal"]) == 1
    # The second trajectory's archive reads back: nothing in it points at the first.
    exported_at = datetime(2027, 1, 1, tzinfo=UTC)
    for tables in (old_tables, new_tables):
        assert read_zip(build_zip(tables, schema(), app_version="test", exported_at=exported_at), schema())["theme"]
    closed_at = await harness.db.run(closed_at_of, old_id)
    assert closed_at is not None
    key = harness.app.bot_data["services"].ballot_key
    purged = await harness.db.run(privacy.purge_expired, closed_at + timedelta(days=24 * 31 + 1), 24, key)
    assert purged == [old_id]
    assert await harness.db.run(lambda s: s.get(Trajectory, new.id).purged_at) is None
    assert len(await statuses()) == 4  # the new trajectory's members stay


async def test_english_and_nothing_parked(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=2, language="en")
    anne = people[0]
    await harness.say(anne, group, "/nieuwtraject")
    assert harness.last_text(group).startswith("This trajectory is still running. Close it first with /afsluiten")
    await harness.say(anne, group, "/vorigtraject")
    assert harness.last_text(group).startswith("This steering group has no previous trajectory.")
    await harness.say(anne, group, "/consensus 1, 2")
    await harness.say(anne, group, "/afsluiten")
    confirm = harness.last_from_bot(group)
    await harness.press(anne, confirm, next(d for d in data_of(confirm, "tcl:") if d.endswith(":ok")))
    await harness.say(anne, group, "/nieuwtraject")
    text = harness.last_text(group)
    assert (
        text.startswith("🌱 A new trajectory for this steering group")
        and "No parked themes came from the previous" in text
    )
    assert "Previous trajectory, chosen themes and their goals:\nThema 1\n • no approved goals" in text
    invitation = harness.last_from_bot(people[1]["id"])
    assert "starts a new trajectory" in invitation["text"]
    assert [b["text"] for row in invitation["reply_markup"]["inline_keyboard"] for b in row] == ["✅ I take part again"]
    assert (
        await harness.db.run(next_trajectory.previous_of, (await harness.db.run(trajectories.by_chat, group["id"])).id)
        is not None
    )


async def test_after_closing_the_next_step_card_offers_the_next_trajectory(harness: Harness) -> None:
    """/help in a closed group: the card's next action is a new trajectory, and its button (which
    the read-only check lets through, unlike the closed trajectory's other steps) starts it."""
    group, people, _, old_id = await closed_group(harness)
    anne = people[0]
    await harness.say(anne, group, "/help")
    card = harness.last_from_bot(group)
    assert "dit traject is afgesloten" in card["text"] and "/voortgang" in card["text"]
    pressed = data_of(card, "next:")
    assert pressed == [f"next:{old_id}:nieuwtraject", f"next:{old_id}:alles"]
    await harness.press(anne, card, pressed[0])
    assert harness.last_text(group).startswith("🌱 Een nieuw traject voor deze kopgroep")
    new = await harness.db.run(trajectories.by_chat, group["id"])
    assert new is not None and new.id != old_id
