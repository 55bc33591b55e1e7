"""End to end over HTTP: a whole trajectory, from themes to the council's report, run by the real
bot process against the fake Bot API. Goals and the closing evaluation come from other steps and
are written into their tables directly; everything else goes through the bot."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.fake_telegram.core import FakeTelegram
from bot.fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from storage.models import Theme, Trajectory
from tests.conversations.report_helpers import add_evaluation, add_goal
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)

NAMES = ("Anne", "Bart", "Chris", "Dirk")
THEMES = ("Duurzaam aankopen", "Toegankelijkheid", "Klimaatadaptatie", "Afval")


def say(core: FakeTelegram, user: dict, group: dict, text: str, answer: str, **reply: int) -> dict:
    """Send a message and wait for the bot's next message in that chat that contains ``answer``."""
    since = len(core.sent_messages(group["id"]))
    core.send_message(user, group, text, **reply)
    return wait_for_bot_message_sync(core, group["id"], since=since, contains=answer, timeout=20)


def buttons(message: dict, prefix: str) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if b.get("callback_data", "").startswith(prefix)]


def latest_with(core: FakeTelegram, chat_id: int, prefix: str) -> dict:
    return wait_for_sync(
        core, lambda c: next((m for m in reversed(c.sent_messages(chat_id)) if buttons(m, prefix)), None), timeout=20
    )


def test_a_whole_trajectory_ends_in_the_report(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
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

        # Steps 6 and 8 come from other conversations: their rows, written directly.
        with Session(engine) as session, session.begin():
            trajectory = session.scalars(select(Trajectory).where(Trajectory.chat_id == group["id"])).one()
            first = session.scalars(
                select(Theme).where(Theme.trajectory_id == trajectory.id, Theme.position == 1)
            ).one()
            add_goal(
                session,
                trajectory.id,
                first.id,
                1,
                specific="Duurzaamheidscriteria in elke opdracht boven 30.000 euro",
                indicator="aandeel opdrachten",
                baseline="20%",
                target="80%",
                owner="dienst aankoop",
                means="0,2 VTE",
                deadline="eind 2028",
            )
            add_evaluation(
                session,
                trajectory.id,
                {"continuity": ["Via het meerjarenplan"], "view": [], "maturity": ["Ja"]},
                done_by=[bart["id"]],
            )

        # Step 7: the council's decision, then the report.
        say(core, anne, group, "/beslissing goedgekeurd 12 december 2026 Akkoord met de drie thema's", "Groen licht")
        choice = say(core, anne, group, "/rapport", "Mogen de namen van de leden erin?")
        core.press_button(anne, choice, buttons(choice, "rpt:")[0])
        wait_for_bot_message_sync(core, group["id"], contains="Anne maakte het rapport voor het college")
        documents = [c for c in core.calls_of("sendDocument") if c.ok and int(c.params["chat_id"]) == anne["id"]]
        files = {
            c.result["document"]["file_name"]: core.files[c.result["document"]["file_id"]]["content"] for c in documents
        }
        name = next(n for n in files if n.startswith("mvo-rapport-gemeente-zottegem-") and n.endswith(".docx"))
        assert {name.removesuffix(".docx") + suffix for suffix in (".html", ".md")} <= set(files)
        document = docx.Document(io.BytesIO(files[name]))
        sections = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert sections[0] == "Samenvatting" and sections[-1] == "Terugblik" and len(sections) == 11
        text = "\n".join(
            [p.text for p in document.paragraphs]
            + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        )
        for expected in (
            "De kopgroep koos 3 prioritaire thema's: Duurzaam aankopen, Toegankelijkheid en Klimaatadaptatie.",
            "8. Waardig werk en economische groei; 12. Verantwoorde consumptie en productie",
            "Aankopen hebben de grootste impact",
            "4 van de 4 leden stemden.",
            "Kraantjeswater in elk gemeentelijk gebouw",
            "Duurzaamheidscriteria in elke opdracht boven 30.000 euro",
            "Akkoord met de drie thema's",
            "Via het meerjarenplan",
        ):
            assert expected in text, expected
        assert "Bart" not in text and "Anne" not in text
        assert len(document.inline_shapes) == 1  # the chart of the round
        markdown = files[name.removesuffix(".docx") + ".md"].decode("utf-8")
        assert markdown.count("\n## ") == 11 and "Kraantjeswater in elk gemeentelijk gebouw" in markdown
    finally:
        stop_bot(process)
        engine.dispose()
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
