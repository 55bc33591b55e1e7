"""SMART goals in-process (both databases): /doelen per chosen theme with its processed dream images,
the guided conversation one letter at a time in private, flags after each letter with adjust or keep,
members proposing and the moderator approving, adjusting or dropping, a moderator's own goal, bad
input at a letter, forged and stale buttons, a member in two groups, pausing and throwing away, and a
restart in the middle of a goal (a new application on the same database) that loses nothing."""

from __future__ import annotations

from fake_telegram.core import FakeTelegram
from sqlalchemy import select

from storage import goals as goal_store
from storage import synthesis
from storage.models import Goal, Prompt, Theme
from tests.conversations.dream_helpers import buttons, data_of, dream_group, latest_with_prefix
from tests.harness import Harness

GOOD = [
    "Meer medewerkers komen met de fiets naar het werk",
    "aandeel medewerkers dat minstens 3 dagen per week fietst (jaarlijkse enquête)",
    "12% in 2025",
    "30%",
    "personeelsdienst, met steun van het managementteam",
    "fietsvergoeding en 2 overdekte stallingen, 15.000 euro",
    "eind 2027",
    "20% eind 2026",
]


def link_of(message: dict, theme_name: str) -> str:
    """The URL of the "Doel voor <theme>" button."""
    return next(b["url"] for b in buttons(message) if "url" in b and theme_name in b["text"])


async def open_goal(harness: Harness, person: dict, group: dict, theme_name: str) -> None:
    """/doelen in the group, then the person follows the theme's link (the private chat opens)."""
    await harness.say(person, group, "/doelen")
    overview = harness.last_from_bot(group)
    harness.core.open_link(person, link_of(overview, theme_name))
    await harness.run()


async def answer(harness: Harness, person: dict, *texts: str) -> None:
    for text in texts:
        await harness.say(person, person["id"], text)


async def goals_in(harness: Harness) -> list[Goal]:
    return await harness.db.run(lambda s: list(s.scalars(select(Goal).order_by(Goal.id))))


def send_sticker(core: FakeTelegram, user: dict) -> None:
    """A sticker in the private chat (the fake has no helper for it)."""
    with core.lock:
        u = core._user(user)
        state = core._writable_chat(u, user["id"])
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        stored = core._store(state, u, {"sticker": sticker})
        core._deliver(state, stored, "message")


