"""End to end over HTTP: /nieuwtraject with the real bot process against the fake Bot API.

Four members vote on four themes; the moderator confirms two (the other two are parked), closes
the trajectory with /afsluiten and starts a new one with /nieuwtraject. The parked themes come back
as candidates with last round's scores beside them; each member of the closed trajectory gets one
private button and confirms with one press; /vorigtraject shows the closed one, /uitslag vorig its
results; the database holds two trajectories of one chat, the closed one still closed."""

from __future__ import annotations

from pathlib import Path

from fake_telegram.waiting import wait_for_bot_message_sync, wait_for_sync
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import Membership, Theme, Trajectory
from tests.e2e.test_bot_process import fake_server, start_bot, stop_bot  # noqa: F401 (fixture)
from tests.e2e.test_goals_process import data_starting
from tests.e2e.test_voting_process import add_themes, cast_over_http

SCORES = {"Anne": (3, 3, 2, 1), "Bart": (3, 2, 3, 1), "Chris": (3, 3, 2, 2), "Dirk": (2, 3, 1, 1)}


def in_group(core, person: dict, group: dict, text: str, contains: str) -> dict:  # type: ignore[no-untyped-def]
    since = len(core.sent_messages(group["id"]))
    core.send_message(person, group, text)
    return wait_for_bot_message_sync(core, group["id"], since=since, contains=contains)


def test_a_new_trajectory_from_the_parked_themes_over_http(fake_server, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    core, base_url = fake_server
    process = start_bot(core, base_url, database_url, tmp_path, SCREEN_LISTEN="off")
    try:
        group = core.add_group("Kopgroep")
        people = {name: core.add_user(name) for name in SCORES}
        for index, person in enumerate(people.values()):
            core.add_member(group, person, "creator" if index == 0 else "member")
        anne, bart, chris, dirk = people.values()
        core.add_bot_to_group(group, anne)
        welcome = wait_for_bot_message_sync(core, group["id"], contains="Doe je mee")
        for person in people.values():
            core.open_link(person, welcome["reply_markup"]["inline_keyboard"][0][0]["url"])
            wait_for_bot_message_sync(core, person["id"], contains="Welkom")
        add_themes(database_url, group["id"])

        in_group(core, anne, group, "/stemronde", "0 van 4 leden hebben gestemd")
        for name, scores in SCORES.items():
            cast_over_http(core, people[name], dict(enumerate(scores)))
        in_group(core, anne, group, "/sluitronde", "Uitslag stemronde 1")
        in_group(core, anne, group, "/consensus 1, 2", "Consensus")
        refused = in_group(core, anne, group, "/nieuwtraject", "Dit traject loopt nog")
        assert "Sluit het eerst af met /afsluiten" in refused["text"]
        confirm = in_group(core, anne, group, "/afsluiten", "afsluiten")
        since = len(core.sent_messages(group["id"]))
        core.press_button(anne, confirm, next(d for d in data_starting(confirm, "tcl:") if d.endswith(":ok")))
        wait_for_bot_message_sync(core, group["id"], since=since, contains="afgesloten")

        started = in_group(core, anne, group, "/nieuwtraject", "Een nieuw traject voor deze kopgroep")
        assert "1. Thema 3 – vorige keer: gemiddelde 2, 25% gaf een 3 (ronde 1)" in started["text"]
        assert "2. Thema 4 – vorige keer: gemiddelde 1,25, 0% gaf een 3 (ronde 1)" in started["text"]
        assert "Thema 1\n • geen goedgekeurde doelen" in started["text"]
        for person in (bart, chris, dirk):
            invitation = wait_for_bot_message_sync(core, person["id"], contains="start een nieuw traject")
            core.press_button(person, invitation, data_starting(invitation, "ntj:")[0])
            # The invitation itself says so now (edited in place).
            wait_for_sync(
                core,
                lambda c, p=person: any(
                    "Je doet mee aan het nieuwe traject" in (m.get("text") or "") for m in c.sent_messages(p["id"])
                ),
                what="the confirmation",
            )

        previous = in_group(core, dirk, group, "/vorigtraject", "Vorig traject")
        assert "Terug als kandidaat in dit traject:\n1. Thema 3" in previous["text"]
        in_group(core, dirk, group, "/uitslag vorig", "Uitslag stemronde 1")
        in_group(core, dirk, group, "/uitslag", "Er is nog geen stemronde")
        in_group(core, anne, group, "/taal en", "English")
        previous = in_group(core, dirk, group, "/vorigtraject", "Previous trajectory")
        assert (
            "Back as candidates in this trajectory:\n1. Thema 3 – last time: mean 2, 25% gave a 3 (round 1)"
            in previous["text"]
        )
    finally:
        stop_bot(process)

    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = session.scalars(
            select(Trajectory).where(Trajectory.chat_id == group["id"]).order_by(Trajectory.generation)
        ).all()
        assert [(t.generation, t.closed_at is not None, t.previous_id) for t in rows] == [
            (1, True, None),
            (2, False, rows[0].id),
        ]
        statuses = session.scalars(select(Membership.status).where(Membership.trajectory_id == rows[1].id)).all()
        assert sorted(statuses) == ["joined"] * 4
        names = session.scalars(
            select(Theme.name).where(Theme.trajectory_id == rows[1].id).order_by(Theme.position)
        ).all()
        assert names == ["Thema 3", "Thema 4"]
    engine.dispose()
