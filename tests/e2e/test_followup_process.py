"""End to end over HTTP: goals followed up with the real bot process against the fake Bot API.

Two approved goals (Bart's in %, Chris's in zalen). The moderator starts the follow-up with
/opvolging and asks for the values by button, three rounds. Bart's value in the wrong unit is
refused with a clear message; Chris does not answer round 1, gets one reminder, and the moderator
hears privately that he did not answer; every round closes with a digest in the group. The process
is stopped in the middle of round 2 and a new one on the same database carries the round on from its
rows (the reminder the first process planned is sent by the second, once). Bart's goal reaches its target in round 3 and is not asked again; /voortgang in Dutch and
English shows each goal per theme, with the chart; the report then has its follow-up section."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.core import FakeTelegram
from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import FollowupAsk, FollowupGoal, Goal, Person, Theme, Trajectory
from tests.conversations.report_helpers import docx_text, level1, sent_files
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)
from tests.e2e.test_goals_process import BART, SECRET, data_starting

NAMES = ("Anne", "Bart", "Chris")
CHRIS = ["Kraantjeswater in elke vergaderzaal", "aantal zalen met waterpunt", "2 zalen in 2026", "12 zalen",
         "facilitaire dienst", "5.000 euro", "juni 2027", "-"]  # fmt: skip
# Seconds: a tick each second, the reminder after 6, a round closes after 14 without every answer.
ENV = {
    "BALLOT_SECRET": SECRET,
    "SCREEN_LISTEN": "off",
    "REMINDER_INTERVAL": "1",
    "FOLLOWUP_REMIND_AFTER": "6",
    "FOLLOWUP_WINDOW": "14",
}
PARTS = ("specific", "indicator", "baseline", "target", "owner", "means", "deadline", "milestones")


def seed_goals(database_url: str, chat_id: int, authors: dict[int, list[str]]) -> int:
    """Two chosen themes, an approved goal on each (as /doelen leaves them), by telegram id."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            trajectory = session.scalars(select(Trajectory).where(Trajectory.chat_id == chat_id)).one()
            for number, (telegram_id, parts) in enumerate(authors.items(), start=1):
                theme = Theme(
                    trajectory_id=trajectory.id,
                    position=number,
                    name=f"Thema {number}",
                    source="manual",
                    status="chosen",
                )
                session.add(theme)
                session.flush()
                author = session.scalars(select(Person).where(Person.telegram_id == telegram_id)).one()
                session.add(
                    Goal(trajectory_id=trajectory.id, theme_id=theme.id, number=number, author_id=author.id,
                         status="approved", flags="[]", **dict(zip(PARTS, parts, strict=True)))
                )  # fmt: skip
            return trajectory.id
    finally:
        engine.dispose()


def rows(database_url: str, model: type) -> list:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(model)))
    finally:
        engine.dispose()


def in_group(core: FakeTelegram, person: dict, group: dict, text: str, contains: str, timeout: float = 10) -> dict:
    since = len(core.sent_messages(group["id"]))
    core.send_message(person, group, text)
    return wait_for_bot_message_sync(core, group["id"], since=since, contains=contains, timeout=timeout)


def private(core: FakeTelegram, person: dict, text: str, contains: str) -> dict:
    since = len(core.sent_messages(person["id"]))
    core.send_message(person, person["id"], text)
    return wait_for_bot_message_sync(core, person["id"], since=since, contains=contains)


def ask_now(core: FakeTelegram, anne: dict, plan: dict, trajectory_id: int, people: tuple[dict, ...]) -> list[dict]:
    """The moderator's "ask now": every one of ``people`` gets the question privately."""
    since = {p["id"]: len(core.sent_messages(p["id"])) for p in people}
    core.press_button(anne, plan, f"fur:{trajectory_id}")
    return [
        wait_for_bot_message_sync(core, p["id"], since=since[p["id"]], contains="📈 Opvolging: doel") for p in people
    ]


def count(core: FakeTelegram, chat_id: int, start: str) -> int:
    return sum(m.get("text", "").startswith(start) for m in core.sent_messages(chat_id))