async def test_member_proposes_with_flags_and_the_moderator_approves(harness: Harness) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness)
    anne, bart, chris = people[:3]

    await harness.say(bart, group, "/doelen")
    overview = harness.last_from_bot(group)
    assert "SMART-doelen" in overview["text"] and "1. Thema 1" in overview["text"] and "Thema 4" not in overview["text"]
    assert overview["text"].count("Nog geen doelen.") == 3
    assert [b["text"] for b in buttons(overview)] == [
        "✍️ Doel voor Thema 1",
        "✍️ Doel voor Thema 2",
        "✍️ Doel voor Thema 3",
    ]
    assert link_of(overview, "Thema 2").endswith(f"?start=goal-{themes[1]}")

    core.open_link(bart, link_of(overview, "Thema 1"))
    await harness.run()
    intro, question = harness.bot_texts(bart["id"])[-2:]
    assert intro.startswith("🎯 Doel #1 voor Thema 1") and "één letter tegelijk" in intro
    assert question.startswith("S · Specifiek") and "Wat wil je precies bereiken" in question

    # S is vague: the flag comes with the first M question, with a button to adjust S.
    await answer(harness, bart, "Inzetten op duurzame mobiliteit bij het personeel")
    message = harness.last_from_bot(bart["id"])
    assert message["text"].startswith("⚠️ Bij S · Specifiek:") and "Vaag werkwoord" in message["text"]
    assert "M · Meetbaar" in message["text"] and "Waaraan zie je dat het lukt?" in message["text"]
    goal = (await goals_in(harness))[0]
    assert data_of(message, "gl:") == [f"gl:{goal.id}:S"]
    await harness.press(bart, message, f"gl:{goal.id}:S")
    assert "Nu staat er: Inzetten op duurzame mobiliteit" in harness.last_text(bart["id"])
    await answer(harness, bart, GOOD[0])
    assert harness.last_text(bart["id"]).startswith("✓ S · Specifiek is in orde.")
    assert "Waaraan zie je dat het lukt?" in harness.last_text(bart["id"])  # back into the flow, at M

    # M without a start value and a vague target; A is "iedereen": flags shown, kept as they are.
    await answer(harness, bart, GOOD[1], "nog niet gemeten", "veel meer")
    assert "⚠️ Bij M · Meetbaar" in harness.last_text(bart["id"]) and "Geen startwaarde" in harness.last_text(bart["id"])
    await answer(harness, bart, "iedereen")
    assert "Eigenaar te vaag" in harness.last_text(bart["id"])
    await answer(harness, bart, GOOD[5], GOOD[6], "-")
    summary = harness.last_from_bot(bart["id"])
    assert summary["text"].startswith("🎯 Doel #1 · Thema 1 (in opmaak)")
    assert "Tussenstappen: niets" in summary["text"]
    assert "⚠️ Nog niet helemaal SMART" in summary["text"] and "Geen getal" in summary["text"]
    assert [b["text"] for b in buttons(summary)][-2:] == ["✅ Zo laten en indienen", "🗑 Weggooien"]
    stored = (await goals_in(harness))[0]
    assert stored.status == "draft" and stored.specific == GOOD[0] and stored.milestones == "-"
    assert set(goal_store.json.loads(stored.flags)) == {"no_number", "no_baseline", "vague_owner"}

    # Keep as is and submit: the moderator gets it privately with approve / adjust / drop.
    await harness.press(bart, summary, f"gs:{goal.id}")
    assert "is ingediend" in harness.last_text(bart["id"])
    proposal = latest_with_prefix(core, anne["id"], "gd:")
    assert proposal["text"].startswith("📬 Nieuw voorstel van Bart")
    assert "(zo gelaten door de auteur)" in proposal["text"]
    # Flags left: "send back" comes first (tests/conversations/test_goal_send_back.py).
    assert data_of(proposal, "gd:") == [
        f"gd:{goal.id}:back",
        f"gd:{goal.id}:ok",
        f"gd:{goal.id}:edit",
        f"gd:{goal.id}:drop",
    ]

    # Not the moderator: refused, nothing changes.
    query = await harness.forge_press(chris, core.sent_messages(chris["id"])[-1], f"gd:{goal.id}:ok")
    assert core.callback_queries[query]["answer"]["text"] == "Dat kan jij niet doen met dit doel."
    assert (await goals_in(harness))[0].status == "proposed"
    # Bart can no longer change his proposed goal himself.
    query = await harness.forge_press(bart, summary, f"gl:{goal.id}:M")
    assert core.callback_queries[query]["answer"]["text"] == "Dat kan jij niet doen met dit doel."

    await harness.press(anne, proposal, f"gd:{goal.id}:ok")
    assert (await goals_in(harness))[0].status == "approved"
    assert harness.last_text(bart["id"]) == "✅ De moderator keurde je doel #1 voor Thema 1 goed."
    # A second press (replay) is stale.
    query = await harness.forge_press(anne, proposal, f"gd:{goal.id}:ok")
    assert core.callback_queries[query]["answer"]["text"] == "Over dat doel werd al beslist."

    await harness.say(chris, group, "/doelen")
    listing = harness.last_text(group)
    assert "#1 ☑️ Meer medewerkers komen met de fiets naar het werk · goedgekeurd" in listing
    assert "⚠️ geen getal, geen startwaarde, eigenaar vaag (zo gelaten)" in listing


