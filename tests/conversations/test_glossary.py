"""/begrip: shipped terms and aliases, the group's own terms, suggestions, both languages."""

from __future__ import annotations

from storage import glossary, trajectories
from tests.conversations.test_dialogue import dialogue_group
from tests.harness import Harness


async def test_shipped_terms_aliases_and_the_list(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"))
    bart = users["Bart"]
    await harness.say(bart, group, "/begrip duurzaamheid")
    text = harness.last_text(group)
    assert text.startswith("Duurzaamheid\nDuurzaamheid betekent vandaag zo leven en werken")
    assert "jullie kopgroep" not in text
    await harness.say(bart, group, "/begrip SDG’s")  # alias, curly apostrophe
    assert harness.last_text(group).startswith(
        "SDG\nDe SDG's (Sustainable Development Goals) zijn de 17 doelstellingen"
    )
    await harness.say(bart, group, "/begrip@kopgroep_test_bot Lokale-Foto")
    assert harness.last_text(group).startswith("Lokale foto\n")
    await harness.say(bart, group, "/begrip stuurgroep")
    assert harness.last_text(group).startswith("Kopgroep\n")
    await harness.say(bart, group, "/begrip")
    listed = harness.last_text(group)
    assert listed.startswith("Begrippen\nTyp /begrip en een woord")
    for term in ("MVO", "Duurzaamheid", "SDG", "SMART", "Droombeeld", "Kopgroep", "Lokale foto", "MVO-scan"):
        assert term in listed
    assert "Van jullie kopgroep" not in listed


async def test_unknown_word_gets_suggestions(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"))
    await harness.say(users["Bart"], group, "/begrip duurzaamheit")
    text = harness.last_text(group)
    assert text.startswith("Het begrip duurzaamheit ken ik niet. Bedoel je Duurzaamheid")
    assert "Typ /begrip voor alle begrippen" in text
    await harness.say(users["Bart"], group, "/begrip pizza")
    assert harness.last_text(group).startswith("Het begrip pizza ken ik niet.\n\nTyp /begrip")


async def test_moderator_sets_changes_and_removes_a_group_term(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"))
    anne, bart = users["Anne"], users["Bart"]
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None

    await harness.say(bart, group, "/begrip impact = Wat ik denk")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    assert await harness.db.run(glossary.terms, trajectory.id) == []

    # A new word of the group's own.
    await harness.say(anne, group, "/begrip Impact = Het verschil dat we maken <b>op het terrein</b>.")
    assert harness.last_text(group).startswith("Genoteerd: Impact heeft nu een eigen uitleg voor jullie kopgroep.")
    await harness.say(bart, group, "/begrip impact")
    assert (
        harness.last_text(group)
        == "Impact\nHet verschil dat we maken <b>op het terrein</b>.\n\nUitleg van jullie kopgroep."
    )
    await harness.say(bart, group, "/begrip impakt")
    assert "Bedoel je Impact" in harness.last_text(group)

    # Explaining a shipped word through one of its aliases replaces it for this group, under every alias.
    await harness.say(anne, group, "/begrip duurzaam = Bij ons: zuinig met mensen, geld en natuur.")
    await harness.say(bart, group, "/begrip Duurzaamheid")
    assert (
        harness.last_text(group)
        == "duurzaam\nBij ons: zuinig met mensen, geld en natuur.\n\nUitleg van jullie kopgroep."
    )
    await harness.say(anne, group, "/begrip duurzaamheid = Zuinig met mensen en natuur.")
    assert harness.last_text(group).startswith("De uitleg van duurzaamheid is aangepast.")
    await harness.say(bart, group, "/begrip")
    assert "Van jullie kopgroep\nduurzaamheid, Impact" in harness.last_text(group)
    assert len(await harness.db.run(glossary.terms, trajectory.id)) == 2

    # Removing the group's own explanation brings back the shipped one.
    await harness.say(bart, group, "/begrip duurzaamheid =")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/begrip duurzaamheid =")
    assert (
        harness.last_text(group)
        == "De eigen uitleg van duurzaamheid is verwijderd. /begrip toont weer de algemene uitleg."
    )
    await harness.say(bart, group, "/begrip duurzaamheid")
    assert harness.last_text(group).startswith("Duurzaamheid\nDuurzaamheid betekent vandaag")
    await harness.say(anne, group, "/begrip duurzaamheid =")
    assert "Jullie kopgroep heeft geen eigen uitleg voor duurzaamheid" in harness.last_text(group)
    await harness.say(anne, group, "/begrip impact =   ")
    assert harness.last_text(group) == "De eigen uitleg van Impact is verwijderd."
    assert await harness.db.run(glossary.terms, trajectory.id) == []


async def test_in_private_the_current_group_terms_count_and_setting_is_refused(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"))
    anne, bart = users["Anne"], users["Bart"]
    await harness.say(anne, group, "/begrip Impact = Het verschil dat we maken.")
    await harness.say(bart, bart["id"], "/begrip impact")
    assert harness.last_text(bart["id"]) == "Impact\nHet verschil dat we maken.\n\nUitleg van jullie kopgroep."
    await harness.say(bart, bart["id"], "/begrip mvo")
    assert harness.last_text(bart["id"]).startswith("MVO\nMVO staat voor maatschappelijk verantwoord ondernemen.")
    await harness.say(anne, anne["id"], "/begrip Impact = Iets anders")
    assert "doet de moderator in de groep van de kopgroep, niet hier" in harness.last_text(anne["id"])
    # Someone in no group at all still gets the shipped glossary.
    outsider = harness.core.add_user("Zoë", language_code="en")
    await harness.say(outsider, outsider["id"], "/begrip impact")
    assert "Het begrip impact ken ik niet" in harness.last_text(outsider["id"])
    await harness.say(outsider, outsider["id"], "/begrip kopgroep")
    assert harness.last_text(outsider["id"]).startswith("Kopgroep\n")


async def test_english_group_and_english_private_chat(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"), language="en")
    anne, bart = users["Anne"], users["Bart"]
    await harness.say(bart, group, "/begrip sustainability")
    assert harness.last_text(group).startswith("Sustainability\nSustainability means living and working today")
    await harness.say(bart, group, "/begrip MVO")
    assert harness.last_text(group).startswith("CSR\nMVO is Dutch for corporate social responsibility")
    await harness.say(bart, group, "/begrip sustainabilty")
    assert harness.last_text(group).startswith("I do not know the term sustainabilty. Did you mean Sustainability")
    await harness.say(bart, group, "/begrip")
    assert harness.last_text(group).startswith("Terms\nType /begrip and a word")
    await harness.say(bart, group, "/begrip Impact = x")
    assert harness.last_text(group) == "Only the steering group's moderator can do that."
    await harness.say(anne, group, "/begrip Impact = The difference we make.")
    assert harness.last_text(group).startswith("Noted: Impact now has your steering group's own explanation.")
    await harness.say(bart, bart["id"], "/taal nl")
    await harness.say(bart, bart["id"], "/begrip duurzaamheid")
    assert harness.last_text(bart["id"]).startswith("Duurzaamheid\nDuurzaamheid betekent")


async def test_bad_inputs_change_nothing(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"))
    anne = users["Anne"]
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None
    cases = {
        "/begrip " + "woord" * 2000: "Dat woord is te lang (meer dan 60 tekens)",
        "/begrip ???": "Dat is geen woord dat ik kan opzoeken",
        "/begrip \x00\x1b": "Typ bijvoorbeeld /begrip",
        "/begrip = Zomaar een uitleg": "Welk woord bedoel je?",
        "/begrip Impact = " + "lang " * 300: "Die uitleg is te lang (meer dan 1000 tekens)",
        "/begrip <b>": "Het begrip <b> ken ik niet",
    }
    for command, expected in cases.items():
        await harness.say(anne, group, command)
        assert expected in harness.last_text(group), command
    assert await harness.db.run(glossary.terms, trajectory.id) == []
    # Markup is just text: stored as typed, shown escaped.
    await harness.say(anne, group, "/begrip </i>x = <b>vet</b>")
    await harness.say(users["Bart"], group, "/begrip </i>x")
    assert harness.last_from_bot(group)["text"].startswith("</i>x\n<b>vet</b>")
    # Emoji and right-to-left text are words like any other.
    await harness.say(anne, group, "/begrip שלום 🌍 = Vrede op aarde.")
    await harness.say(users["Bart"], group, "/begrip שלום 🌍")
    assert harness.last_text(group) == "שלום 🌍\nVrede op aarde.\n\nUitleg van jullie kopgroep."
