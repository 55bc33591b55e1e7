"""End to end over HTTP: a whole trajectory, from themes to closing it, run by the real bot process
against the fake Bot API: themes with SDGs, the dialogue, a voting round with consensus, dream
images, SMART goals written in private (a member's approved by the moderator, and the moderator's
own), the council's decision, the report, the closing evaluation and /afsluiten. The report's DOCX
and Markdown hold what went through the conversations; the synthesis shows steps 6 to 8 done."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import Evaluation, Goal, Trajectory
from tests.conversations.report_helpers import docx_text, level1, sent_files
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)

NAMES = ("Anne", "Bart", "Chris", "Dirk")
THEMES = ("Duurzaam aankopen", "Toegankelijkheid", "Klimaatadaptatie", "Afval")
# One answer per question of the goal (S, M: indicator, start, target, A, R, T: deadline, milestones).
BART_GOAL = (
    "Duurzaamheidscriteria in elke aankoopopdracht boven 30.000 euro",
    "aandeel opdrachten met criteria",
    "20% in 2025",
    "80%",
    "dienst aankoop",
    "0,2 VTE aankoopjurist",
    "zo snel mogelijk",  # no date: flagged, and Bart keeps it so
    "-",
)
ANNE_GOAL = (
    "Alle brieven aan burgers in klare taal",
    "aantal herschreven standaardbrieven",
    "0",
    "50 brieven",
    "dienst communicatie",
    "1 redacteur halftijds",
    "31 december 2027",
    "25 brieven tegen juni 2027",
)
# The three questions of the evaluation per member; None: skipped.
EVALUATION = {
    "Anne": ("Via het meerjarenplan", "Ik zie nu ook de sociale kant", "Ja, we meten nu meer"),
    "Bart": ("Een vaste werkgroep duurzaamheid", "Aankopen zijn een hefboom", "Een beetje"),
    "Chris": ("In elke begroting een lijn voor MVO", "Breder dan milieu", "Ja, dankzij de scan"),
    "Dirk": ("Met een jaarlijkse opvolging", None, "Nog niet genoeg"),
}


def say(core: FakeTelegram, user: dict, group: dict, text: str, answer: str, **reply: int) -> dict:
    """Send a message and wait for the bot's next message in that chat that contains ``answer``."""
    since = len(core.sent_messages(group["id"]))
    core.send_message(user, group, text, **reply)
    return wait_for_bot_message_sync(core, group["id"], since=since, contains=answer, timeout=70)  # a group gets 20 messages a minute


def buttons(message: dict, prefix: str) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if b.get("callback_data", "").startswith(prefix)]


def latest_with(core: FakeTelegram, chat_id: int, prefix: str) -> dict:
    return wait_for_sync(
        core, lambda c: next((m for m in reversed(c.sent_messages(chat_id)) if buttons(m, prefix)), None), timeout=20
    )


def private(core: FakeTelegram, person: dict, text: str, answer: str) -> dict:
    """The person writes privately; returns the bot's next private message that contains ``answer``."""
    since = len(core.sent_messages(person["id"]))
    core.send_message(person, person["id"], text)
    return wait_for_bot_message_sync(core, person["id"], since=since, contains=answer, timeout=20)


def press(core: FakeTelegram, person: dict, message: dict, data: str, answer: str) -> dict:
    since = len(core.sent_messages(person["id"]))
    core.press_button(person, message, data)
    return wait_for_bot_message_sync(core, person["id"], since=since, contains=answer, timeout=20)


def open_link(core: FakeTelegram, person: dict, overview: dict, theme: str) -> dict:
    """Open the private link of /doelen for a theme; returns the first question."""
    rows = overview["reply_markup"]["inline_keyboard"]
    url = next(b["url"] for row in rows for b in row if "url" in b and theme in b["text"])
    since = len(core.sent_messages(person["id"]))
    core.open_link(person, url)
    return wait_for_bot_message_sync(core, person["id"], since=since, contains="S · Specifiek", timeout=20)