async def test_moderator_adjusts_or_drops_and_approves_own_goal(harness: Harness) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=3)
    anne, bart, chris = people
    for person in (bart, chris):
        await open_goal(harness, person, group, "Thema 2")
        await answer(harness, person, *GOOD)
        await harness.press(
            person, harness.last_from_bot(person["id"]), data_of(harness.last_from_bot(person["id"]), "gs:")[0]
        )
    first, second = await goals_in(harness)
    assert (first.number, second.number) == (1, 2) and {first.status, second.status} == {"proposed"}
    # /doelen in private offers the moderator the waiting proposals again.
    await harness.say(anne, anne["id"], "/doelen")
    assert "2 voorstellen wachten op je beslissing" in harness.last_text(anne["id"])
    assert data_of(harness.last_from_bot(anne["id"]), "gd:") == [f"gd:{first.id}:edit", f"gd:{second.id}:edit"]

    # Adjust M of Bart's goal, then approve it.
    proposal = next(m for m in core.sent_messages(anne["id"]) if f"gd:{first.id}:edit" in data_of(m, "gd:"))
    await harness.press(anne, proposal, f"gd:{first.id}:edit")
    review = harness.last_from_bot(anne["id"])
    assert data_of(review, "gl:") == [f"gl:{first.id}:{letter}" for letter in "SMART"]
    await harness.press(anne, review, f"gl:{first.id}:M")
    await answer(harness, anne, "aantal fietskilometers (registratie)", "40.000 km per jaar", "60.000 km per jaar")
    review = harness.last_from_bot(anne["id"])
    assert "Indicator: aantal fietskilometers (registratie)" in review["text"]
    assert data_of(review, "gd:") == [f"gd:{first.id}:ok", f"gd:{first.id}:drop"]
    await harness.press(anne, review, f"gd:{first.id}:ok")
    # Drop Chris's goal; a dropped goal cannot be adjusted any more.
    proposal = next(m for m in core.sent_messages(anne["id"]) if f"gd:{second.id}:drop" in data_of(m, "gd:"))
    await harness.press(anne, proposal, f"gd:{second.id}:drop")
    assert "schrapte je doel #2" in harness.last_text(chris["id"])
    query = await harness.forge_press(anne, proposal, f"gd:{second.id}:edit")
    assert core.callback_queries[query]["answer"]["text"] == "Over dat doel werd al beslist."
    first, second = await goals_in(harness)
    assert (first.status, first.indicator, second.status) == (
        "approved",
        "aantal fietskilometers (registratie)",
        "dropped",
    )

    # The moderator's own goal is approved at once.
    await open_goal(harness, anne, group, "Thema 3")
    await answer(harness, anne, *GOOD)
    summary = harness.last_from_bot(anne["id"])
    assert "✓ De SMART-check vindt niets meer." in summary["text"]
    assert [b["text"] for b in buttons(summary)][-2:] == ["✅ Goedkeuren", "🗑 Weggooien"]
    await harness.press(anne, summary, data_of(summary, "gs:")[0])
    assert "is goedgekeurd" in harness.last_text(anne["id"])
    own = (await goals_in(harness))[-1]
    assert (own.status, own.kept_as_is, own.number) == ("approved", False, 3)

    await harness.say(bart, group, "/doelen")
    listing = harness.last_text(group)
    assert "#1 ✅" in listing and "#2 ✖️" in listing and "geschrapt" in listing and "#3 ✅" in listing
    # The synthesis counts step 6 as done once a goal is approved.
    assert (await harness.db.run(synthesis.facts, trajectory_id)).goals == 2


