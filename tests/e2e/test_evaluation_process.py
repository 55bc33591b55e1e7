"""End to end over HTTP: the closing evaluation with the real bot process, on both databases.

The moderator starts it; members answer and skip privately; the bot process is stopped in the
middle and started again, and a member goes on at their next question; the last member finishing
closes it, the moderator gets the digest privately; /afsluiten with its button closes the trajectory."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import EvaluationAnswer, Trajectory
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)


def skip_button(message: dict) -> str:
    return next(
        b["callback_data"]
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
        if b.get("callback_data", "").startswith("evs:")
    )


def test_evaluation_across_a_restart_and_closing_the_trajectory(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path)
    try:
        group = core.add_group("Kopgroep")
        anne, bart, chris = core.add_user("Anne"), core.add_user("Bart"), core.add_user("Chris")
        core.add_member(group, anne, "creator")
        core.add_member(group, bart)
        core.add_member(group, chris)
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in (anne, bart, chris):
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")

        core.send_message(anne, group, "/evaluatie")
        wait_for_bot_message_sync(core, group["id"], contains="Ik stuurde elk lid privé de drie vragen")
        for person in (anne, bart, chris):
            wait_for_bot_message_sync(core, person["id"], contains="Vraag 1 van 3")
        core.send_message(bart, bart["id"], "Via de werkgroep duurzaamheid")
        second = wait_for_bot_message_sync(core, bart["id"], contains="Vraag 2 van 3")
        core.press_button(bart, second, skip_button(second))
        wait_for_bot_message_sync(core, bart["id"], contains="Vraag 3 van 3")
        core.send_message(chris, chris["id"], "In het meerjarenplan")
        wait_for_bot_message_sync(core, chris["id"], contains="Vraag 2 van 3")
    finally:
        stop_bot(process)

    # A new process on the same database: Bart goes on at his third question.
    menus = len(core.calls_of("setMyCommands"))
    process = start_bot(core, base_url, database_url, tmp_path)
    try:
        wait_for_sync(core, lambda c: len(c.calls_of("setMyCommands")) >= menus + 4, what="the restarted bot")
        seen = len(core.sent_messages(bart["id"]))
        core.send_message(bart, bart["id"], "Ja, we meten nu meer")
        wait_for_sync(
            core,
            lambda c: any("Bedankt!" in (m.get("text") or "") for m in c.sent_messages(bart["id"])[seen:]),
            what="Bart's thanks after the restart",
        )
        for person in (anne, chris):
            while True:
                last = core.sent_messages(person["id"])[-1]
                if "Bedankt!" in (last.get("text") or ""):
                    break
                seen = len(core.sent_messages(person["id"]))
                core.press_button(person, last, skip_button(last))
                wait_for_sync(core, lambda c, p=person, n=seen: len(c.sent_messages(p["id"])) > n)
        wait_for_bot_message_sync(core, group["id"], contains="Bedankt voor jullie terugblik")
        digest = wait_for_bot_message_sync(core, anne["id"], contains="Terugblik · Kopgroep")
        assert "Via de werkgroep duurzaamheid" in digest["text"] and "In het meerjarenplan" in digest["text"]
        assert "Bart" not in digest["text"] and "Chris" not in digest["text"]

        core.send_message(anne, group, "/afsluiten")
        ask = wait_for_bot_message_sync(core, group["id"], contains="Het traject afsluiten?")
        ok = next(
            b["callback_data"] for b in ask["reply_markup"]["inline_keyboard"][0] if b["callback_data"].endswith(":ok")
        )
        core.press_button(anne, ask, ok)
        wait_for_bot_message_sync(core, group["id"], contains="Het MVO-traject is afgesloten")
    finally:
        stop_bot(process)
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            texts = sorted(session.scalars(select(EvaluationAnswer.text)))
            closed_at = session.scalar(select(Trajectory.closed_at).where(Trajectory.chat_id == group["id"]))
    finally:
        engine.dispose()
    assert texts == ["In het meerjarenplan", "Ja, we meten nu meer", "Via de werkgroep duurzaamheid"]
    assert closed_at is not None
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
