"""Dream images in-process (both databases, a controllable clock): the template for 3 themes and 6
members, writing, editing and deleting, a DOCX round trip, the next session in Dutch and English,
reminders at the right moments only to who is not done, a restart in between, late joiners, people
who leave or block the bot, and the moderator's processing up to the published summary."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import pytest
from sqlalchemy import delete, select

from conversations import dream_reminders
from storage import dreams, reminders
from storage.models import DreamImage, Meeting, Prompt, Reminder
from tests.conversations.dream_helpers import (
    START,
    Clock,
    data_of,
    dream_group,
    install_clock,
    latest_with_prefix,
    mark_done,
    reminders_to,
    write,
)
from tests.harness import Harness

# 10 December 2026 14:00 in Brussels = 13:00 UTC; reminders 72 and 24 hours before.
SESSION_UTC = START.replace(day=10, hour=13)
FIRST, SECOND = SESSION_UTC - timedelta(hours=72), SESSION_UTC - timedelta(hours=24)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(monkeypatch)


async def own_images(harness: Harness, person: dict) -> list[DreamImage]:
    from storage.models import Person

    def query(session):  # type: ignore[no-untyped-def]
        person_id = session.scalar(select(Person.id).where(Person.telegram_id == person["id"]))
        return list(
            session.scalars(select(DreamImage).where(DreamImage.person_id == person_id).order_by(DreamImage.id))
        )

    return await harness.db.run(query)


async def test_collection_for_three_themes_and_six_members(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness)
    anne, bart, chris, dirk, els, fien = people
    t1, t2, t3 = themes

    await harness.say(bart, group, "/droombeelden")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/droombeelden")
    started = harness.last_text(group)
    assert "Elk lid kreeg het sjabloon met de 3 thema's" in started and "Thema 4" not in started
    for person in people:  # everyone, privately, with a button per chosen theme
        template = latest_with_prefix(core, person["id"], "dth:")
        assert data_of(template, "dth:") == [f"dth:{trajectory_id}:{t}" for t in themes]
        assert "Wat zou je graag zien gebeuren rond dit thema, als alles kan en mag?" in template["text"]
        assert "Bijvoorbeeld: Levensduur van gebruikte materialen" in template["text"]

    # Every member writes; one per message, for the theme they pressed.
    for index, person in enumerate(people):
        await write(
            harness, person, trajectory_id, t1, f"Droom {index} over aankopen", f"Nog een droom {index} over aankopen"
        )
        await write(harness, person, trajectory_id, t2, f"Droom {index} over toegankelijkheid")
        assert "Genoteerd bij Thema 2 (1 droombeeld)" in harness.last_text(person["id"])
    await write(harness, chris, trajectory_id, t3, "Fietsen naar het werk belonen")
    await harness.say(chris, chris["id"], "fietsen naar het werk   BELONEN")  # the same again: kept once
    assert "had je al" in harness.last_text(chris["id"])
    await harness.say(chris, chris["id"], "x" * 1001)
    assert "te lang voor één droombeeld" in harness.last_text(chris["id"])
    assert len(await harness.db.run(lambda s: list(s.scalars(select(DreamImage))))) == 6 * 3 + 1

    # Bart edits his second dream image about purchasing; Dirk deletes one of his.
    await write(harness, bart, trajectory_id, t1)
    view = harness.core.sent_messages(bart["id"])[-1]
    assert "1. Droom 1 over aankopen" in view["text"] and "2. Nog een droom 1 over aankopen" in view["text"]
    second = (await own_images(harness, bart))[1]
    await harness.press(bart, view, f"ded:{second.id}")
    assert "Stuur de nieuwe tekst voor droombeeld 2" in harness.last_text(bart["id"])
    await harness.say(bart, bart["id"], "Centraal aankopen voor gemeente en OCMW")
    assert harness.last_text(bart["id"]).startswith("✅ Gewijzigd: Centraal aankopen")
    assert [i.text for i in await own_images(harness, bart)][1] == "Centraal aankopen voor gemeente en OCMW"
    await harness.say(bart, bart["id"], "Een nieuwe droom na het wijzigen")  # back to adding for theme 1
    assert "Genoteerd bij Thema 1 (3 droombeelden)" in harness.last_text(bart["id"])

    await write(harness, dirk, trajectory_id, t2)
    doomed = (await own_images(harness, dirk))[-1]
    await harness.press(dirk, core.sent_messages(dirk["id"])[-1], f"ddel:{doomed.id}")
    assert doomed.id not in [i.id for i in await own_images(harness, dirk)]
    assert "Je schreef nog geen droombeelden bij dit thema" in core.sent_messages(dirk["id"])[-1]["text"]

    # Forged presses: someone else's dream image, a theme that is not chosen, another group.
    bart_image = (await own_images(harness, bart))[0]
    query = await harness.forge_press(dirk, core.sent_messages(dirk["id"])[-1], f"ded:{bart_image.id}")
    assert "niet van jou" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(dirk, core.sent_messages(dirk["id"])[-1], f"ddel:{bart_image.id}")
    assert "niet van jou" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(dirk, core.sent_messages(dirk["id"])[-1], f"dth:{trajectory_id}:{themes[-1] + 1}")
    assert "niet (meer) gekozen" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(dirk, core.sent_messages(dirk["id"])[-1], f"ddone:{trajectory_id + 99}:{t1}:1")
    assert "geen lid van die kopgroep" in core.callback_queries[query]["answer"]["text"]
    assert bart_image.id in [i.id for i in await own_images(harness, bart)]

    # A message before choosing a theme: the member picks one and nothing is lost.
    await harness.db.run(lambda s: s.execute(delete(Prompt).where(Prompt.chat_id == els["id"])))
    await harness.say(els, els["id"], "Een autovrije dag organiseren")
    assert "Bij welk thema hoort dit droombeeld?" in harness.last_text(els["id"])
    await harness.press(els, core.sent_messages(els["id"])[-1], f"dth:{trajectory_id}:{t3}")
    assert "Genoteerd bij Thema 3 (1 droombeeld)" in harness.last_text(els["id"])

    # Fien is done with all three; the group sees the counts, never who wrote what.
    for theme in themes:
        await mark_done(harness, fien, trajectory_id, theme)
    assert "Je bent klaar met alle 3 thema's" in harness.last_text(fien["id"])
    await harness.say(anne, group, "/droombeelden")
    status = harness.last_text(group)
    assert "1 van 6 leden is klaar met alle thema's; samen 20 droombeelden" in status
    assert not any(p["first_name"] in status for p in people)
    # In private, /droombeelden shows a member their template again.
    await harness.say(dirk, dirk["id"], "/droombeelden")
    assert "Droombeelden · Gemeente Zottegem" in harness.last_text(dirk["id"])
    assert all(q["answered"] for q in core.callback_queries.values())


async def test_docx_round_trip(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=3)
    anne, bart, _ = people
    await harness.say(anne, group, "/droombeelden")
    await write(harness, bart, trajectory_id, themes[0], "Al getypt in de chat")
    template = latest_with_prefix(core, bart["id"], "ddoc:")
    await harness.press(bart, template, f"ddoc:{trajectory_id}")
    (sent,) = [c for c in core.calls_of("sendDocument") if c.ok]
    assert sent.result["document"]["file_name"] == "droombeelden-sjabloon.docx"
    content = core.files[sent.result["document"]["file_id"]]["content"]

    # Bart fills it in as Word would: rows in each theme's table, one extra row added.
    document = docx.Document(io.BytesIO(content))
    tables = document.tables
    assert len(tables) == 3
    tables[0].rows[1].cells[0].text = "Kraantjeswater in plaats van flessenwater"
    tables[0].rows[2].cells[0].text = "Al getypt in de chat"  # already there: kept once
    tables[1].rows[1].cells[0].text = "Geen ambtenarentaal meer in raadsbeslissingen"
    tables[2].add_row().cells[0].text = "Een dienst gezondheidspromotie"
    out = io.BytesIO()
    document.save(out)
    core.send_document(bart, bart["id"], "ingevuld.docx", out.getvalue())
    await harness.run()
    assert "Ingelezen: 3 nieuwe droombeelden, 1 had je al" in harness.last_text(bart["id"])
    texts = {(i.theme_id, i.text) for i in await own_images(harness, bart)}
    assert texts == {
        (themes[0], "Al getypt in de chat"),
        (themes[0], "Kraantjeswater in plaats van flessenwater"),
        (themes[1], "Geen ambtenarentaal meer in raadsbeslissingen"),
        (themes[2], "Een dienst gezondheidspromotie"),
    }
    # Not a template, not a Word file.
    core.send_document(bart, bart["id"], "brief.docx", b"not a zip at all")
    await harness.run()
    assert "kon dat document niet lezen" in harness.last_text(bart["id"])
    core.send_document(bart, bart["id"], "foto.pdf", b"%PDF-1.4")
    await harness.run()
    assert "Ik lees alleen het Word-sjabloon" in harness.last_text(bart["id"])
    # /sjabloon gives the document too.
    await harness.say(bart, bart["id"], "/sjabloon")
    assert len([c for c in core.calls_of("sendDocument") if c.ok]) == 2


@pytest.mark.parametrize(
    "typed, problem",
    [
        ("", "Wanneer is de volgende sessie?"),
        ("vandaag 8u", "Die datum ligt in het verleden"),
        ("1/12 om 8u", "Die datum ligt in het verleden"),
        ("morgen", "Om hoe laat begint de sessie op 2 december 2026?"),
        ("binnenkort ergens", "Die datum begrijp ik niet"),
        ("31/02 14u", "Die datum begrijp ik niet"),
        ("10 december 25u", "Die datum begrijp ik niet"),
        ("dinsdag 10 december 14u", "10 december 2026 is een donderdag, geen dinsdag. Welke dag bedoel je?"),
        ("vrijdag 10/12 14u", "is een donderdag, geen vrijdag"),
    ],
)
async def test_next_session_bad_input_gets_a_clear_question(
    harness: Harness, clock: Clock, typed: str, problem: str
) -> None:
    group, people, _, _ = await dream_group(harness, members=2)
    await harness.say(people[0], group, f"/volgendesessie {typed}".strip())
    assert problem in harness.last_text(group)
    assert not await harness.db.run(lambda s: list(s.scalars(select(Meeting))))


@pytest.mark.parametrize(
    "typed, language",
    [
        ("10 december 14u", "nl"),
        ("10/12 om 14:00", "nl"),
        ("10 dec. om 14u00", "nl"),
        ("next Thursday 2pm", "en"),
        ("December 10 at 2pm", "en"),
    ],
)
async def test_next_session_in_dutch_and_english(harness: Harness, clock: Clock, typed: str, language: str) -> None:
    core = harness.core
    group, people, _, trajectory_id = await dream_group(harness, members=2, language=language)
    await harness.say(people[0], group, f"/volgendesessie {typed}")
    announcement = core.sent_messages(group["id"])[-2]["text"]
    if language == "nl":
        assert announcement.startswith("📅 Volgende sessie: donderdag 10 december 2026 om 14:00.")
    else:
        assert announcement.startswith("📅 Next session: Thursday 10 December 2026 at 14:00.")
    (invitation,) = [c for c in core.calls_of("sendDocument") if c.ok]
    ics = core.files[invitation.result["document"]["file_id"]]["content"].decode()
    assert "BEGIN:VEVENT" in ics and "SEQUENCE:0" in ics and "20261210T" in ics
    session = await harness.db.run(reminders.next_session, trajectory_id, START)
    assert session is not None and session.starts_at == SESSION_UTC


@pytest.mark.parametrize(
    "typed, shown, assumed",
    [
        ("donderdag 10 december 14u-16u", "donderdag 10 december 2026 om 14:00 tot 16:00.", False),
        ("do 10/12 van 14u tot 16u", "donderdag 10 december 2026 om 14:00 tot 16:00.", False),
        ("volgende week donderdag 14u-16u", "donderdag 10 december 2026 om 14:00 tot 16:00.", False),
        ("10 december 's namiddags", "donderdag 10 december 2026 om 14:00.", True),
    ],
)
async def test_next_session_as_invitations_write_it(
    harness: Harness, clock: Clock, typed: str, shown: str, assumed: bool
) -> None:
    """A weekday, a time range, a part of the day: the start kept, the end in the invitation."""
    core = harness.core
    group, people, _, trajectory_id = await dream_group(harness, members=2)
    await harness.say(people[0], group, f"/volgendesessie {typed}")
    announcement = core.sent_messages(group["id"])[-2]["text"]
    assert announcement.startswith(f"📅 Volgende sessie: {shown}")
    assert ("Je gaf geen uur: ik noteer 14:00." in announcement) is assumed
    (invitation,) = [c for c in core.calls_of("sendDocument") if c.ok]
    ics = core.files[invitation.result["document"]["file_id"]]["content"].decode()
    assert "DTSTART:20261210T130000Z" in ics
    assert "DTEND:20261210T150000Z" in ics  # until 16u, or two hours when no end was given
    session = await harness.db.run(reminders.next_session, trajectory_id, START)
    assert session is not None and session.starts_at == SESSION_UTC
    assert session.ends_at == (None if assumed else SESSION_UTC + timedelta(hours=2))


async def test_a_new_end_alone_updates_the_invitation(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, _, trajectory_id = await dream_group(harness, members=2)
    await harness.say(people[0], group, "/volgendesessie 10 december 14u-16u")
    await harness.say(people[0], group, "/volgendesessie 10 december 14u-17u")
    icses = [core.files[c.result["document"]["file_id"]]["content"].decode() for c in core.calls_of("sendDocument") if c.ok]
    assert "DTEND:20261210T160000Z" in icses[-1] and "SEQUENCE:1" in icses[-1]


async def test_moving_the_session_updates_the_invitation_and_the_reminders(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, _, trajectory_id = await dream_group(harness, members=3)
    anne = people[0]
    await harness.say(anne, group, "/droombeelden")
    await harness.say(anne, group, "/volgendesessie 10 december 14u")
    assert (
        "Wie nog niet klaar is, krijgt een herinnering: 7 december 2026 om 14:00 en 9 december 2026 om 14:00"
        in core.sent_messages(group["id"])[-2]["text"]
    )
    await harness.say(anne, group, "/volgendesessie 11 december 9u30")
    moved = core.sent_messages(group["id"])[-2]["text"]
    assert (
        "Volgende sessie (verplaatst): vrijdag 11 december 2026 om 09:30, in plaats van 10 december 2026 om 14:00"
        in moved
    )
    icses = [
        core.files[c.result["document"]["file_id"]]["content"].decode() for c in core.calls_of("sendDocument") if c.ok
    ]
    uid = [line for line in icses[0].splitlines() if line.startswith("UID")]
    assert uid == [line for line in icses[1].splitlines() if line.startswith("UID")]  # the same event, updated
    assert "SEQUENCE:1" in icses[1]
    dues = {row[3] for row in await harness.db.run(reminders.states, trajectory_id)}
    eleventh = START.replace(day=11, hour=8, minute=30)
    assert dues == {eleventh - timedelta(hours=72), eleventh - timedelta(hours=24)}
    assert len(await harness.db.run(lambda s: list(s.scalars(select(Meeting))))) == 1

    await harness.say(anne, group, "/herinneringen 48 2")
    text = harness.last_text(group)
    assert "2 dagen en 2 uur vóór de sessie" in text and "9 december 2026 om 09:30, 11 december 2026 om 07:30" in text
    await harness.say(anne, group, "/herinneringen morgen")
    assert "Dat begrijp ik niet" in harness.last_text(group)

    # The same by button: a preset, marked once chosen; a member's press changes nothing.
    await harness.say(anne, group, "/herinneringen")
    shown = harness.last_from_bot(group)
    labels = [b["text"] for row in shown["reply_markup"]["inline_keyboard"] for b in row]
    assert "✅ 2 dagen en 2 uur vooraf" in labels
    week = next(b["callback_data"] for row in shown["reply_markup"]["inline_keyboard"] for b in row if "1 week" in b["text"])
    await harness.press(people[1], shown, week)
    assert {row[3] for row in await harness.db.run(reminders.states, trajectory_id) if row[2] == "pending"} == {
        eleventh - timedelta(hours=48), eleventh - timedelta(hours=2)
    }
    await harness.press(anne, shown, week)
    edited = next(m for m in core.sent_messages(group["id"]) if m["message_id"] == shown["message_id"])
    assert "7 dagen en 1 dag vóór de sessie" in edited["text"]
    assert "✅ 1 week en 1 dag vooraf" in [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row]
    assert {row[3] for row in await harness.db.run(reminders.states, trajectory_id) if row[2] == "pending"} == {
        eleventh - timedelta(hours=168), eleventh - timedelta(hours=24)
    }


async def test_reminders_only_to_who_is_not_done_at_the_right_moments_across_a_restart(
    harness: Harness, clock: Clock
) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness)
    anne, bart, chris, dirk, els, fien = people
    await harness.say(anne, group, "/droombeelden")
    await harness.say(anne, group, "/volgendesessie 10 december 14u")
    for theme in themes:
        await mark_done(harness, fien, trajectory_id, theme)
    await write(harness, els, trajectory_id, themes[0], "Een droom")
    for theme in themes[:2]:
        await mark_done(harness, els, trajectory_id, theme)

    app = harness.app
    assert await dream_reminders.run_reminders(app, FIRST - timedelta(seconds=1)) == {}
    outcomes = await dream_reminders.run_reminders(app, FIRST)
    assert sorted(o for o, _ in outcomes.values()) == ["dropped:done"] + ["sent"] * 5
    for person in people:
        assert len(reminders_to(core, person)) == (0 if person is fien else 1), person["first_name"]
    els_reminder = reminders_to(core, els)[0]
    assert "Thema 3 (nog geen)" in els_reminder and "Thema 1" not in els_reminder and "over 3 dagen" in els_reminder
    assert data_of(core.sent_messages(els["id"])[-1], "dth:") == [f"dth:{trajectory_id}:{themes[2]}"]
    assert await dream_reminders.run_reminders(app, FIRST + timedelta(minutes=1)) == {}  # none twice

    # Bart finishes; an instance claims the second round and dies before sending.
    for theme in themes:
        await mark_done(harness, bart, trajectory_id, theme)
    dead = await harness.db.run(reminders.claim_due, SECOND, "dead-instance")
    assert len(dead) == 6

    # Restart: a new application on the same database; its tick job is rebuilt, no state carried.
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application

    restarted = build_application(app.bot_data["services"].settings, db=harness.db, request=FakeTelegramRequest(core))
    await restarted.initialize()
    await restarted.post_init(restarted)
    try:
        assert restarted.job_queue.get_jobs_by_name(dream_reminders.JOB_NAME)
        assert (
            await dream_reminders.run_reminders(restarted, SECOND + timedelta(minutes=1)) == {}
        )  # a fresh claim is respected
        taken = await dream_reminders.run_reminders(restarted, SECOND + timedelta(minutes=6))
        assert sorted(o for o, _ in taken.values()) == ["dropped:done"] * 2 + ["sent"] * 4
        assert await dream_reminders.run_reminders(restarted, SECOND + timedelta(minutes=7)) == {}
        assert await dream_reminders.run_reminders(app, SECOND + timedelta(minutes=8)) == {}  # the old one neither
    finally:
        await restarted.shutdown()
    for person in people:
        expected = {"Fien": 0, "Bart": 1}.get(person["first_name"], 2)
        assert len(reminders_to(core, person)) == expected, person["first_name"]
    assert "over 23 uur" in reminders_to(core, anne)[-1]

    # After the session started nothing goes out, not even on request.
    clock.set(SESSION_UTC + timedelta(minutes=1))
    await harness.say(anne, group, "/herinner")
    assert "Niemand kreeg een herinnering" in harness.last_text(group)
    states = await harness.db.run(reminders.states, trajectory_id)
    assert {state for _, _, state, *_ in states} <= {"sent", "dropped"}
    assert sum(1 for row in states if row[2] == "sent") == 5 + 4


async def test_downtime_over_both_moments_sends_one_reminder_and_none_after_the_session(
    harness: Harness, clock: Clock
) -> None:
    core = harness.core
    group, people, _, _ = await dream_group(harness, members=2)
    await harness.say(people[0], group, "/droombeelden")
    await harness.say(people[0], group, "/volgendesessie 10 december 14u")
    # The bot was down from before the first moment until three hours before the session.
    outcomes = await dream_reminders.run_reminders(harness.app, SESSION_UTC - timedelta(hours=3))
    assert sorted(o for o, _ in outcomes.values()) == ["dropped:superseded"] * 2 + ["sent"] * 2
    assert [len(reminders_to(core, p)) for p in people] == [1, 1]
    assert "over 3 uur" in reminders_to(core, people[1])[0]


async def test_stale_reminders_after_the_session_are_dropped(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, _, _ = await dream_group(harness, members=2)
    await harness.say(people[0], group, "/droombeelden")
    await harness.say(people[0], group, "/volgendesessie 10 december 14u")
    outcomes = await dream_reminders.run_reminders(harness.app, SESSION_UTC + timedelta(hours=1))
    assert {o for o, _ in outcomes.values()} == {"dropped:session_started"}
    assert not any(reminders_to(core, p) for p in people)


async def test_manual_reminder_late_joiner_leaver_and_blocker(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=4)
    anne, bart, chris, dirk = people
    await harness.say(anne, group, "/herinner")
    assert "Er worden nog geen droombeelden verzameld" in harness.last_text(group)
    await harness.say(anne, group, "/droombeelden")
    await harness.say(anne, group, "/volgendesessie 10 december 14u")

    # A late joiner gets the template straight away, and the reminders.
    gert = core.add_user("Gert")
    core.add_member(group, gert)
    welcome = core.sent_messages(group["id"])[0]
    await harness.follow_join_button(gert, welcome)
    assert data_of(latest_with_prefix(core, gert["id"], "dth:"), "dth:") == [f"dth:{trajectory_id}:{t}" for t in themes]
    # Chris leaves the Telegram group; Dirk blocks the bot.
    from telegram import Update

    left = {
        "update_id": 1,
        "message": {"message_id": 999, "date": 0, "chat": group, "from": chris, "left_chat_member": chris},
    }
    await harness.app.process_update(Update.de_json(left, harness.app.bot))
    core.block_bot(dirk)
    await harness.run()

    await harness.say(anne, group, "/herinner")
    assert (
        harness.last_text(group)
        == "⏰ Herinnering gestuurd aan 3 leden die nog niet klaar zijn. Niet bereikbaar: Dirk."
    )
    assert [len(reminders_to(core, p)) for p in (anne, bart, chris, dirk, gert)] == [1, 1, 0, 0, 1]
    told = core.sent_messages(anne["id"])[-1]["text"]
    assert "Ik kon geen herinnering voor de droombeelden sturen aan Dirk" in told
    clock.set(START + timedelta(minutes=1))
    await harness.say(anne, group, "/herinner")  # pressed again a minute later: nobody twice
    assert "Niemand kreeg een herinnering" in harness.last_text(
        group
    ) and "3 kregen er net nog een" in harness.last_text(group)
    outcomes = await dream_reminders.run_reminders(harness.app, FIRST)
    assert sorted(o for o, _ in outcomes.values()) == ["dropped:left", "sent", "sent", "sent", "unreachable"]
    rows = await harness.db.run(
        lambda s: list(s.scalars(select(Reminder).where(Reminder.kind == "auto", Reminder.due_at == FIRST)))
    )
    assert len(rows) == 5


async def test_moderator_processes_merges_groups_and_publishes(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=4)
    anne, bart, chris, dirk = people
    t1, t2, t3 = themes
    await harness.say(anne, group, "/verwerk")
    assert "Er worden nog geen droombeelden verzameld" in harness.last_text(group)
    await harness.say(anne, group, "/droombeelden")
    await write(
        harness,
        bart,
        trajectory_id,
        t1,
        "Kraantjeswater in plaats van flessenwater",
        "Het personeel geeft het goede voorbeeld",
    )
    await write(harness, chris, trajectory_id, t1, "Kraantjeswater i.p.v. flessenwater bij de gemeente")
    await write(harness, chris, trajectory_id, t3, "Hybride en elektrische wagens aankopen")
    await write(harness, dirk, trajectory_id, t1, "Aankoop van elektrische wagens", "Materialen hergebruiken")
    await write(harness, dirk, trajectory_id, t2, "Geen ambtenarentaal meer")
    numbers = {i.text: i.number for i in await harness.db.run(lambda s: list(s.scalars(select(DreamImage))))}

    await harness.say(bart, group, "/verwerk")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/verwerk")
    assert "Ik stuurde Anne de droombeelden privé om te verwerken" in harness.last_text(group)
    overview = latest_with_prefix(core, anne["id"], "dpv:")
    assert "Droombeelden verwerken" in overview["text"] and "zonder namen" in overview["text"]
    assert not any(p["first_name"] in overview["text"] for p in (bart, chris, dirk))
    # Names only on request.
    await harness.press(anne, overview, f"dpv:{trajectory_id}:1")
    assert "– Chris" in latest_with_prefix(core, anne["id"], "dpv:")["text"]

    # The bot proposes the water pair (same theme, other words) and the cars (across themes).
    proposal = latest_with_prefix(core, anne["id"], "dpp:")
    proposed = []
    while data_of(proposal, "dpp:"):
        text = proposal["text"]
        pair = {n for t, n in numbers.items() if f"{n}. {t}" in text}
        proposed.append(pair)
        accept = pair == {
            numbers["Kraantjeswater in plaats van flessenwater"],
            numbers["Kraantjeswater i.p.v. flessenwater bij de gemeente"],
        }
        yes, no = data_of(proposal, "dpp:")
        await harness.press(anne, proposal, yes if accept else no)
        # The same message now shows the next proposal (edited in place).
        proposal = next(m for m in core.sent_messages(anne["id"]) if m["message_id"] == proposal["message_id"])
    water = {
        numbers["Kraantjeswater in plaats van flessenwater"],
        numbers["Kraantjeswater i.p.v. flessenwater bij de gemeente"],
    }
    cars = {numbers["Hybride en elektrische wagens aankopen"], numbers["Aankoop van elektrische wagens"]}
    assert water in proposed and cars in proposed
    assert "Geen voorstellen voor dubbels meer" in proposal["text"]

    # Typed steps: group, rephrase, leave out, a bad one.
    good, reuse = numbers["Het personeel geeft het goede voorbeeld"], numbers["Materialen hergebruiken"]
    await harness.say(anne, anne["id"], f"{reuse} onder {good}")
    assert harness.last_text(anne["id"]) == f"✅ {reuse} staat nu onder {good}."
    await harness.say(anne, anne["id"], f"{good}: Het gemeentepersoneel geeft het goede voorbeeld:")
    await harness.say(anne, anne["id"], f"{numbers['Geen ambtenarentaal meer']} onder {good}")
    assert "Groeperen kan alleen binnen één thema" in harness.last_text(anne["id"])
    await harness.say(anne, anne["id"], "99+1")
    assert "Die nummers ken ik niet" in harness.last_text(anne["id"])
    ambtenaren = numbers["Geen ambtenarentaal meer"]
    await harness.say(anne, anne["id"], f"{ambtenaren} weg")
    assert (
        f"{ambtenaren}. Geen ambtenarentaal meer (weggelaten)" in latest_with_prefix(core, anne["id"], "dpv:")["text"]
    )
    await harness.say(anne, anne["id"], f"{ambtenaren} terug")
    assert harness.last_text(anne["id"]) == f"✅ {ambtenaren} staat weer op zichzelf."
    overview = latest_with_prefix(core, anne["id"], "dpv:")
    assert f"◦ {reuse}. Materialen hergebruiken" in overview["text"]

    await harness.press(anne, overview, f"dpub:{trajectory_id}")
    confirm = latest_with_prefix(core, anne["id"], "dpub:")
    assert "Publiceren?" in confirm["text"]
    await harness.press(anne, confirm, f"dpub:{trajectory_id}:ok")
    summary = harness.last_text(group)
    assert summary.startswith("🌈 Droombeelden van de kopgroep · Gemeente Zottegem")
    assert (
        "Thema 1: Thema 1\n • Kraantjeswater in plaats van flessenwater\n • Het gemeentepersoneel geeft het goede voorbeeld:\n"
        "    ◦ Materialen hergebruiken\n • Aankoop van elektrische wagens\nThema 2: Thema 2\n • Geen ambtenarentaal meer\n"
        "Thema 3: Thema 3\n • Hybride en elektrische wagens aankopen"
    ) in summary
    assert "i.p.v." not in summary and not any(p["first_name"] in summary for p in people)

    # After publishing: members see the result, and cannot add any more.
    await harness.say(bart, bart["id"], "/droombeelden")
    assert harness.last_text(bart["id"]).startswith("🌈 Droombeelden van de kopgroep")
    await harness.say(bart, bart["id"], "Nog een late droom")
    assert "Ik verwacht op dit moment geen bericht" in harness.last_text(bart["id"])
    published = await harness.db.run(
        lambda s: sorted(i.number for i in s.scalars(select(DreamImage).where(DreamImage.published.is_(True))))
    )
    assert len(published) == 6
    # A member cannot press the moderator's buttons.
    query = await harness.forge_press(bart, core.sent_messages(bart["id"])[-1], f"dpub:{trajectory_id}:ok")
    assert "Dat kan alleen de moderator" in core.callback_queries[query]["answer"]["text"]


async def test_collection_needs_chosen_themes(harness: Harness, clock: Clock) -> None:
    from tests.conversations.voting_helpers import voting_group

    group, people, _ = await voting_group(harness, members=2, themes=3)
    await harness.say(people[0], group, "/droombeelden")
    assert "Er zijn nog geen gekozen thema's" in harness.last_text(group)
    assert await harness.db.run(dreams.collection, 1) is None


@pytest.mark.parametrize(
    "name, value",
    [("REMINDER_INTERVAL", "0"), ("REMINDER_INTERVAL", "soms"), ("REMINDER_BATCH", "0"), ("REMINDER_BATCH", "1e3")],
)
def test_reminder_settings_are_checked(name: str, value: str) -> None:
    from bot.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match=name):
        load_settings({"TELEGRAM_BOT_TOKEN": "123456:AAFakeTokenForTestsOnly_abcdefghijk", name: value}, env_file=None)
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": "123456:AAFakeTokenForTestsOnly_abcdefghijk",
            "REMINDER_INTERVAL": "2",
            "REMINDER_BATCH": "7",
        },
        env_file=None,
    )
    assert (settings.reminder_interval, settings.reminder_batch) == (2.0, 7)


async def test_template_not_delivered_is_reported_and_english_groups_get_english(
    harness: Harness, clock: Clock
) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=3, language="en")
    anne, bart, chris = people
    core.block_bot(chris)
    await harness.run()
    await harness.say(anne, group, "/droombeelden")
    started = harness.last_text(group)
    assert (
        "Every member got the template with the 3 themes" in started
        and "I could not send the template to: Chris" in started
    )
    template = latest_with_prefix(core, bart["id"], "dth:")
    assert "What would you love to see happen for this theme, if everything were possible?" in template["text"]
    await write(harness, bart, trajectory_id, themes[0], "Tap water instead of bottled water")
    assert "Noted under Thema 1 (1 dream image)" in harness.last_text(bart["id"])
    await harness.say(anne, group, "/droombeelden")
    assert "Not reachable in private: Chris." in harness.last_text(group)
    await harness.say(anne, group, "/volgendesessie December 10 at 2pm")
    outcomes = await dream_reminders.run_reminders(harness.app, FIRST)
    assert sorted(o for o, _ in outcomes.values()) == ["sent", "sent", "unreachable"]
    assert len(reminders_to(core, bart)) == 1 and "Reminder: dream images" in reminders_to(core, bart)[0]
    assert "I could not send a dream-image reminder to Chris" in core.sent_messages(anne["id"])[-1]["text"]
