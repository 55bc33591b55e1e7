"""/sessie posts and pins the synthesis; /notitie keeps the moderator's notes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage import synthesis, trajectories
from storage.models import Meeting, Theme
from tests.harness import Harness


async def setup_group(harness: Harness, *, bot_admin: bool = True) -> tuple[dict, dict, dict]:
    core = harness.core
    group = core.add_group("Kopgroep")
    anne, bart = core.add_user("Anne"), core.add_user("Bart")
    core.add_member(group, anne, "creator")
    core.add_member(group, bart)
    await harness.add_bot(group, anne)
    await harness.say(anne, group, "/organisatie Gemeente Zottegem")
    if bot_admin:
        core.set_bot_status(group, "administrator")
    return group, anne, bart


async def test_synthesis_with_notes_scan_data_and_date(harness: Harness) -> None:
    group, anne, bart = await setup_group(harness)
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])

    def add_scan_themes(session) -> None:  # type: ignore[no-untyped-def]
        session.add_all([
            Theme(trajectory_id=trajectory.id, position=1, name="Duurzaam aankopen", source="scan", maturity=2.5,
                  strengths="Goede aankoopprocedures", weaknesses="Weinig opvolging"),
            Theme(trajectory_id=trajectory.id, position=2, name="Toegankelijkheid", source="scan", maturity=3.0),
        ])

    await harness.db.run(add_scan_themes)
    await harness.say(anne, group, "/notitie lokalefoto Veel gebeurt al rond afval & energie")
    assert harness.last_text(group) == "Genoteerd voor de synthese: Lokale foto."
    await harness.say(anne, group, "/notitie agenda 1. Synthese\n2. Dialoog")
    await harness.say(anne, group, "/sessie 10 december 14u")

    text = harness.last_text(group)
    assert text.startswith("Gemeente Zottegem – sessie van 10 december 2026 om 14:00")
    assert "✅ 1. Kandidaat-thema's bepalen" in text
    assert "👉 2. Synthese" not in text  # this session is the synthesis: done now
    assert "✅ 2. Synthese bij de start van de sessie" in text and "👉 3. Open dialoog" in text
    assert "Lokale foto: Veel gebeurt al rond afval & energie" in text
    assert "Sterke punten (MVO-scan): Duurzaam aankopen: Goede aankoopprocedures" in text
    assert "Maturiteit volgens de scan: Duurzaam aankopen 2,5, Toegankelijkheid 3" in text
    assert "Kandidaat-thema's: Duurzaam aankopen, Toegankelijkheid" in text
    assert text.endswith("1. Synthese\n2. Dialoog")

    synthesis_message = harness.last_from_bot(group)
    (pin,) = harness.core.calls_of("pinChatMessage")
    assert pin.ok and pin.params["message_id"] in (synthesis_message["message_id"], str(synthesis_message["message_id"]))

    def meeting_row(session):  # type: ignore[no-untyped-def]
        row = session.scalars(select(Meeting)).one()
        return row.starts_at, row.synthesis_message_id

    starts_at, message_id = await harness.db.run(meeting_row)
    assert starts_at == datetime(2026, 12, 10, 14, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    assert message_id == synthesis_message["message_id"]


async def test_empty_trajectory_and_english(harness: Harness) -> None:
    group, anne, _ = await setup_group(harness)
    await harness.say(anne, group, "/taal en")
    await harness.say(anne, group, "/sessie")
    text = harness.last_text(group)
    assert "Where are we?" in text and "👉 1. Define the candidate themes" in text
    assert "Candidate themes: none yet" in text
    assert "Today's agenda\n1. Define the candidate themes\n2. Open dialogue\n3. Choose the priority themes" in text


async def test_bad_dates_and_rights(harness: Harness) -> None:
    group, anne, bart = await setup_group(harness)
    await harness.say(bart, group, "/sessie")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/sessie ergens volgend jaar")
    assert "Die datum begrijp ik niet" in harness.last_text(group)
    await harness.say(anne, group, "/sessie 1/1/2020 10u")
    assert "in het verleden" in harness.last_text(group)
    assert not await harness.db.run(lambda s: s.scalars(select(Meeting)).all())


async def test_pin_needs_rights_in_a_supergroup(harness: Harness) -> None:
    core = harness.core
    group = core.add_group("Kopgroep", supergroup=True)
    anne = core.add_user("Anne")
    core.add_member(group, anne, "creator")
    await harness.add_bot(group, anne)  # a plain member: may not pin in a supergroup
    await harness.say(anne, group, "/sessie")
    (pin,) = core.calls_of("pinChatMessage")
    assert not pin.ok
    assert harness.last_text(group).startswith("Ik kon de synthese niet vastpinnen.")
    assert "Waar staan we?" in harness.bot_texts(group)[-2]


async def test_notes_bad_input_changes_nothing(harness: Harness) -> None:
    group, anne, bart = await setup_group(harness)
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    await harness.say(anne, group, "/notitie sterktes Goede <b>samenwerking</b> 🌱")
    for text, expected in [
        ("/notitie onbekend iets", "Die soort notitie ken ik niet"),
        ("/notitie sterktes", "Schrijf de tekst van de notitie"),
        ("/notitie sterktes " + "x" * 10_000, "Die notitie is te lang"),
        ("/notitie sterktes \x00\x01  ", "Schrijf de tekst van de notitie"),
    ]:
        await harness.say(anne, group, text)
        assert expected in harness.last_text(group)
    await harness.say(bart, group, "/notitie sterktes Bart was hier")
    assert await harness.db.run(synthesis.notes, trajectory.id) == {"sterktes": "Goede <b>samenwerking</b> 🌱"}
    await harness.say(anne, group, "/notitie")
    overview = harness.last_text(group)
    assert "Sterke punten: Goede <b>samenwerking</b> 🌱" in overview
    await harness.say(anne, group, "/notitie sterktes -")
    assert await harness.db.run(synthesis.notes, trajectory.id) == {}
