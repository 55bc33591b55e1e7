"""End to end over HTTP: SMART goals with the real bot process against the fake Bot API server.

Three members propose goals through the links of /doelen, one letter at a time in private; the bot
process is stopped in the middle of Chris's goal (at the letter M) and a new process on the same
database takes his next answer where he was. The moderator approves Bart's goal, adjusts Chris's and
approves it, and drops Dirk's; /doelen in the group lists them with their SMART status."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import Goal, Theme, Trajectory
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)

NAMES = ("Anne", "Bart", "Chris", "Dirk")
BART = [
    "Meer medewerkers komen met de fiets naar het werk",
    "aandeel medewerkers dat minstens 3 dagen per week fietst",
    "12% in 2025",
    "30%",
    "personeelsdienst",
    "fietsvergoeding, 15.000 euro",
    "eind 2027",
    "-",
]
CHRIS = [
    "Alle brieven aan burgers in klare taal",
    "aantal herschreven standaardbrieven",
    "0",
    "50 brieven",
    "dienst communicatie",
    "1 redacteur halftijds",
    "zo snel mogelijk",  # no date: flagged; the moderator fixes it
    "-",
]
DIRK = ["Sensibiliseren rond afval", "weet ik niet", "-", "meer", "iedereen", "geen", "ooit", "-"]

SECRET = "e2e-ballot-secret-0123456789abcdef0123456789"


def buttons(message: dict) -> list[dict]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def data_starting(message: dict, prefix: str) -> list[str]:
    return [b["callback_data"] for b in buttons(message) if b.get("callback_data", "").startswith(prefix)]


def say(core: FakeTelegram, person: dict, text: str, contains: str) -> dict:
    """The person writes privately; returns the bot's next private message that contains ``contains``."""
    since = len(core.sent_messages(person["id"]))
    core.send_message(person, person["id"], text)
    return wait_for_bot_message_sync(core, person["id"], since=since, contains=contains)


def press(core: FakeTelegram, person: dict, message: dict, data: str, contains: str) -> dict:
    since = len(core.sent_messages(person["id"]))
    core.press_button(person, message, data)
    return wait_for_bot_message_sync(core, person["id"], since=since, contains=contains)


def open_link(core: FakeTelegram, person: dict, overview: dict, theme: str) -> dict:
    url = next(b["url"] for b in buttons(overview) if "url" in b and theme in b["text"])
    since = len(core.sent_messages(person["id"]))
    core.open_link(person, url)
    return wait_for_bot_message_sync(core, person["id"], since=since, contains="S · Specifiek")


def goals_of(database_url: str) -> list[Goal]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Goal).order_by(Goal.number)))
    finally:
        engine.dispose()


