"""How long personal data of a closed trajectory is kept (``RETENTION_MONTHS``): the cut-off."""

from __future__ import annotations

import calendar
from datetime import datetime


def months_before(moment: datetime, months: int) -> datetime:
    """The same time ``months`` calendar months earlier; the 31st becomes the month's last day."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def is_expired(closed_at: datetime | None, now: datetime, months: int) -> bool:
    """A trajectory closed longer ago than ``months`` months: its personal data goes."""
    return closed_at is not None and closed_at < months_before(now, months)