def test_goals_followed_through_three_rounds_across_a_restart(
    fake_server,  # noqa: F811
    database_url: str,
    tmp_path: Path,
) -> None:
    core, base_url = fake_server
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    process = start_bot(core, base_url, database_url, tmp_path / "first", **ENV)
    processes = [process]
    try:
        group = core.add_group("Kopgroep")
        people = {name: core.add_user(name) for name in NAMES}
        for index, person in enumerate(people.values()):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne, bart, chris = people.values()
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in people.values():
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")
        trajectory_id = seed_goals(database_url, group["id"], {bart["id"]: BART, chris["id"]: CHRIS})

        plan = in_group(core, anne, group, "/opvolging", "Opvolging van de doelen")
        assert "Ritme: elk kwartaal" in plan["text"] and "Doelen in opvolging: 2." in plan["text"]
        assert data_starting(plan, "fur:") == [f"fur:{trajectory_id}"]

        # Round 1: a value in the wrong unit is refused, then Bart answers; Chris stays silent.
        ask_now(core, anne, plan, trajectory_id, (bart, chris))
        refused = private(core, bart, "18 km", "maar de indicator")
        assert "Dat is in km, maar de indicator van doel #1 telt in %" in refused["text"]
        assert "De vraag blijft open." in refused["text"]
        private(core, bart, "18%", "Genoteerd: 18%.")
        private(core, bart, "Twee nieuwe fietsstallingen", "Dank je! Doel #1: 18%")
        wait_for_bot_message_sync(core, chris["id"], contains="⏰ Herinnering: hoe staat doel #2 ervoor?", timeout=20)
        digest = wait_for_bot_message_sync(core, group["id"], contains="Opvolgronde 1 afgerond", timeout=30)
        assert "1 van de 2 doelen gemeld" in digest["text"] and "Chris" not in digest["text"]
        told = wait_for_bot_message_sync(core, anne["id"], contains="niet geantwoord, ook niet na een herinnering")
        assert "Chris" in told["text"] and "Bart" not in told["text"]
        assert count(core, chris["id"], "⏰") == 1 and count(core, bart["id"], "⏰") == 0

        # Round 2: Chris answers at once ("nothing changed"), then the process stops; the new one
        # carries the round on from its rows: Bart's reminder, planned by the first, comes from the second.
        ask_now(core, anne, plan, trajectory_id, (bart, chris))
        ask = next(m for m in reversed(core.sent_messages(chris["id"])) if data_starting(m, "fun:"))
        since = len(core.sent_messages(chris["id"]))
        core.press_button(chris, ask, data_starting(ask, "fun:")[0])
        wait_for_bot_message_sync(core, chris["id"], since=since, contains="(niets veranderd)")
        stop_bot(process)
        process = start_bot(core, base_url, database_url, tmp_path / "second", **ENV)
        processes.append(process)
        wait_for_bot_message_sync(core, bart["id"], contains="⏰ Herinnering: hoe staat doel #1 ervoor?", timeout=25)
        private(core, bart, "24% - fietsvergoeding verhoogd", "Dank je! Doel #1: 24%")
        digest = wait_for_bot_message_sync(core, group["id"], contains="Opvolgronde 2 afgerond", timeout=20)
        assert "2 van de 2 doelen gemeld" in digest["text"]
        assert count(core, bart["id"], "⏰") == 1

        # Round 3: Bart reaches the target; his goal is done and not asked again.
        ask_now(core, anne, plan, trajectory_id, (bart, chris))
        private(core, bart, "31%", "heeft zijn streefwaarde bereikt")
        ask = next(m for m in reversed(core.sent_messages(chris["id"])) if data_starting(m, "fun:"))
        core.press_button(chris, ask, data_starting(ask, "fun:")[0])
        wait_for_bot_message_sync(core, group["id"], contains="Opvolgronde 3 afgerond", timeout=20)
        asked_bart = count(core, bart["id"], "📈 Opvolging: doel")
        ask_now(core, anne, plan, trajectory_id, (chris,))
        assert count(core, bart["id"], "📈 Opvolging: doel") == asked_bart == 3
        assert (
            count(core, chris["id"], "⏰") == 1 and count(core, bart["id"], "⏰") == 1
        )  # each once, across the restart

        # /voortgang in Dutch, then in English.
        since = len(core.sent_messages(group["id"]))
        core.send_message(anne, group, "/voortgang")
        wait_for_sync(core, lambda c: any("photo" in m for m in c.sent_messages(group["id"])[since:]), what="the chart")
        text = next(m["text"] for m in core.sent_messages(group["id"])[since:] if "text" in m)
        assert "✅ bereikt · #1" in text and "nu 31% · streefwaarde 30% tegen 31 december 2027" in text
        assert "🟠 achter op schema · #2" in text or "🟢 op schema · #2" in text
        in_group(core, anne, group, "/taal en", "English")
        since = len(core.sent_messages(group["id"]))
        core.send_message(anne, group, "/voortgang")
        wait_for_sync(core, lambda c: any("photo" in m for m in c.sent_messages(group["id"])[since:]), what="the chart")
        text = next(m["text"] for m in core.sent_messages(group["id"])[since:] if "text" in m)
        assert (
            text.startswith("📈 Progress of the goals") and "✅ reached · #1" in text and "now 31% · target 30%" in text
        )
        photo = next(m for m in core.sent_messages(group["id"])[since:] if "photo" in m)
        assert "dashed line" in photo["caption"]

        # The report gains the follow-up section (values, what happened, the chart); no owner names
        # in a report without names.
        choice = in_group(core, anne, group, "/rapport", "names")
        since = len(core.sent_messages(group["id"]))
        core.press_button(anne, choice, data_starting(choice, "rpt:")[0])
        wait_for_bot_message_sync(core, group["id"], since=since, contains="made the report", timeout=70)
        files = sent_files(core, anne["id"])
        name = next(n for n in files if n.endswith(".docx"))
        document, text = docx_text(files[name])
        assert "Follow-up of the goals" in level1(document)
        assert "fietsvergoeding verhoogd" in text and "Status: reached." in text and "Reports:" not in text

        (done, other) = sorted(rows(database_url, FollowupGoal), key=lambda r: r.goal_id)
        assert done.done_at is not None and other.done_at is None
        # Rounds 1-3 (round 4, still open, asked Chris only): each question and reminder sent once.
        asks = rows(database_url, FollowupAsk)
        last = max(a.round_id for a in asks)
        sent = [(a.goal_id, a.kind) for a in asks if a.state == "sent" and a.round_id != last]
        assert sorted(sent) == sorted([(1, "ask")] * 3 + [(1, "reminder")] + [(2, "ask")] * 3 + [(2, "reminder")])
        assert [(a.goal_id, a.kind) for a in asks if a.round_id == last and a.kind == "ask"] == [(2, "ask")]
    finally:
        for running in processes:
            if running.poll() is None:
                stop_bot(running)
