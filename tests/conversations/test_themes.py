"""Candidate themes: catalogues, the MVO-scan import, editing by command and by button."""

from __future__ import annotations

import pytest

from bot.render import Texts
from method.themes.scan_rows import ERROR_CODES, ScanError
from storage import themes, trajectories
from tests.harness import Harness

CSV_OK = (
    b"naam;beschrijving;subthema's;sdg's;maturiteit;sterktes;zwaktes\n"
    b'Duurzaam aankopen;Criteria in overheidsopdrachten;"Overheidsopdrachten; Kantoormateriaal";12, 8;2,5;Eerste ervaringen;Versnipperd\n'
    b"Toegankelijkheid;Begrijpelijke taal;;16 10 11;3;;\n"
)
YAML_OK = b"themes:\n  - name: Mobiliteit\n    sdgs: [11, 13]\n    maturity: 1.5\n  - Interne bestuurlijke werking\n"
CSV_BROKEN = b"naam;sdg's;maturiteit\nAfval;19;3\n;12;2\nAfval;;9\n"


async def setup(harness: Harness, *, language: str = "nl") -> tuple[dict, dict, dict, int]:
    core = harness.core
    group = core.add_group("Kopgroep")
    anne, bart = core.add_user("Anne"), core.add_user("Bart")
    core.add_member(group, anne, "creator")
    core.add_member(group, bart)
    await harness.add_bot(group, anne)
    if language != "nl":
        await harness.say(anne, group, f"/taal {language}")
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    return group, anne, bart, trajectory.id


@pytest.mark.parametrize(("key", "count", "first"), [("sdg", 17, "Geen armoede"), ("iso26000", 7, "Behoorlijk bestuur"), ("examples", 4, "Duurzaam aankopen")])
async def test_choosing_a_catalogue(harness: Harness, key: str, count: int, first: str) -> None:
    group, anne, bart, tid = await setup(harness)
    await harness.say(bart, group, "/catalogus")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/catalogus")
    pick = harness.last_from_bot(group)
    await harness.press(bart, pick, f"cat:{tid}:{key}")  # a member presses: refused
    assert await harness.db.run(themes.list_themes, tid) == []
    await harness.press(anne, pick, f"cat:{tid}:{key}")
    listed = await harness.db.run(themes.list_themes, tid)
    assert len(listed) == count and first in listed[0].name or any(first in t.name for t in listed)
    assert all(t.sdgs for t in listed)
    assert harness.last_text(group).startswith(f"{count} thema's toegevoegd")
    await harness.say(anne, group, "/catalogus")
    await harness.press(anne, harness.last_from_bot(group), f"cat:{tid}:{key}")
    assert harness.last_text(group).startswith("0 thema's toegevoegd uit") and f"({count} stonden er al)" in harness.last_text(group)


async def test_catalogue_in_english_and_list(harness: Harness) -> None:
    group, anne, bart, tid = await setup(harness, language="en")
    await harness.say(anne, group, "/catalogus")
    await harness.press(anne, harness.last_from_bot(group), f"cat:{tid}:sdg")
    await harness.say(bart, group, "/themas")
    text = harness.last_text(group)
    assert text.startswith("Candidate themes") and "#1 No poverty · SDG 1" in text and "#17 Partnerships for the goals" in text


async def test_importing_a_valid_csv_and_yaml(harness: Harness) -> None:
    core = harness.core
    group, anne, bart, tid = await setup(harness)
    await harness.say(anne, group, "/importeer")
    question = harness.last_from_bot(group)
    core.send_document(anne, group, "scan.csv", CSV_OK, "text/csv")
    await harness.run()
    assert "Stuur het bestand" in harness.last_text(group)  # not a reply: the bot cannot see it, nothing happens
    await _reply_with_document(harness, anne, group, question, "scan.csv", CSV_OK)
    assert harness.last_text(group) == "De MVO-scan is ingelezen: 2 thema's, 2 deelthema's en 5 koppelingen met SDG's. Bekijk ze met /themas."
    await harness.say(bart, group, "/themas")
    text = harness.last_text(group)
    assert "#1 Duurzaam aankopen · SDG 8, 12 · maturiteit 2,5" in text
    assert "    ↳ #2 Overheidsopdrachten" in text and "#4 Toegankelijkheid · SDG 10, 11, 16 · maturiteit 3" in text
    # YAML, sent privately by the moderator for her current group.
    await harness.follow_join_button(anne, core.sent_messages(group["id"])[0])
    core.send_document(anne, anne["id"], "scan.yaml", YAML_OK, "application/yaml")
    await harness.run()
    assert "2 thema's, 0 deelthema's en 2 koppelingen" in harness.last_text(anne["id"])
    assert "2 thema's, 0 deelthema's" in harness.last_text(group)
    names = [t.name for t in await harness.db.run(themes.list_themes, tid)]
    assert names[-2:] == ["Mobiliteit", "Interne bestuurlijke werking"]


