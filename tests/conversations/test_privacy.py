"""/mijngegevens, /vergeetmij and the retention job through the real application."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config import ConfigError, load_settings
from bot.context import BotContext
from conversations import privacy as privacy_module
from storage import voting
from storage.models import Contribution, Person, Trajectory
from tests.conversations.voting_helpers import cast, voting_group
from tests.harness import Harness


async def _closed_round(harness: Harness) -> tuple[dict, list[dict], int]:
    group, people, themes = await voting_group(harness, members=4, themes=4)
    await harness.say(people[0], group, "/stemronde")
    for person, scores in zip(people, ([3, 2, 1, 3], [3, 3, 1, 2], [2, 3, 1, 3], [3, 2, 2, 3]), strict=True):
        await cast(harness, person, dict(zip(themes, scores, strict=True)))
    await harness.say(people[0], group, "/sluitronde")
    trajectory_id = harness.db.run_sync(
        lambda s: s.scalar(select(Trajectory.id).where(Trajectory.chat_id == group["id"]))
    )
    return group, people, trajectory_id


async def test_my_data_sends_a_file_and_a_summary(harness: Harness) -> None:
    group, people, _ = await _closed_round(harness)
    bart = people[1]
    await harness.say(bart, bart["id"], "/mijngegevens")
    (sent,) = [c for c in harness.core.calls_of("sendDocument") if c.ok and c.result["chat"]["id"] == bart["id"]]
    data = json.loads(harness.core.files[sent.result["document"]["file_id"]]["content"])
    assert data["person"]["telegram_id"] == bart["id"] and data["person"]["first_name"] == "Bart"
    (ballot,) = data["ballot"]
    assert [s["score"] for s in ballot["scores"]] == [3, 3, 1, 2]
    assert [g["title"] for g in data["groups"]] == ["Kopgroep MVO"]
    summary = harness.last_text(bart["id"])
    assert summary.startswith("Wat ik over jou bewaar") and "lidmaatschappen: 1" in summary
    # In the group it is refused (it is about you alone).
    await harness.say(bart, group, "/mijngegevens")
    assert "privégesprek" in harness.last_text(group)


async def test_forget_me_with_confirmation_keeps_the_results(harness: Harness) -> None:
    core = harness.core
    group, people, trajectory_id = await _closed_round(harness)
    anne, bart, chris = people[0], people[1], people[2]
    round_ = harness.db.run_sync(voting.round_by_number, trajectory_id, 1)
    await harness.say(bart, group, "/uitslag 1")
    before = harness.last_text(group)
    figures = harness.db.run_sync(voting.results, round_.id).tally

    await harness.say(bart, bart["id"], "/vergeetmij")
    confirm = harness.last_from_bot(bart["id"])
    assert confirm["text"].startswith("Wil je dat ik je vergeet?")
    bart_id = harness.db.run_sync(lambda s: s.scalar(select(Person.id).where(Person.telegram_id == bart["id"])))
    # Someone else's forged press, and Bart's own press in another chat, change nothing.
    query = await harness.forge_press(
        chris, {**confirm, "chat": {"id": chris["id"], "type": "private"}}, f"forget:{bart_id}:yes"
    )
    assert core.callback_queries[query]["answer"]["show_alert"]
    await harness.press(bart, confirm, f"forget:{bart_id}:no")
    assert harness.last_text(bart["id"]) == "Goed, ik verander niets."
    assert harness.db.run_sync(lambda s: s.get(Person, bart_id).first_name) == "Bart"

    await harness.say(bart, bart["id"], "/vergeetmij")
    await harness.press(bart, harness.last_from_bot(bart["id"]), f"forget:{bart_id}:yes")
    assert harness.last_text(bart["id"]).startswith("Klaar: ik ben je vergeten.")
    tombstone = harness.db.run_sync(lambda s: s.get(Person, bart_id))
    assert (tombstone.first_name, tombstone.telegram_id) == ("", -bart_id)
    assert harness.db.run_sync(voting.results, round_.id).tally == figures
    await harness.say(anne, group, "/uitslag 1")
    assert harness.last_text(group) == before
    await harness.say(anne, group, "/leden")
    assert "Bart" not in harness.last_text(group)

    # The only moderator is asked to appoint another one first.
    await harness.say(anne, anne["id"], "/vergeetmij")
    assert "enige moderator van Kopgroep MVO" in harness.last_text(anne["id"])


async def test_forgotten_contributions_stay_unlinked(harness: Harness) -> None:
    group, people, trajectory_id = await _closed_round(harness)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/dialoog")
    question = harness.last_from_bot(group)
    await harness.say(bart, group, "Meer fietsen", reply_to=question["message_id"])
    await harness.say(bart, bart["id"], "/vergeetmij")
    bart_id = harness.db.run_sync(lambda s: s.scalar(select(Person.id).where(Person.telegram_id == bart["id"])))
    await harness.press(bart, harness.last_from_bot(bart["id"]), f"forget:{bart_id}:yes")
    rows = harness.db.run_sync(lambda s: s.execute(select(Contribution.text, Contribution.person_id)).all())
    assert [(text, person) for text, person in rows] == [("Meer fietsen", None)]


async def test_retention_job_runs_on_a_controllable_clock(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    group, people, trajectory_id = await _closed_round(harness)
    (job,) = harness.app.job_queue.get_jobs_by_name(privacy_module.JOB_NAME)
    assert job.job.trigger.interval == timedelta(days=1)
    closed = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)

    def close(session) -> None:  # type: ignore[no-untyped-def]
        session.get(Trajectory, trajectory_id).closed_at = closed

    harness.db.run_sync(close)
    context = BotContext(harness.app)
    monkeypatch.setattr(privacy_module, "clock", lambda: closed + timedelta(days=700))
    await privacy_module.retention_tick(context)
    assert harness.db.run_sync(lambda s: s.get(Trajectory, trajectory_id).purged_at) is None
    moment = closed + timedelta(days=740)
    monkeypatch.setattr(privacy_module, "clock", lambda: moment)
    await privacy_module.retention_tick(context)
    assert harness.db.run_sync(lambda s: s.get(Trajectory, trajectory_id).purged_at) == moment
    names = harness.db.run_sync(
        lambda s: s.scalars(select(Person.first_name).where(Person.forgotten_at.is_(None))).all()
    )
    assert names == []  # they were in no other group
    monkeypatch.setattr(privacy_module, "clock", lambda: moment + timedelta(days=1))
    await privacy_module.retention_tick(context)
    assert harness.db.run_sync(lambda s: s.get(Trajectory, trajectory_id).purged_at) == moment  # once


def test_retention_months_setting() -> None:
    base = {"TELEGRAM_BOT_TOKEN": "123456:" + "a" * 35}
    assert load_settings(base, env_file=None).retention_months == 24
    assert load_settings({**base, "RETENTION_MONTHS": "6"}, env_file=None).retention_months == 6
    for bad in ("0", "-3", "zes", "1201"):
        with pytest.raises(ConfigError, match="RETENTION_MONTHS"):
            load_settings({**base, "RETENTION_MONTHS": bad}, env_file=None)
