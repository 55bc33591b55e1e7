"""The retention cut-off in calendar months."""

from __future__ import annotations

from datetime import UTC, datetime

from method.portability.retention import is_expired, months_before


def test_months_before_counts_calendar_months() -> None:
    assert months_before(datetime(2026, 11, 27, 4, 0, tzinfo=UTC), 24) == datetime(2024, 11, 27, 4, 0, tzinfo=UTC)
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2024, 3, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


def test_is_expired_only_when_closed_long_enough_ago() -> None:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    assert not is_expired(None, now, 24)
    assert not is_expired(datetime(2024, 11, 27, tzinfo=UTC), now, 24)  # exactly 24 months: kept one more day
    assert is_expired(datetime(2024, 11, 26, 23, 59, tzinfo=UTC), now, 24)
    assert not is_expired(datetime(2026, 1, 1, tzinfo=UTC), now, 24)
