"""A database outage in the log: its first failure one line, the rest counted, one line when it ends.

While the database is down every job fails at every tick (the reminders, the deadlines, the
inbox look); a stack each time would bury the one line that matters. The jobs report here: the
first failure of an outage is logged with its error's type, later ones are only counted, and the
first run that succeeds again logs how many failed and for how long.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram.ext import Application

from bot.errors import database_away

log = logging.getLogger("kopgroep.outage")
KEY = "database_outage"
T = TypeVar("T")


class Outage:
    """The state of one process's database outage (none, or since when and how many failures)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.since: float | None = None
        self.failures = 0
        self.jobs: set[str] = set()

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, what: str, error: BaseException) -> None:
        """A job failed because the database is away: log it if the outage starts, else count it."""
        self.failures += 1
        self.jobs.add(what)
        if self.since is None:
            self.since = self.clock()
            log.error(
                "database unreachable (%s in %s); the jobs keep trying, further failures are counted until it is back",
                type(error).__name__,
                what,
            )

    def succeeded(self) -> None:
        """A job ran: if an outage was going on, say that it ended, with its count."""
        if self.since is None:
            return
        seconds = self.clock() - self.since
        log.warning(
            "database reachable again after %.0f s: %d failed job runs (%s)",
            seconds,
            self.failures,
            ", ".join(sorted(self.jobs)),
        )
        self.since, self.failures, self.jobs = None, 0, set()


def outage_of(application: Application) -> Outage:
    return application.bot_data.setdefault(KEY, Outage())


def report_job_error(application: Application, what: str, error: BaseException | None) -> bool:
    """True when ``error`` is the database being away (counted here, the caller logs nothing)."""
    if error is None or not database_away(error):
        return False
    outage_of(application).failed(what, error)
    return True


def watched(callback: Callable[[Any], Awaitable[T]]) -> Callable[[Any], Awaitable[T]]:
    """A job callback whose successful run ends an outage (its failures reach ``on_error``)."""

    @functools.wraps(callback)
    async def run(context: Any) -> T:
        result = await callback(context)
        outage_of(context.application).succeeded()
        return result

    return run