async def test_bad_input_at_a_letter_loses_nothing(harness: Harness) -> None:
    core = harness.core
    group, people, themes, _ = await dream_group(harness, members=2)
    anne, bart = people
    await open_goal(harness, bart, group, "Thema 1")
    await answer(harness, bart, GOOD[0])  # now at M, the indicator
    await harness.say(bart, bart["id"], "   ")
    assert harness.last_text(bart["id"]).startswith("Ik kreeg geen tekst.")
    await harness.say(bart, bart["id"], "x" * 10_000)
    assert harness.last_text(bart["id"]).startswith("Dat is te lang (maximum 1000 tekens)")
    send_sticker(core, bart)
    await harness.run()
    assert harness.last_text(bart["id"]).startswith("Ik verwacht hier tekst.")
    core.send_document(bart, bart["id"], "doel.docx", b"PK\x03\x04 not really")
    await harness.run()
    assert harness.last_text(bart["id"]).startswith("Ik verwacht hier tekst.")
    await harness.say(bart, bart["id"], "<b>aandeel</b> & <script>fietsers</script>")
    assert "Waar staan we vandaag?" in harness.last_text(bart["id"])  # the question after the indicator
    goal = (await goals_in(harness))[0]
    assert (goal.specific, goal.indicator, goal.baseline) == (
        GOOD[0],
        "<b>aandeel</b> & <script>fietsers</script>",
        None,
    )
    await answer(harness, bart, *GOOD[2:])
    assert "Indicator: <b>aandeel</b> & <script>fietsers</script>" in harness.last_text(bart["id"])  # shown as typed


async def test_pause_continue_and_throw_away(harness: Harness) -> None:
    core = harness.core
    group, people, themes, _ = await dream_group(harness, members=2)
    anne, bart = people
    await open_goal(harness, bart, group, "Thema 1")
    await answer(harness, bart, GOOD[0], GOOD[1])
    question = harness.last_from_bot(bart["id"])
    goal = (await goals_in(harness))[0]
    await harness.press(bart, question, f"gp:{goal.id}")
    assert "Gepauzeerd" in core.callback_queries[list(core.callback_queries)[-1]]["answer"]["text"]
    await harness.say(bart, bart["id"], "dit is geen antwoord meer")
    assert (await goals_in(harness))[0].baseline is None  # the goal no longer listens

    # /doelen in private offers to continue; the same link again continues too, without a second goal.
    await harness.say(bart, bart["id"], "/doelen")
    private = harness.last_from_bot(bart["id"])
    assert "Je hebt nog 1 doel in opmaak" in private["text"]
    await harness.press(bart, private, f"gc:{goal.id}")
    assert "Waar staan we vandaag?" in harness.last_text(bart["id"])
    await open_goal(harness, bart, group, "Thema 1")
    assert "Je was al aan dit doel begonnen" in harness.bot_texts(bart["id"])[-2]
    assert len(await goals_in(harness)) == 1

    # Someone else cannot throw it away; Bart can.
    query = await harness.forge_press(anne, core.sent_messages(anne["id"])[-1], f"gx:{goal.id}")
    assert core.callback_queries[query]["answer"]["text"] == "Dat doel bestaat niet meer."
    await harness.press(bart, harness.last_from_bot(bart["id"]), f"gx:{goal.id}")
    assert harness.last_text(bart["id"]).startswith("🗑 Doel #1 voor Thema 1 is weggegooid.")
    assert await goals_in(harness) == []
    assert await harness.db.run(lambda s: s.scalar(select(Prompt).where(Prompt.kind == "goal"))) is None


