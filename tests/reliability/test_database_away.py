"""The database briefly unreachable: the update gets "try again" in the user's language, nothing
half-done stays behind, the bot keeps running and the next update works."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from storage import ballots
from storage.db import Database
from storage.models import VotingRound
from tests.conversations.voting_helpers import ballot_message, round_id_of, voting_group
from tests.harness import Harness

TRY_AGAIN_NL = "De databank antwoordde even niet. Er is niets verloren; probeer het over een minuutje opnieuw."
TRY_AGAIN_EN = "The database did not answer just now. Nothing was lost; please try again in a minute."


@contextmanager
def database_down(db: Database) -> Iterator[None]:
    """Point the sessions and short units at a PostgreSQL port nobody listens on: a real refused
    connection."""
    dead = create_engine("postgresql+psycopg://postgres@127.0.0.1:9/test", connect_args={"connect_timeout": 2})
    working = db.sessions, db.engine
    db.sessions, db.engine = sessionmaker(dead, expire_on_commit=False), dead
    try:
        yield
    finally:
        db.sessions, db.engine = working
        dead.dispose()


def logged_failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The failures the error handler logged (with ids, never texts), by exception type."""
    found = [
        r.getMessage().split("): ", 1)[1].split("\n", 1)[0]
        for r in caplog.records
        if r.name == "kopgroep.errors" and r.levelno == logging.ERROR
    ]
    caplog.clear()
    return found


async def test_group_command_while_the_database_is_away_then_back(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    before = len(harness.bot_texts(group))
    with database_down(harness.db):
        await harness.say(anne, group, "/stemronde")
    assert harness.bot_texts(group)[before:] == [TRY_AGAIN_NL]  # that alone: no step ran without its data
    assert logged_failures(caplog) == ["OperationalError"]
    # Back: the same command works, and there is exactly one round.
    await harness.say(anne, group, "/stemronde")
    assert ballot_message(harness.core, people[1])
    trajectory_id = await _trajectory_id(harness, group)
    assert await harness.db.run(lambda s: s.query(VotingRound).filter_by(trajectory_id=trajectory_id).count()) == 1


async def test_button_press_while_the_database_is_away_changes_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    core = harness.core
    group, people, themes = await voting_group(harness, members=3, themes=4)
    bart = people[1]
    await harness.say(people[0], group, "/stemronde")
    message = ballot_message(core, bart)
    round_id = round_id_of(message)
    await harness.press(bart, message, f"vote:{round_id}:{themes[0]}:3")
    with database_down(harness.db):
        await harness.press(bart, ballot_message(core, bart), f"vote:{round_id}:{themes[1]}:1")
    answer = list(core.callback_queries.values())[-1]["answer"]
    assert answer["text"] == TRY_AGAIN_NL and answer.get("show_alert")
    assert logged_failures(caplog) == ["OperationalError"]
    key = harness.app.bot_data["services"].ballot_key
    view = await harness.db.run_short(ballots.ballot_view, round_id, bart["id"], key)
    assert view is not None and view.scores == {themes[0]: 3}
    await harness.press(bart, ballot_message(core, bart), f"vote:{round_id}:{themes[1]}:1")
    view = await harness.db.run_short(ballots.ballot_view, round_id, bart["id"], key)
    assert view is not None and view.scores == {themes[0]: 3, themes[1]: 1}


async def test_private_message_gets_try_again_in_the_users_telegram_language(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    core = harness.core
    emma = core.add_user("Emma", language_code="en-GB")
    with database_down(harness.db):
        await harness.say(emma, emma["id"], "/start")
    assert harness.last_text(emma["id"]) == TRY_AGAIN_EN
    assert logged_failures(caplog) == ["OperationalError"]
    await harness.say(emma, emma["id"], "/start")
    assert harness.last_text(emma["id"]) != TRY_AGAIN_EN


async def _trajectory_id(harness: Harness, group: dict) -> int:
    from tests.reliability.events_helpers import trajectory_of

    return (await trajectory_of(harness, group)).id


async def test_database_lost_in_the_middle_of_a_step_rolls_back_and_says_try_again(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The guard got through; the step's own write meets a dropped connection."""
    from sqlalchemy.exc import OperationalError

    from storage import trajectories

    group, people, _ = await voting_group(harness, members=3, themes=4)

    def dropped(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("UPDATE trajectory", {}, ConnectionResetError("server closed the connection"))

    monkeypatch.setattr(trajectories, "set_organisation", dropped)
    await harness.say(people[0], group, "/organisatie Stad Gent")
    assert harness.last_text(group) == TRY_AGAIN_NL
    assert [type(e).__name__ for e in harness.errors] == ["OperationalError"]
    harness.errors.clear()
    assert logged_failures(caplog) == ["OperationalError"]
    monkeypatch.undo()
    trajectory_id = await _trajectory_id(harness, group)
    assert (await harness.db.run(trajectories.by_id, trajectory_id)).organisation == "Gemeente Zottegem"
    await harness.say(people[0], group, "/organisatie Stad Gent")
    assert (await harness.db.run(trajectories.by_id, trajectory_id)).organisation == "Stad Gent"
