"""End to end over HTTP: a voting round run by the real bot process against the fake Bot API."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from storage.models import Theme, Trajectory
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)

SCORES = {"Anne": (3, 3, 2, 1), "Bart": (3, 2, 3, 1), "Chris": (3, 3, 2, 1), "Dirk": (2, 3, 3, 1)}


def add_themes(database_url: str, chat_id: int) -> None:
    engine = create_engine(database_url)
    with Session(engine) as session, session.begin():
        trajectory = session.query(Trajectory).filter_by(chat_id=chat_id).one()
        session.add_all(Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", source="manual") for i in range(1, 5))
    engine.dispose()


def test_a_voting_round_over_http(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path)
    try:
        group = core.add_group("Kopgroep")
        people = {name: core.add_user(name) for name in SCORES}
        for index, person in enumerate(people.values()):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne = people["Anne"]
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in people.values():
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")
        add_themes(database_url, group["id"])

        core.send_message(anne, group, "/stemronde")
        wait_for_bot_message_sync(core, group["id"], contains="0 van 4 leden hebben gestemd")
        for name, scores in SCORES.items():
            person = people[name]
            ballot = wait_for_bot_message_sync(core, person["id"], contains="Stembiljet")
            buttons = [b["callback_data"] for row in ballot["reply_markup"]["inline_keyboard"] for b in row if "callback_data" in b]
            votes = [b for b in buttons if b.startswith("vote:")]
            theme_ids = sorted({int(b.split(":")[2]) for b in votes})
            round_id = votes[0].split(":")[1]
            for theme_id, score in zip(theme_ids, scores, strict=True):
                core.press_button(person, ballot, f"vote:{round_id}:{theme_id}:{score}")
                wait_for_sync(core, lambda c, p=person, r=round_id, t=theme_id, s=score: any(
                    f"vote:{r}:{t}:{s}" in str(m.get("reply_markup")) and f"✅ {s}" in str(m.get("reply_markup")) for m in c.sent_messages(p["id"])
                ))
            core.press_button(person, ballot, f"vsubmit:{round_id}")
            wait_for_bot_message_sync(core, person["id"], contains="Ingediend")
        wait_for_sync(core, lambda c: "4 van 4 leden hebben gestemd" in (c.sent_messages(group["id"])[-1].get("text") or "") or any(
            "4 van 4 leden hebben gestemd" in (m.get("text") or "") for m in c.sent_messages(group["id"])))
        core.send_message(anne, group, "/sluitronde")
        results = wait_for_bot_message_sync(core, group["id"], contains="Uitslag stemronde 1")
        assert "1. Thema 1" in results["text"] and "3: 3 (75%) · 2: 1 · 1: 0" in results["text"]
        wait_for_bot_message_sync(core, anne["id"], contains="jouw stem naast die van de groep")
    finally:
        stop_bot(process)
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