async def test_forged_links_and_buttons_and_no_chosen_theme(harness: Harness) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=2)
    anne, bart = people
    # A second group where Dirk moderates, with a chosen theme of its own.
    other = core.add_group("Andere kopgroep")
    dirk = core.add_user("Dirk")
    core.add_member(other, dirk, "creator")
    await harness.add_bot(other, dirk)
    await harness.follow_join_button(dirk, core.sent_messages(other["id"])[0])
    await harness.say(dirk, other, "/doelen")
    assert harness.last_text(other).startswith("Er zijn nog geen gekozen thema's.")

    await open_goal(harness, bart, group, "Thema 1")
    await answer(harness, bart, *GOOD)
    goal = (await goals_in(harness))[0]
    await harness.press(bart, harness.last_from_bot(bart["id"]), f"gs:{goal.id}")
    # Dirk moderates another group: he cannot approve, adjust or drop this goal, nor write for its theme.
    for data in (f"gd:{goal.id}:ok", f"gd:{goal.id}:drop", f"gd:{goal.id}:edit", f"gl:{goal.id}:S"):
        query = await harness.forge_press(dirk, core.sent_messages(dirk["id"])[-1], data)
        assert core.callback_queries[query]["answer"]["text"] in (
            "Dat kan jij niet doen met dit doel.",
            "Dit is niet voor jou: je bent geen lid van die kopgroep.",
        ), data
    core.open_deep_link(dirk, f"goal-{themes[0]}")
    await harness.run()
    assert harness.last_text(dirk["id"]).startswith("Je bent geen lid van die kopgroep.")
    # A theme that is not chosen, and one that does not exist.
    not_chosen = await harness.db.run(
        lambda s: s.scalar(select(Theme.id).where(Theme.trajectory_id == trajectory_id, Theme.status != "chosen"))
    )
    core.open_deep_link(bart, f"goal-{not_chosen}")
    await harness.run()
    assert harness.last_text(bart["id"]).startswith("Dat thema is niet (meer) gekozen")
    core.open_deep_link(bart, "goal-999999")
    await harness.run()
    assert harness.last_text(bart["id"]) == "Dat doel of thema bestaat niet meer."
    # A press in the group instead of the private chat is refused.
    query = await harness.forge_press(anne, core.sent_messages(group["id"])[-1], f"gd:{goal.id}:ok")
    assert core.callback_queries[query]["answer"]["text"] == "Dat kan jij niet doen met dit doel."
    assert [g.status for g in await goals_in(harness)] == ["proposed"]
    # In private, /doelen is about Dirk's own group, which has chosen nothing yet.
    await harness.say(dirk, dirk["id"], "/doelen")
    assert (
        harness.last_text(dirk["id"])
        == "Er zijn nog geen gekozen thema's. Doelen komen na de keuze: bevestig de thema's eerst met /consensus."
    )


async def test_a_member_in_two_groups(harness: Harness) -> None:
    core = harness.core
    group, people, themes, first_id = await dream_group(harness, members=2)
    anne, bart = people
    # A second group with Bart as member and a chosen theme.
    other = core.add_group("Tweede kopgroep")
    dirk = core.add_user("Dirk")
    core.add_member(other, dirk, "creator")
    core.add_member(other, bart)
    await harness.add_bot(other, dirk)
    welcome = core.sent_messages(other["id"])[0]
    for person in (dirk, bart):
        await harness.follow_join_button(person, welcome)

    def add_theme(session) -> int:  # type: ignore[no-untyped-def]
        from storage import trajectories

        trajectory = trajectories.by_chat(session, other["id"])
        row = Theme(trajectory_id=trajectory.id, position=1, name="Andere thema", status="chosen", source="manual")
        session.add(row)
        session.flush()
        return row.id

    other_theme = await harness.db.run(add_theme)
    await open_goal(harness, bart, group, "Thema 1")
    await answer(harness, bart, GOOD[0])
    await open_goal(harness, bart, other, "Andere thema")
    assert harness.last_text(bart["id"]).startswith("S · Specifiek") and "Andere thema" in harness.last_text(bart["id"])
    await answer(harness, bart, "Alle 12 scholen krijgen een moestuin")
    mine = await goals_in(harness)
    assert [(g.theme_id, g.number, g.specific) for g in mine] == [
        (themes[0], 1, GOOD[0]),
        (other_theme, 1, "Alle 12 scholen krijgen een moestuin"),
    ]
    # Back to the first: it continues at M, where it was.
    await harness.say(bart, bart["id"], "/groep")
    await harness.press(bart, harness.last_from_bot(bart["id"]), data_of(harness.last_from_bot(bart["id"]), "grp:")[0])
    await harness.say(bart, bart["id"], "/doelen")
    overview = harness.last_from_bot(bart["id"])
    continue_data = data_of(overview, "gc:")
    assert len(continue_data) == 1
    await harness.press(bart, overview, continue_data[0])
    assert "Waaraan zie je dat het lukt?" in harness.last_text(bart["id"])
    await answer(harness, bart, GOOD[1])
    assert (await goals_in(harness))[0].indicator == GOOD[1]
    assert (await goals_in(harness))[1].indicator is None


