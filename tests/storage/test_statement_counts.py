"""No N+1: the statements an action runs do not grow with the group's members or themes.

The counts come from benchmarks/statements.py (SQLAlchemy engine events, one update each);
here they are compared between a small and a larger group, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from benchmarks.statements import PER_MEMBER, action_counts
from tests.harness import Harness


async def test_statement_counts_do_not_grow_with_members_or_themes(harness: Harness) -> None:
    small = await action_counts(harness, members=5, themes=10)
    more_members = await action_counts(harness, members=15, themes=10)
    more_themes = await action_counts(harness, members=5, themes=20)
    for action, count in small.items():
        if action in PER_MEMBER:
            assert more_members[action] > count  # one ballot per member, by nature
            continue
        assert more_members[action] == count, (action, count, more_members[action])
        assert more_themes[action] == count, (action, count, more_themes[action])
    assert more_themes["open round"] == small["open round"]
    # A ballot press is the commonest update of a round: one statement reads the presser's
    # delivery, the round's themes and their sealed cells; on PostgreSQL the write of the cell
    # rides in it (a data-modifying CTE, committed as it runs), on SQLite it is a second statement
    # (storage/ballots.py). The guard skips its lookup for it; no ballot-side table is touched.
    assert small["ballot press"] == (1 if harness.db.url.startswith("postgresql") else 2)
    # A dream image: the guard's lookup, the chat's open questions (conversations/answers.py), then
    # one unit that reads the member's template, checks and stores (storage/dreams.add_own_image).
    assert small["dream image"] == 12