def test_a_whole_trajectory_from_themes_to_closing(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path)
    engine = create_engine(database_url)
    try:
        group = core.add_group("Kopgroep MVO")
        people = {name: core.add_user(name) for name in NAMES}
        for index, person in enumerate(people.values()):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne, bart = people["Anne"], people["Bart"]
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        question = wait_for_bot_message_sync(core, group["id"], contains="hoe heet jullie organisatie")
        say(core, anne, group, "Gemeente Zottegem", "Genoteerd", reply_to_message_id=question["message_id"])
        for person in people.values():
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")

        # Step 1: candidate themes, linked to SDGs.
        for position, name in enumerate(THEMES, start=1):
            say(core, anne, group, f"/thema nieuw {name}", f"Thema #{position} {name} is toegevoegd")
        say(core, anne, group, "/thema sdg 1 12 8", "gekoppeld aan SDG")
        # Step 3: the open dialogue.
        question = say(core, anne, group, "/dialoog", "Vraag 1")
        core.send_message(bart, group, "Aankopen hebben de grootste impact", reply_to_message_id=question["message_id"])
        # An open answer gets no reply; updates are handled in order, so the digest counts it.
        digest = say(core, anne, group, "/dialoog stop", "Verslag van de open dialoog")
        assert "Aankopen hebben de grootste impact" in digest["text"]

        # Step 4: one round, consensus on #1-#3.
        say(core, anne, group, "/stemronde", "0 van 4 leden hebben gestemd")
        for person in people.values():
            ballot = latest_with(core, person["id"], "vote:")
            votes = buttons(ballot, "vote:")
            round_id = votes[0].split(":")[1]
            theme_ids = sorted({int(b.split(":")[2]) for b in votes})
            for theme_id, score in zip(theme_ids, (3, 3, 3, 1), strict=True):
                core.press_button(person, ballot, f"vote:{round_id}:{theme_id}:{score}")
                wait_for_sync(
                    core,
                    lambda c, p=person, r=round_id, t=theme_id, s=score: any(
                        f"vote:{r}:{t}:{s}" in str(m.get("reply_markup")) and f"✅ {s}" in str(m.get("reply_markup"))
                        for m in c.sent_messages(p["id"])
                    ),
                )
            core.press_button(person, ballot, f"vsubmit:{round_id}")
            wait_for_bot_message_sync(core, person["id"], contains="Ingediend")
        say(core, anne, group, "/sluitronde", "Uitslag stemronde 1")
        say(core, anne, group, "/consensus", "Consensus")

        # Step 5: dream images, processed and published by the moderator.
        say(core, anne, group, "/droombeelden", "Elk lid kreeg het sjabloon")
        template = latest_with(core, bart["id"], "dth:")
        core.press_button(bart, template, buttons(template, "dth:")[0])
        wait_for_bot_message_sync(core, bart["id"], contains="Stuur nu je droombeelden")
        core.send_message(bart, bart["id"], "Kraantjeswater in elk gemeentelijk gebouw")
        wait_for_bot_message_sync(core, bart["id"], contains="Genoteerd bij Duurzaam aankopen")
        say(core, anne, group, "/verwerk", "de droombeelden privé")
        overview = latest_with(core, anne["id"], "dpub:")
        core.press_button(anne, overview, buttons(overview, "dpub:")[0])
        confirm = wait_for_sync(
            core,
            lambda c: next(
                (
                    m
                    for m in reversed(c.sent_messages(anne["id"]))
                    if any(b.endswith(":ok") for b in buttons(m, "dpub:"))
                ),
                None,
            ),
        )
        core.press_button(anne, confirm, next(b for b in buttons(confirm, "dpub:") if b.endswith(":ok")))
        wait_for_bot_message_sync(core, group["id"], contains="Droombeelden van de kopgroep")

        # Step 6: Bart proposes a goal through the link of /doelen and keeps its flag; the moderator
        # approves it. Anne, the moderator, writes one herself: approved at once.
        overview = say(core, anne, group, "/doelen", "SMART-doelen")
        open_link(core, bart, overview, "Duurzaam aankopen")
        for text in BART_GOAL[:-1]:
            private(core, bart, text, "(doel #1")
        summary = private(core, bart, BART_GOAL[-1], "Doel #1 · Duurzaam aankopen (in opmaak)")
        assert "Geen datum of periode" in summary["text"]
        press(core, bart, summary, buttons(summary, "gs:")[0], "is ingediend")
        proposal = latest_with(core, anne["id"], "gd:")
        goal_id = buttons(proposal, "gd:")[0].split(":")[1]
        core.press_button(anne, proposal, f"gd:{goal_id}:ok")
        wait_for_bot_message_sync(core, bart["id"], contains="keurde je doel #1 voor Duurzaam aankopen goed")
        open_link(core, anne, overview, "Toegankelijkheid")
        for text in ANNE_GOAL[:-1]:
            private(core, anne, text, "(doel #2")
        summary = private(core, anne, ANNE_GOAL[-1], "Doel #2 · Toegankelijkheid (in opmaak)")
        assert "✓ De SMART-check vindt niets meer." in summary["text"]
        press(core, anne, summary, buttons(summary, "gs:")[0], "is goedgekeurd")
        listing = say(core, bart, group, "/doelen", "SMART-doelen")["text"]
        # Approved with a flag left: not counted as ready (☑️), Anne's goal without flags is (✅).
        assert "#1 ☑️ Duurzaamheidscriteria" in listing and "geen datum" in listing
        assert "#2 ✅ Alle brieven aan burgers in klare taal · goedgekeurd · SMART ✓" in listing

        # Step 8: every member answers privately, Dirk skips the second question; the last one
        # done closes the evaluation, /evaluatie sluiten then finds it closed.
        say(core, anne, group, "/evaluatie", "Ik stuurde elk lid privé de drie vragen")
        for name, answers in EVALUATION.items():
            person = people[name]
            for number, answer in enumerate(answers, start=1):
                question = wait_for_bot_message_sync(core, person["id"], contains=f"Vraag {number} van 3")
                since = len(core.sent_messages(person["id"]))
                if answer is None:
                    core.press_button(person, question, buttons(question, "evs:")[0])
                else:
                    core.send_message(person, person["id"], answer)
                wait_for_sync(core, lambda c, p=person, n=since: len(c.sent_messages(p["id"])) > n)
        wait_for_bot_message_sync(core, group["id"], contains="Bedankt voor jullie terugblik")
        say(core, anne, group, "/evaluatie sluiten", "De evaluatie is afgerond op")

        # Step 7: the council's decision, then the report (names left out); the synthesis shows
        # steps 6, 7 and 8 done.
        say(core, anne, group, "/beslissing goedgekeurd 12 december 2026 Akkoord met de drie thema's", "Groen licht")
        choice = say(core, anne, group, "/rapport", "Mogen de namen van de leden erin?")
        core.press_button(anne, choice, buttons(choice, "rpt:")[0])
        wait_for_bot_message_sync(core, group["id"], contains="Anne maakte het rapport voor het college", timeout=70)
        synthesis = say(core, anne, group, "/sessie", "Waar staan we?")["text"]
        for step in ("6. SMART-doelen", "7. Terugkoppeling naar het beleid", "8. Terugblik"):
            assert f"✅ {step}" in synthesis, step
        assert "👉" not in synthesis

        files = sent_files(core, anne["id"])
        name = next(n for n in files if n.startswith("mvo-rapport-gemeente-zottegem-") and n.endswith(".docx"))
        assert {name.removesuffix(".docx") + suffix for suffix in (".html", "-markdown.zip")} <= set(files)
        document, text = docx_text(files[name])
        sections = level1(document)
        assert sections[0] == "Samenvatting" and sections[-1] == "Terugblik" and len(sections) == 11
        with zipfile.ZipFile(io.BytesIO(files[name.removesuffix(".docx") + "-markdown.zip"])) as archive:
            markdown = archive.read(name.removesuffix(".docx") + ".md").decode("utf-8")
        assert markdown.count("\n## ") == 11
        answers = [answer for texts in EVALUATION.values() for answer in texts if answer is not None]
        for expected in (
            "De kopgroep koos 3 prioritaire thema's: Duurzaam aankopen, Toegankelijkheid en Klimaatadaptatie.",
            "Er ligt 1 SMART-doel klaar.",
            "Doel 1 is goedgekeurd, maar nog niet klaar",
            "De kopgroep telt 4 leden, van wie 1 moderator.",
            "8. Waardig werk en economische groei; 12. Verantwoorde consumptie en productie",
            "Aankopen hebben de grootste impact",
            "4 van de 4 leden stemden.",
            "Kraantjeswater in elk gemeentelijk gebouw",
            "Akkoord met de drie thema's",
            "Doel 1: Duurzaam aankopen",
            "Doel 2: Toegankelijkheid",
            *BART_GOAL[:-1],
            *ANNE_GOAL,
            "Aandachtspunten uit de SMART-check:",
            "Geen datum of periode: tegen wanneer?",
            "De kopgroep hield het doel toch zo.",
            "4 leden vulden alles in.",
            *answers,
        ):
            assert expected in text, expected
            assert expected in markdown, expected
        # Only Bart's goal has a flag, and it is the one he kept.
        assert text.count("Aandachtspunten uit de SMART-check:") == 1 and "Geen startwaarde" not in text
        assert "voorgesteld en nog niet goedgekeurd" not in text
        assert not any(n in text or n in markdown for n in NAMES)
        assert len(document.inline_shapes) == 1  # the chart of the round

        # Closing the trajectory.
        ask = say(core, anne, group, "/afsluiten", "Het traject afsluiten?")
        core.press_button(anne, ask, next(b for b in buttons(ask, "") if b.endswith(":ok")))
        wait_for_bot_message_sync(core, group["id"], contains="Het MVO-traject is afgesloten")
        with Session(engine) as session:
            trajectory = session.scalars(select(Trajectory).where(Trajectory.chat_id == group["id"])).one()
            goals = {g.number: g for g in session.scalars(select(Goal).where(Goal.trajectory_id == trajectory.id))}
            evaluation = session.scalars(select(Evaluation).where(Evaluation.trajectory_id == trajectory.id)).one()
        assert trajectory.closed_at is not None and evaluation.closed_at is not None
        assert (goals[1].status, json.loads(goals[1].flags), goals[1].kept_as_is) == ("approved", ["no_date"], True)
        assert (goals[2].status, json.loads(goals[2].flags)) == ("approved", [])
    finally:
        stop_bot(process)
        engine.dispose()
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