async def test_a_restart_at_the_letter_m_loses_nothing(harness: Harness) -> None:
    """A new application on the same database takes the next answer where the member was."""
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application
    from tests.harness import Harness as NewHarness

    core = harness.core
    group, people, themes, _ = await dream_group(harness, members=2)
    anne, bart = people
    await open_goal(harness, bart, group, "Thema 1")
    await answer(harness, bart, GOOD[0], GOOD[1])  # S and the first M question answered
    assert "Waar staan we vandaag?" in harness.last_text(bart["id"])
    # The first application gets no more updates: as if it stopped here.

    settings = harness.app.bot_data["services"].settings
    app = build_application(settings, db=harness.db, request=FakeTelegramRequest(core), rate_limiter=False)
    restarted = NewHarness(core, app, harness.db, offset=harness.offset)
    await restarted.start()
    try:
        await answer(restarted, bart, GOOD[2])
        assert "Welke waarde wil je bereiken?" in restarted.last_text(bart["id"])
        await answer(restarted, bart, *GOOD[3:])
        goal = (await goals_in(restarted))[0]
        assert [getattr(goal, part) for part in goal_store.PARTS] == GOOD
        assert restarted.last_text(bart["id"]).startswith("🎯 Doel #1 · Thema 1 (in opmaak)")
    finally:
        await restarted.stop()
    assert not restarted.errors, restarted.errors


async def test_a_later_dream_image_question_takes_the_turn_and_the_goal_continues(harness: Harness) -> None:
    """Writing dream images and goals at the same time: the question asked last gets the text."""
    from sqlalchemy import func

    from storage.models import DreamImage
    from tests.conversations.dream_helpers import write

    group, people, themes, trajectory_id = await dream_group(harness, members=2)
    anne, bart = people
    await harness.say(anne, group, "/droombeelden")
    await open_goal(harness, bart, group, "Thema 1")
    await answer(harness, bart, GOOD[0])
    await write(harness, bart, trajectory_id, themes[1], "Een autovrije schoolstraat")  # the dream theme is newer
    assert "Genoteerd bij Thema 2" in harness.last_text(bart["id"])
    assert (await goals_in(harness))[0].indicator is None
    assert await harness.db.run(lambda s: s.scalar(select(func.count()).select_from(DreamImage))) == 1

    await harness.say(bart, bart["id"], "/doelen")
    await harness.press(bart, harness.last_from_bot(bart["id"]), data_of(harness.last_from_bot(bart["id"]), "gc:")[0])
    await answer(harness, bart, GOOD[1])  # the goal asked last now: this is its indicator
    assert (await goals_in(harness))[0].indicator == GOOD[1]
    assert await harness.db.run(lambda s: s.scalar(select(func.count()).select_from(DreamImage))) == 1

    # The theme's processed dream images are at hand, in the group and when writing a goal for it.
    await harness.say(anne, group, "/doelen")
    assert "2. Thema 2\nDroombeelden:\n • Een autovrije schoolstraat\nNog geen doelen." in harness.last_text(group)
    await open_goal(harness, anne, group, "Thema 2")
    assert "de droombeelden bij dit thema:\n • Een autovrije schoolstraat" in harness.bot_texts(anne["id"])[-2]