async def _reply_with_document(harness: Harness, user: dict, group: dict, question: dict, filename: str, data: bytes) -> None:
    """A document sent as a reply to the bot's question (Telegram delivers it in privacy mode)."""
    harness.core.send_document(user, group, filename, data, "text/csv", reply_to_message_id=question["message_id"])
    await harness.run()


async def test_a_broken_file_imports_nothing_and_lists_every_error(harness: Harness) -> None:
    group, anne, bart, tid = await setup(harness)
    await harness.say(anne, group, "/importeer")
    question = harness.last_from_bot(group)
    await _reply_with_document(harness, bart, group, question, "scan.csv", CSV_OK)
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await _reply_with_document(harness, anne, group, question, "scan.csv", CSV_BROKEN)
    text = harness.last_text(group)
    assert text.startswith("Ik heb niets geïmporteerd: het bestand bevat")
    assert 'Regel 2: "19" is geen SDG (1 tot 17).' in text
    assert "Regel 3: de naam ontbreekt." in text
    assert "Regel 4:" in text and "maturiteit" in text
    assert await harness.db.run(themes.list_themes, tid) == []
    await _reply_with_document(harness, anne, group, question, "scan.xlsx", b"PK\x03\x04rest")
    assert "geen CSV- of YAML-bestand" in harness.last_text(group)
    await _reply_with_document(harness, anne, group, question, "foto.png", b"\x89PNG\r\n\x1a\nrest")
    assert "geen CSV- of YAML-bestand" in harness.last_text(group)


def test_every_import_error_has_words_in_both_languages() -> None:
    texts = Texts()
    for lang in ("nl", "en"):
        for code in ERROR_CODES:
            text = texts.render(lang, "themes/import_errors", errors=[ScanError(1, code, {k: "x" for k in ("size", "max", "detail", "columns", "column", "field", "expected", "found", "name", "first_line", "length", "value", "min", "count", "shown")})])
            assert f"{code}\n" not in text + "\n" and not text.rstrip().endswith(code), (lang, code)