def test_members_propose_goals_and_the_moderator_decides_across_a_restart(
    fake_server,  # noqa: F811
    database_url: str,
    tmp_path: Path,
) -> None:
    core, base_url = fake_server
    (tmp_path / "first").mkdir()
    process = start_bot(core, base_url, database_url, tmp_path / "first", BALLOT_SECRET=SECRET)
    processes = [process]
    try:
        group = core.add_group("Kopgroep")
        people = {name: core.add_user(name) for name in NAMES}
        for index, person in enumerate(people.values()):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne, bart, chris, dirk = people.values()
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in people.values():
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")
        engine = create_engine(database_url)
        with Session(engine) as session, session.begin():
            trajectory = session.scalars(select(Trajectory).where(Trajectory.chat_id == group["id"])).one()
            session.add_all(
                Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", source="manual") for i in range(1, 4)
            )
        engine.dispose()

        since = len(core.sent_messages(group["id"]))
        core.send_message(anne, group, "/doelen")
        wait_for_bot_message_sync(core, group["id"], since=since, contains="Er zijn nog geen gekozen thema's")
        core.send_message(anne, group, "/consensus 1, 2")
        wait_for_bot_message_sync(core, group["id"], contains="Consensus")
        since = len(core.sent_messages(group["id"]))
        core.send_message(anne, group, "/doelen")
        overview = wait_for_bot_message_sync(core, group["id"], since=since, contains="SMART-doelen")
        assert [b["text"] for b in buttons(overview)] == ["✍️ Doel voor Thema 1", "✍️ Doel voor Thema 2"]

        # Bart: a good goal, submitted.
        open_link(core, bart, overview, "Thema 1")
        for text in BART[:-1]:
            say(core, bart, text, "(doel #1")
        summary = say(core, bart, BART[-1], "Doel #1 · Thema 1 (in opmaak)")
        assert "✓ De SMART-check vindt niets meer." in summary["text"]
        press(core, bart, summary, data_starting(summary, "gs:")[0], "is ingediend")

        # Dirk: a vague goal, every flag shown, kept as is and submitted.
        open_link(core, dirk, overview, "Thema 2")
        for text in DIRK[:-1]:
            say(core, dirk, text, "(doel #2")
        summary = say(core, dirk, DIRK[-1], "Doel #2 · Thema 2 (in opmaak)")
        assert "Vaag werkwoord" in summary["text"] and "Geen eigenaar" not in summary["text"]
        assert "Eigenaar te vaag" in summary["text"] and "Geen middelen" in summary["text"]
        press(core, dirk, summary, data_starting(summary, "gs:")[0], "is ingediend")

        # Chris: S and the indicator, then the bot process stops; the answers are in the database.
        open_link(core, chris, overview, "Thema 2")
        say(core, chris, CHRIS[0], "Waaraan zie je dat het lukt?")
        say(core, chris, CHRIS[1], "Waar staan we vandaag?")
        stop_bot(process)
        processes = []
        chris_goal = next(goal for goal in goals_of(database_url) if goal.number == 3)
        assert (chris_goal.specific, chris_goal.indicator, chris_goal.baseline) == (CHRIS[0], CHRIS[1], None)

        # A new process on the same database (in another folder, so with the same BALLOT_SECRET
        # set, as an operator would): Chris's next answer is the start value.
        (tmp_path / "second").mkdir()
        process = start_bot(core, base_url, database_url, tmp_path / "second", BALLOT_SECRET=SECRET)
        processes = [process]
        say(core, chris, CHRIS[2], "Welke waarde wil je bereiken?")
        for text in CHRIS[3:-1]:
            say(core, chris, text, "(doel #3")
        summary = say(core, chris, CHRIS[-1], "Doel #3 · Thema 2 (in opmaak)")
        assert "Geen datum of periode" in summary["text"]
        press(core, chris, summary, data_starting(summary, "gs:")[0], "is ingediend")

        # The moderator: approve Bart's, adjust T of Chris's and approve it, drop Dirk's.
        goals = {goal.number: goal.id for goal in goals_of(database_url)}
        proposals = wait_for_sync(
            core,
            lambda c: (
                found
                if len(found := [m for m in c.sent_messages(anne["id"]) if data_starting(m, "gd:")]) == 3
                else None
            ),
            what="three proposals for the moderator",
        )
        by_goal = {int(data_starting(m, "gd:")[0].split(":")[1]): m for m in proposals}
        core.press_button(anne, by_goal[goals[1]], f"gd:{goals[1]}:ok")
        wait_for_bot_message_sync(core, bart["id"], contains="keurde je doel #1 voor Thema 1 goed")

        review = press(core, anne, by_goal[goals[3]], f"gd:{goals[3]}:edit", "Doel #3 · Thema 2")
        press(core, anne, review, f"gl:{goals[3]}:T", "Tegen wanneer?")
        say(core, anne, "31 december 2026", "Welke tussenstappen")
        review = say(core, anne, "25 brieven tegen juni 2026", "Doel #3 · Thema 2 (voorgesteld")
        assert "✓ De SMART-check vindt niets meer." in review["text"]
        core.press_button(anne, review, f"gd:{goals[3]}:ok")
        wait_for_bot_message_sync(core, chris["id"], contains="keurde je doel #3 voor Thema 2 goed")

        core.press_button(anne, by_goal[goals[2]], f"gd:{goals[2]}:drop")
        wait_for_bot_message_sync(core, dirk["id"], contains="schrapte je doel #2")

        since = len(core.sent_messages(group["id"]))
        core.send_message(chris, group, "/doelen")
        listing = wait_for_bot_message_sync(core, group["id"], since=since, contains="SMART-doelen")["text"]
        assert "#1 ✅ Meer medewerkers komen met de fiets naar het werk · goedgekeurd · SMART ✓" in listing
        assert "#2 ✖️ Sensibiliseren rond afval · geschrapt · ⚠️ te kort, vaag werkwoord" in listing
        assert "#3 ✅ Alle brieven aan burgers in klare taal · goedgekeurd · SMART ✓" in listing
    finally:
        for running in processes:
            stop_bot(running)
    stored = {goal.number: goal for goal in goals_of(database_url)}
    assert [stored[n].status for n in (1, 2, 3)] == ["approved", "dropped", "approved"]
    assert (stored[3].deadline, stored[3].baseline, stored[3].flags) == ("31 december 2026", "0", "[]")
    assert stored[2].kept_as_is and "vague_verb" in stored[2].flags
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
