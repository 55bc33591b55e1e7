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
        assert "1. Thema 1 ✅\n   3 van de 4 gaven een 3 (75%), niemand gaf een 1" in results["text"]
        wait_for_bot_message_sync(core, anne["id"], contains="jouw stem naast die van de groep")
    finally:
        stop_bot(process)
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]


def cast_over_http(core, person: dict, scores: dict[int, int], *, since: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Press a score per theme position (1-based, in theme id order) on the member's newest ballot, then submit."""
    ballot = wait_for_bot_message_sync(core, person["id"], contains="Stembiljet", since=since)
    buttons = [b["callback_data"] for row in ballot["reply_markup"]["inline_keyboard"] for b in row if "callback_data" in b]
    votes = [b for b in buttons if b.startswith("vote:")]
    theme_ids = sorted({int(b.split(":")[2]) for b in votes})
    round_id = votes[0].split(":")[1]
    for theme_id, score in zip(theme_ids, scores.values(), strict=True):
        core.press_button(person, ballot, f"vote:{round_id}:{theme_id}:{score}")
        wait_for_sync(core, lambda c, p=person, r=round_id, t=theme_id, s=score: any(
            f"vote:{r}:{t}:{s}" in str(m.get("reply_markup")) and f"✅ {s}" in str(m.get("reply_markup")) for m in c.sent_messages(p["id"])
        ))
    core.press_button(person, ballot, f"vsubmit:{round_id}")
    wait_for_bot_message_sync(core, person["id"], contains="Ingediend", since=since)


def test_tie_break_dead_end_over_http(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    """Issue 17: a tie for 2 places among 3 themes, two of them removed before the tie-break.

    The old bot opened a tie-break on 1 theme for 2 places; /sluitronde then failed with an
    IndexError, the round stayed open for good and /consensus answered "loopt nog". Now no vote is
    needed: what is left goes through, and /consensus confirms it.
    """
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path)
    try:
        group = core.add_group("Kopgroep")
        people = [core.add_user(name) for name in ("Anne", "Bart", "Chris", "Dirk")]
        for index, person in enumerate(people):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne = people[0]
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in people:
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")
        engine = create_engine(database_url)
        with Session(engine) as session, session.begin():
            trajectory = session.query(Trajectory).filter_by(chat_id=group["id"]).one()
            session.add_all(Theme(trajectory_id=trajectory.id, position=i, name=f"Thema {i}", source="manual") for i in range(1, 6))
        engine.dispose()

        core.send_message(anne, group, "/stemronde")
        wait_for_bot_message_sync(core, group["id"], contains="0 van 4 leden hebben gestemd")
        # #1 all 3s; #2, #3, #4 equal (three 3s and a 2 each); #5 all 1s: a tie for 2 places, #1 secured.
        for index, person in enumerate(people):
            cast_over_http(core, person, {1: 3, 2: 2 if index == 0 else 3, 3: 2 if index == 1 else 3, 4: 2 if index == 2 else 3, 5: 1})
        core.send_message(anne, group, "/sluitronde")
        tie = wait_for_bot_message_sync(core, group["id"], contains="Uitslag stemronde 1")
        assert "Gelijkstand tussen Thema 2, Thema 3" in tie["text"] and "Thema 1 is al zeker" in tie["text"]

        for number in (3, 4):
            seen = len(core.sent_messages(group["id"]))
            core.send_message(anne, group, f"/thema verwijder {number}")
            wait_for_bot_message_sync(core, group["id"], since=seen, contains="verwijderd")
        seen = len(core.sent_messages(group["id"]))
        core.send_message(anne, group, "/stemronde")
        decided = wait_for_bot_message_sync(core, group["id"], since=seen, contains="geen beslissende ronde nodig")
        assert "Voorstel: Thema 1 en Thema 2." in decided["text"]
        core.send_message(anne, group, "/consensus")
        confirmed = wait_for_bot_message_sync(core, group["id"], since=seen, contains="Consensus!")
        assert "✅ Thema 1\n✅ Thema 2" in confirmed["text"]
        texts = [m.get("text") or "" for m in core.sent_messages(group["id"])]
        assert not any("Er ging iets mis" in t or "loopt nog" in t for t in texts)
        assert not any("(beslissende ronde)" in t for t in texts)  # no tie-break on 1 theme was opened
    finally:
        log = stop_bot(process)  # fails on a Traceback in the bot's log
    assert "IndexError" not in log
    refused = [c for c in core.calls if not c.ok and c.method != "getUpdates"]
    assert not refused, [(c.method, c.error) for c in refused]