async def test_editing_by_command(harness: Harness) -> None:
    group, anne, bart, tid = await setup(harness)
    say = harness.say
    await say(anne, group, "/thema nieuw Duurzaam aankopen")
    assert harness.last_text(group) == "Thema #1 Duurzaam aankopen is toegevoegd."
    await say(anne, group, "/thema nieuw duurzaam AANKOPEN")
    assert harness.last_text(group) == "Er is al een thema met die naam."
    await say(anne, group, "/thema nieuw Mobiliteit")
    await say(anne, group, "/thema nieuw Energie")
    await say(bart, group, "/thema hernoem 1 Fout")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await say(anne, group, "/thema hernoem 1 Duurzaam en eerlijk aankopen")
    await say(anne, group, "/thema beschrijf 1 Sociale en <b>milieu</b>criteria")
    await say(anne, group, "/thema sdg 1 +12 +8 -3")
    assert harness.last_text(group) == "Thema #1 is nu gekoppeld aan SDG 8, 12."
    await say(anne, group, "/thema voorbeeld 1 Gent werkt met een aankoopcharter")
    await say(anne, group, "/thema splits 2 Fiets; Openbaar vervoer")
    assert harness.last_text(group) == "Deelthema's toegevoegd onder #2: #4, #5."
    await say(anne, group, "/thema groepeer 3,5 Energie en vervoer")
    assert harness.last_text(group) == "De thema's zijn samengevoegd tot #6 Energie en vervoer."
    await say(anne, group, "/thema verwijder 4")
    await say(bart, group, "/thema 1")
    detail = harness.last_text(group)
    assert detail.startswith("#1 Duurzaam en eerlijk aankopen") and "Sociale en <b>milieu</b>criteria" in detail
    assert "8. Waardig werk en economische groei" in detail and "• Gent werkt met een aankoopcharter" in detail
    assert harness.last_from_bot(group).get("reply_markup") is None  # no edit buttons for a member
    listed = [(t.position, t.name, t.status) for t in await harness.db.run(themes.list_themes, tid)]
    assert listed == [(1, "Duurzaam en eerlijk aankopen", "candidate"), (2, "Mobiliteit", "candidate"), (6, "Energie en vervoer", "candidate")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/thema nieuw " + "x" * 10_000, "Die tekst is te lang"),
        ("/thema nieuw   \x00\x01 ", "Er ontbreekt tekst"),
        ("/thema hernoem 99 Iets", "Een thema met dat nummer is er niet"),
        ("/thema sdg 1 +18", "SDG's zijn nummers van 1 tot 17"),
        ("/thema schilder 1", "Dat begrijp ik niet"),
        ("/thema 42", "Een thema met dat nummer is er niet"),
    ],
)
async def test_bad_input_changes_nothing(harness: Harness, text: str, expected: str) -> None:
    group, anne, bart, tid = await setup(harness)
    await harness.say(anne, group, "/thema nieuw Afval 🌍 مرحبا")
    before = await harness.db.run(themes.list_themes, tid)
    await harness.say(anne, group, text)
    assert expected in harness.last_text(group)
    assert await harness.db.run(themes.list_themes, tid) == before


async def test_buttons_sdg_toggle_and_remove_with_confirm(harness: Harness) -> None:
    group, anne, bart, tid = await setup(harness)
    await harness.say(anne, group, "/thema nieuw Klimaat")
    await harness.say(anne, group, "/thema 1")
    detail = harness.last_from_bot(group)
    theme_id = (await harness.db.run(themes.list_themes, tid))[0].id
    await harness.press(anne, detail, f"thm:{tid}:{theme_id}:sdg")
    await harness.press(anne, detail, f"sdg:{tid}:{theme_id}:13")
    await harness.press(anne, detail, f"sdg:{tid}:{theme_id}:7")
    await harness.press(anne, detail, f"sdg:{tid}:{theme_id}:13")
    assert (await harness.db.run(themes.list_themes, tid))[0].sdgs == (7,)
    # Forged: another group's id, a member pressing, a theme of nowhere.
    query = await harness.forge_press(anne, detail, f"sdg:{tid + 1}:{theme_id}:3")
    assert harness.core.callback_queries[query]["answer"]["show_alert"]
    query = await harness.forge_press(bart, detail, f"sdg:{tid}:{theme_id}:3")
    assert "moderator" in harness.core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(anne, detail, f"sdg:{tid}:{theme_id + 99}:3")
    assert (await harness.db.run(themes.list_themes, tid))[0].sdgs == (7,)
    await harness.press(anne, detail, f"thm:{tid}:{theme_id}:done")
    await harness.press(anne, detail, f"thm:{tid}:{theme_id}:del")
    assert "verwijderen?" in harness.core.sent_messages(group["id"])[-1]["text"]
    await harness.press(anne, detail, f"thm:{tid}:{theme_id}:no")
    assert len(await harness.db.run(themes.list_themes, tid)) == 1
    await harness.press(anne, detail, f"thm:{tid}:{theme_id}:del")
    await harness.press(anne, detail, f"thm:{tid}:{theme_id}:yes")
    assert await harness.db.run(themes.list_themes, tid) == []


async def test_no_structural_edits_while_a_round_is_open(harness: Harness) -> None:
    core = harness.core
    group, anne, bart, tid = await setup(harness)
    for name in ("A", "B", "C", "D"):
        await harness.say(anne, group, f"/thema nieuw {name}")
    for person in (anne, bart):
        await harness.follow_join_button(person, core.sent_messages(group["id"])[0])
    await harness.say(anne, group, "/stemronde")
    for text in ("/thema verwijder 1", "/thema groepeer 1,2 AB", "/thema splits 3 X; Y"):
        await harness.say(anne, group, text)
        assert "niet terwijl er een stemronde loopt" in harness.last_text(group)
    assert len(await harness.db.run(themes.list_themes, tid)) == 4


