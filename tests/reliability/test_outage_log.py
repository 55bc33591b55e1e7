"""While the database is down the jobs fail at every tick: the log says so once, with the type of
error, counts the rest, and says once when it is back and how many runs failed."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from conversations import dream_reminders, voting
from tests.harness import Harness
from tests.reliability.test_database_away import database_down


def jobs(harness: Harness) -> list:
    queue = harness.app.job_queue
    assert queue is not None
    found = [*queue.get_jobs_by_name(dream_reminders.JOB_NAME), *queue.get_jobs_by_name(voting.DEADLINE_TICK)]
    assert len(found) == 2, found
    return found


def lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, int, str]]:
    found = [(r.name, r.levelno, r.getMessage()) for r in caplog.records if r.name.startswith("kopgroep")]
    caplog.clear()
    return found


# PTB warns that Job.run outside a running application leaves the error handler's task to us: it is awaited.
pytestmark = pytest.mark.filterwarnings("ignore:Tasks created via `Application.create_task`")


async def test_an_outage_is_one_line_then_a_count_when_it_ends(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    reminders, deadlines = jobs(harness)
    caplog.set_level(logging.INFO)
    for outage in (1, 2):  # each outage has its own pair of lines
        with database_down(harness.db):
            for _tick in range(4):
                await reminders.run(harness.app)  # the JobQueue's own run: errors go to the error handlers
                await deadlines.run(harness.app)
        assert len(harness.errors) == 8 and all(isinstance(e, OperationalError) for e in harness.errors)
        harness.errors.clear()
        logged = lines(caplog)
        assert [(name, level) for name, level, _ in logged] == [("kopgroep.outage", logging.ERROR)], (outage, logged)
        assert "database unreachable (OperationalError in " in logged[0][2]
        await reminders.run(harness.app)
        await deadlines.run(harness.app)
        logged = lines(caplog)
        assert [(name, level) for name, level, _ in logged] == [("kopgroep.outage", logging.WARNING)], logged
        message = logged[0][2]
        assert message.startswith("database reachable again after ") and ": 8 failed job runs (" in message
        assert dream_reminders.JOB_NAME in message and voting.DEADLINE_TICK in message


async def test_another_job_error_keeps_its_full_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    reminders, _ = jobs(harness)

    async def broken(application, at=None):  # type: ignore[no-untyped-def]
        raise KeyError("a bug, not an outage")

    monkeypatch.setattr(dream_reminders, "run_reminders", broken)
    caplog.set_level(logging.INFO)
    await reminders.run(harness.app)
    await reminders.run(harness.app)
    harness.errors.clear()
    logged = lines(caplog)
    assert [(name, message.split("\n")[0]) for name, _, message in logged] == [
        ("kopgroep.errors", "error outside an update: KeyError"),
        ("kopgroep.errors", "error outside an update: KeyError"),
    ]
