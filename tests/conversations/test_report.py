"""The report for the council and its decision, in-process on both databases: /rapport early and
late, with and without names, sent privately; /beslissing in one line, guided, and with bad input;
presses from others refused; the synthesis shows the decision and step 7 done."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from html import escape

import pytest
from sqlalchemy import func, select

from conversations import report as report_conversation
from storage import decisions, trajectories
from storage.models import CouncilDecision, Prompt
from tests.conversations.dream_helpers import data_of
from tests.conversations.report_helpers import (
    add_evaluation,
    add_goal,
    add_published_dreams,
    docx_text,
    level1,
    sent_files,
)
from tests.conversations.voting_helpers import cast, voting_group
from tests.harness import Harness

NOW = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)  # Sunday 20 December 2026, 10:00 in Brussels
DOCX = "mvo-rapport-gemeente-zottegem-2026-12-20.docx"
MARKDOWN = "mvo-rapport-gemeente-zottegem-2026-12-20-markdown.zip"
HTML = "mvo-rapport-gemeente-zottegem-2026-12-20.html"
SECTIONS = [
    "Samenvatting",
    "De kopgroep",
    "Kandidaat-thema's en hun link met de SDG's",
    "Open dialoog",
    "Stemronden",
    "Gekozen prioritaire thema's",
    "Geparkeerde thema's",
    "Droombeelden",
    "SMART-doelen",
    "Beslissing van het college",
    "Terugblik",
]


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_conversation, "now", lambda: NOW)


async def count_decisions(harness: Harness) -> int:
    return await harness.db.run(lambda s: s.scalar(select(func.count()).select_from(CouncilDecision)))


async def ask_report(
    harness: Harness, moderator: dict, group: dict, trajectory_id: int, names: bool
) -> dict[str, bytes]:
    """/rapport, then the button; returns the files the moderator received privately."""
    await harness.say(moderator, group, "/rapport")
    choice = harness.last_from_bot(group)
    assert data_of(choice, "rpt:") == [f"rpt:{trajectory_id}:0", f"rpt:{trajectory_id}:1"]
    harness.core.calls.clear()
    await harness.press(moderator, choice, f"rpt:{trajectory_id}:{int(names)}")
    return sent_files(harness.core, moderator["id"])


async def test_report_from_an_early_trajectory_to_the_decision(harness: Harness) -> None:
    core = harness.core
    group, people, themes = await voting_group(harness, members=5, themes=5)
    anne, bart, chris, dirk, els = people
    t1, t2, t3, t4, t5 = themes
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None

    # Only the moderator asks for it.
    await harness.say(bart, group, "/rapport")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."

    # Early: no votes yet; the report is whole and says what is not there yet.
    files = await ask_report(harness, anne, group, trajectory.id, names=False)
    assert set(files) == {DOCX, HTML, MARKDOWN}
    document, text = docx_text(files[DOCX])
    assert level1(document) == SECTIONS
    assert "Er is nog geen stemronde afgesloten." in text and "Het college heeft nog niet beslist." in text
    note = next(t for t in reversed(harness.bot_texts(anne)) if t)
    assert note.startswith("Hier is het rapport voor het college van Gemeente Zottegem, zonder namen")
    assert "Nog niet alles is klaar: stemronden, SMART-doelen, de beslissing van het college." in note
    assert (
        harness.last_text(group)
        == "📄 Anne maakte het rapport voor het college. Het staat in het privégesprek van de moderator."
    )
    assert [c for c in core.calls_of("sendDocument") if int(c.params["chat_id"]) == group["id"]] == []

    # The trajectory goes on: an open dialogue, a round with consensus on #1-#3.
    await harness.say(anne, group, "/dialoog")
    question = harness.last_from_bot(group)
    await harness.say(bart, group, "Duurzaam aankopen eerst", reply_to=question["message_id"])
    await harness.say(anne, group, "/dialoog stop")
    await harness.say(anne, group, "/stemronde")
    for person in people:
        await cast(harness, person, {t1: 3, t2: 3, t3: 3, t4: 1, t5: 2})
    await harness.say(anne, group, "/sluitronde")
    await harness.say(anne, group, "/consensus")
    assert "Consensus" in harness.last_text(group)

    # Dream images, goals and the closing evaluation come from other steps: written directly.
    def later_steps(session) -> None:  # type: ignore[no-untyped-def]
        add_published_dreams(
            session, trajectory.id, {t1: ["Kraantjeswater in elk gebouw"], t2: ["Een website in klare taal"]}
        )
        add_goal(
            session,
            trajectory.id,
            t1,
            1,
            specific="Elke opdracht boven 30.000 euro met duurzaamheidscriteria",
            indicator="aandeel opdrachten",
            baseline="20%",
            target="80%",
            owner="dienst aankoop",
            means="0,2 VTE",
            deadline="eind 2028",
            milestones="50% eind 2027",
        )
        add_goal(
            session,
            trajectory.id,
            t2,
            2,
            status="proposed",
            specific="Inzetten op toegankelijkheid",
            flags=["vague_verb"],
        )
        add_goal(session, trajectory.id, t3, 3, status="draft", specific="Nog een kladversie")
        add_evaluation(
            session,
            trajectory.id,
            {"continuity": ["Ja, via het meerjarenplan"], "view": ["Breder dan milieu", "Anders"], "maturity": []},
            done_by=[bart["id"], chris["id"]],
        )

    await harness.db.run(later_steps)

    # The decision: bad input stores nothing and says why; then one line.
    for bad, says in (
        ("/beslissing ja 12 december", "Begin met de beslissing"),
        ("/beslissing goedgekeurd", "Die datum begrijp ik niet"),
        ("/beslissing goedgekeurd 12/12/2029 te ver", "meer dan een jaar"),
    ):
        await harness.say(anne, group, bad)
        assert says in harness.last_text(group) and "Er is niets bewaard." in harness.last_text(group)
    await harness.say(bart, group, "/beslissing goedgekeurd 12 december 2026")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    assert await count_decisions(harness) == 0
    await harness.say(
        anne, group, "/beslissing goedgekeurd 12 december 2026 Het college gaat akkoord met de drie thema's"
    )
    # The announcement, then (green light, approved goals) the follow-up's plan (test_goal_followup.py).
    announced = harness.bot_texts(group)[-2]
    assert harness.last_text(group).startswith("📈 Opvolging van de doelen")
    assert announced.startswith("🏛 Beslissing van het college van 12 december 2026\nGroen licht")
    assert "Opmerkingen: Het college gaat akkoord met de drie thema's" in announced

    # The full report, without names.
    files = await ask_report(harness, anne, group, trajectory.id, names=False)
    document, text = docx_text(files[DOCX])
    assert level1(document) == SECTIONS
    assert len(document.inline_shapes) == 1  # the chart of round 1
    assert "De kopgroep telt 5 leden, van wie 1 moderator." in text
    assert "Namen van leden staan niet in dit rapport." in text
    for name in ("Anne", "Bart", "Chris", "Dirk", "Els"):
        assert name not in text, name
    assert "Duurzaam aankopen eerst" in text  # the dialogue answer, without its author
    assert "12. Verantwoorde consumptie en productie" in text  # theme 1's SDG, with its name
    assert "Kraantjeswater in elk gebouw" in text and "Een website in klare taal" in text
    assert "Elke opdracht boven 30.000 euro met duurzaamheidscriteria" in text and "Nog een kladversie" not in text
    assert "Dit doel is voorgesteld en nog niet goedgekeurd door de kopgroep." in text
    assert "Ja, via het meerjarenplan" in text and "2 leden vulden alles in" in text
    assert "goedgekeurd" in text and "Het college gaat akkoord met de drie thema's" in text
    assert "Thema 4" in text and "Geparkeerde thema's" in text
    with zipfile.ZipFile(io.BytesIO(files[MARKDOWN])) as archive:
        markdown = archive.read("mvo-rapport-gemeente-zottegem-2026-12-20.md").decode("utf-8")
        pictures = sorted(name for name in archive.namelist() if name.endswith(".png"))
        assert pictures and all(archive.read(name).startswith(b"\x89PNG") for name in pictures)
    for heading in SECTIONS:
        assert f"## {heading}" in markdown
    assert all(f"]({name})" in markdown for name in pictures) and "base64" not in markdown
    page = files[HTML].decode("utf-8")
    assert all(f"<h2>{escape(heading)}</h2>" in page for heading in SECTIONS)
    assert page.count('<img src="data:image/png;base64,') == 1 and "Bart" not in page

    # With names: the members, and the dialogue's open answers with their author.
    files = await ask_report(harness, anne, group, trajectory.id, names=True)
    _, text = docx_text(files[DOCX])
    assert "Leden:" in text and all(name in text for name in ("Anne", "Bart", "Chris", "Dirk", "Els"))
    assert "Bart: Duurzaam aankopen eerst" in text

    # The synthesis: step 7 done, and the decision.
    await harness.say(anne, group, "/sessie")
    synthesis = next(t for t in reversed(harness.bot_texts(group)) if "Waar staan we?" in t)
    assert "✅ 7. Terugkoppeling naar het beleid" in synthesis
    assert "Beslissing van het college (12 december 2026): goedgekeurd. Het college gaat akkoord" in synthesis


async def test_guided_decision_and_presses_from_others(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=4)
    anne, bart, chris = people
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None

    await harness.say(anne, group, "/beslissing")
    ask = harness.last_from_bot(group)
    assert "Wat besliste het college" in ask["text"]
    assert data_of(ask, "dec:") == [f"dec:{trajectory.id}:{o}" for o in ("approved", "rejected", "postponed")]
    query = await harness.forge_press(bart, ask, f"dec:{trajectory.id}:approved")
    assert core.callback_queries[query]["answer"]["text"] == "Dat kan alleen de moderator van deze kopgroep."
    query = await harness.forge_press(anne, ask, f"dec:{trajectory.id + 99}:approved")  # another group's id
    assert core.callback_queries[query]["answer"]["text"] == "Deze knop is niet meer geldig."

    await harness.press(anne, ask, f"dec:{trajectory.id}:postponed")
    question = harness.last_from_bot(group)
    assert question["text"].startswith("Beslissing: uitgesteld. Op welke datum?")
    assert "force_reply" in str(core.calls_of("sendMessage")[-1].params["reply_markup"])
    # A member's reply does not count; a date the bot cannot read keeps the question open.
    await harness.say(bart, group, "5 december 2026", reply_to=question["message_id"])
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "gisteravond laat", reply_to=question["message_id"])
    assert "Die datum begrijp ik niet" in harness.last_text(
        group
    ) and "Antwoord opnieuw op de vraag" in harness.last_text(group)
    assert await count_decisions(harness) == 0
    await harness.say(
        anne, group, "5 december 2026\nEerst de cijfers van de dienst financiën", reply_to=question["message_id"]
    )
    assert harness.last_text(group).startswith("🏛 Beslissing van het college van 5 december 2026\nHet college stelde")
    assert "Eerst de cijfers van de dienst financiën" in harness.last_text(group)
    found = await harness.db.run(decisions.decisions, trajectory.id)
    assert [(d.outcome, d.decided_on.isoformat(), d.remarks) for d in found] == [
        ("postponed", "2026-12-05", "Eerst de cijfers van de dienst financiën")
    ]
    assert (
        await harness.db.run(
            lambda s: s.scalar(select(func.count()).select_from(Prompt).where(Prompt.kind == "decision"))
        )
        == 0
    )
    # A second reply to the answered question is just chat: nothing more is stored.
    await harness.say(anne, group, "12 december 2026", reply_to=question["message_id"])
    assert await count_decisions(harness) == 1

    # The report buttons: only the group's moderator, only in the group's chat.
    await harness.say(anne, group, "/rapport")
    choice = harness.last_from_bot(group)
    query = await harness.forge_press(bart, choice, f"rpt:{trajectory.id}:1")
    assert core.callback_queries[query]["answer"]["text"] == "Dat kan alleen de moderator van deze kopgroep."
    query = await harness.forge_press(anne, core.sent_messages(anne["id"])[-1], f"rpt:{trajectory.id}:1")
    assert core.callback_queries[query]["answer"]["text"] == "Deze knop is niet meer geldig."
    assert sent_files(core, bart["id"]) == {} and sent_files(core, anne["id"]) == {}

    # The moderator blocked the bot: the group hears how to open the private chat.
    core.block_bot(anne)
    await harness.run()
    await harness.press(anne, choice, f"rpt:{trajectory.id}:0")
    assert "Ik kon het rapport niet privé sturen" in harness.last_text(group)


async def test_english_group(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4, language="en")
    anne = people[0]
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None
    await harness.say(anne, group, "/beslissing approved 12 December 2026 The board agrees")
    assert harness.last_text(group).startswith("🏛 The board's decision of 12 December 2026\nGreen light")
    files = await ask_report(harness, anne, group, trajectory.id, names=False)
    stem = "csr-report-gemeente-zottegem-2026-12-20"
    assert set(files) == {f"{stem}.docx", f"{stem}.html", f"{stem}-markdown.zip"}
    document, text = docx_text(files["csr-report-gemeente-zottegem-2026-12-20.docx"])
    assert level1(document)[0] == "Summary" and "The board agrees" in text
    assert harness.last_text(group) == "📄 Anne made the report for the board. It is in the moderator's private chat."