async def test_a_text_reply_to_the_import_question_asks_for_a_file(harness: Harness) -> None:
    group, anne, bart, tid = await setup(harness)
    await harness.say(anne, group, "/importeer")
    question = harness.last_from_bot(group)
    await harness.say(anne, group, "naam;sdg's\nAfval;12", reply_to=question["message_id"])
    assert harness.last_text(group) == "Stuur de MVO-scan als bestand (CSV of YAML), als antwoord op mijn vraag."
    assert await harness.db.run(themes.list_themes, tid) == []


async def test_editing_by_button_as_the_typed_commands_would(harness: Harness) -> None:
    """/thema <nr>'s buttons: the same edits as /thema hernoem|beschrijf|splits|groepeer|voorbeeld."""
    group, anne, bart, tid = await setup(harness)
    for name in ("Duurzaam aankopen", "Mobiliteit", "Energie"):
        await harness.say(anne, group, f"/thema nieuw {name}")
    ids = {t.position: t.id for t in await harness.db.run(themes.list_themes, tid)}

    async def press_and_answer(position: int, action: str, answer: str) -> None:
        await harness.say(anne, group, f"/thema {position}")
        detail = harness.last_from_bot(group)
        await harness.press(anne, detail, f"thm:{tid}:{ids[position]}:{action}")
        question = harness.last_from_bot(group)
        assert question["text"].startswith("Anne, ") and "Antwoord op dit bericht." in question["text"]
        await harness.say(anne, group, answer, reply_to=question["message_id"])

    await press_and_answer(1, "ren", "Duurzaam en eerlijk aankopen")
    assert harness.last_text(group).startswith("Thema #1 heet nu Duurzaam en eerlijk aankopen")
    await press_and_answer(1, "desc", "Sociale en milieucriteria")
    await press_and_answer(1, "ex", "Gent werkt met een aankoopcharter")
    await press_and_answer(2, "split", "Fiets; Openbaar vervoer")
    assert harness.last_text(group) == "Deelthema's toegevoegd onder #2: #4, #5."

    # Group with another theme: pick it, then name the new one.
    await harness.say(anne, group, "/thema 3")
    detail = harness.last_from_bot(group)
    await harness.press(anne, detail, f"thm:{tid}:{ids[3]}:merge")
    pick = next(m for m in harness.core.sent_messages(group["id"]) if m["message_id"] == detail["message_id"])
    assert "Met welk thema groepeer je thema 3?" in pick["text"]
    five = next(t.id for t in await harness.db.run(themes.list_themes, tid) if t.position == 5)
    await harness.press(anne, pick, f"thg:{tid}:{ids[3]}:{five}")
    question = harness.last_from_bot(group)
    # Bart may not answer; a too long name is refused and the question stays open.
    await harness.say(bart, group, "Fout", reply_to=question["message_id"])
    assert "alleen de moderator" in harness.last_text(group)
    await harness.say(anne, group, "x" * 500, reply_to=question["message_id"])
    assert "Die tekst is te lang" in harness.last_text(group)
    await harness.say(anne, group, "Energie en vervoer", reply_to=question["message_id"])
    assert harness.last_text(group) == "De thema's zijn samengevoegd tot #6 Energie en vervoer."

    detail_text = (await harness.db.run(themes.detail, tid, 1)).theme
    assert detail_text.name == "Duurzaam en eerlijk aankopen" and detail_text.description == "Sociale en milieucriteria"
    listed = [(t.position, t.name) for t in await harness.db.run(themes.list_themes, tid)]
    assert listed == [(1, "Duurzaam en eerlijk aankopen"), (2, "Mobiliteit"), (4, "Fiets"), (6, "Energie en vervoer")]
    # A member's press asks nothing.
    query = await harness.forge_press(bart, detail, f"thm:{tid}:{ids[1]}:ren")
    assert "moderator" in harness.core.callback_queries[query]["answer"]["text"]
