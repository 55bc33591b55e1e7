"""/mijngegevens, /vergeetmij and the retention purge on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select

from storage import people, privacy, voting
from storage.archive import export_trajectory
from storage.db import Database
from storage.models import Ballot, Contribution, DreamImage, Goal, Membership, Person, Prompt, Trajectory, VotingRound
from tests.conftest import _empty_postgres
from tests.storage.archive_helpers import ANNE, BART, CHRIS, DIRK, KEY, seed

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


def _figures(db: Database, trajectory_id: int) -> tuple:
    """What a round shows: per theme the frozen figures, the quorum count, the submitted ballots."""
    found = db.run_sync(voting.round_by_number, trajectory_id, 1)
    result = db.run_sync(voting.results, found.id)
    progress = db.run_sync(voting.progress, found.id)
    return (
        [
            (t.theme_id, t.votes, t.total, t.mean, t.median, t.ones, t.twos, t.threes, t.rank)
            for t in result.tally.themes
        ],
        result.submitted,
        result.w,
        progress,
        result.reasons,
    )


def test_my_data_holds_every_row_that_points_at_me(db: Database) -> None:
    db.run_sync(seed)
    data = db.run_sync(privacy.my_data, BART.telegram_id, KEY)
    assert data is not None
    json.dumps(data)  # JSON-ready
    assert data["person"]["first_name"] == "Bart" and data["person"]["telegram_id"] == BART.telegram_id
    for table in (
        "membership",
        "contribution",
        "dream_image",
        "dream_done",
        "goal.author_id",
        "ballot_delivery",
        "evaluation_delivery",
        "prompt",
        "reminder",
    ):
        assert data[table], table
    assert [c["text"] for c in data["contribution"]] == ["Open antwoord"]
    # Their own ballot, found through the pseudonym, with their scores.
    (ballot,) = data["ballot"]
    assert [s["score"] for s in ballot["scores"]] == [3, 2, 1] and ballot["submitted"]
    assert privacy.summary(data)["contribution"] == 1
    # Chris's anonymous answer is theirs (it is stored with their person id) and not Bart's.
    chris = db.run_sync(privacy.my_data, CHRIS.telegram_id, KEY)
    assert [(c["text"], c["anonymous"]) for c in chris["contribution"]] == [("Anoniem", True)]
    assert db.run_sync(privacy.my_data, 999, KEY) is None


def test_forget_keeps_figures_and_leaves_no_trace_of_the_person(db: Database) -> None:
    tid = db.run_sync(seed)
    before = _figures(db, tid)
    bart_id = db.run_sync(lambda s: s.scalar(select(Person.id).where(Person.telegram_id == BART.telegram_id)))
    # A question in Bart's private chat open to no one in particular still names his chat.
    db.run_sync(lambda s: s.add(Prompt(trajectory_id=tid, chat_id=BART.telegram_id, kind="group_choice")))
    assert db.run_sync(privacy.forget, BART.telegram_id, KEY, NOW).status == "ok"
    assert (
        db.run_sync(
            lambda s: s.scalar(select(func.count()).select_from(Prompt).where(Prompt.chat_id == BART.telegram_id))
        )
        == 0
    )
    assert _figures(db, tid) == before

    def traces(session):  # type: ignore[no-untyped-def]
        found = session.scalar(
            select(func.count())
            .select_from(Person)
            .where(or_(Person.telegram_id == BART.telegram_id, Person.first_name == "Bart"))
        )
        tombstone = session.get(Person, bart_id)
        linked = sum(
            session.scalar(select(func.count()).select_from(model).where(column == bart_id))
            for model, column in (
                (Contribution, Contribution.person_id),
                (DreamImage, DreamImage.person_id),
                (Goal, Goal.author_id),
                (Membership, Membership.person_id),
            )
        )
        texts = session.scalars(select(Contribution.text).order_by(Contribution.id)).all()
        return found, tombstone, linked, texts

    found, tombstone, linked, texts = db.run_sync(traces)
    assert (found, linked) == (0, 0)
    assert tombstone.telegram_id == -bart_id and tombstone.first_name == "" and tombstone.forgotten_at == NOW
    assert texts == ["Open antwoord", "Anoniem"]  # the words stay, unlinked
    assert db.run_sync(privacy.my_data, BART.telegram_id, KEY) is None
    # Bart writes again: a new person with a new id, who does not find the old ballot.
    fresh = db.run_sync(lambda s: people.upsert_person(s, BART).id)
    assert fresh != bart_id
    data = db.run_sync(privacy.my_data, BART.telegram_id, KEY)
    assert set(data) == {"person", "ballot", "groups"} and data["ballot"] == []
    # No pseudonym of the round belongs to the tombstone's id any more.
    from method.anonymity import pseudonym

    round_id = db.run_sync(voting.round_by_number, tid, 1).id
    names = db.run_sync(lambda s: s.scalars(select(Ballot.pseudonym).where(Ballot.round_id == round_id)).all())
    assert pseudonym(KEY, round_id, bart_id) not in names and len(names) == 5
    # The archive holds the tombstone only as a nameless row.
    exported = db.run_sync(export_trajectory, tid)
    assert "Bart" not in json.dumps(exported)


def test_sole_moderator_and_open_round_are_asked_to_wait(db: Database) -> None:
    tid = db.run_sync(seed)
    check = db.run_sync(privacy.forget, ANNE.telegram_id, KEY, NOW)
    assert (check.status, check.groups) == ("sole_moderator", ("Kopgroep MVO",))
    assert db.run_sync(privacy.my_data, ANNE.telegram_id, KEY) is not None  # nothing changed

    def reopen(session):  # type: ignore[no-untyped-def]
        session.get(Trajectory, tid)
        round_ = session.scalar(select(VotingRound).where(VotingRound.trajectory_id == tid))
        round_.status = "open"

    db.run_sync(reopen)
    assert db.run_sync(privacy.forget, DIRK.telegram_id, KEY, NOW).status == "open_round"
    assert db.run_sync(privacy.forget, 999, KEY, NOW).status == "unknown"


def _close(db: Database, tid: int, when: datetime) -> None:
    def close(session):  # type: ignore[no-untyped-def]
        session.get(Trajectory, tid).closed_at = when

    db.run_sync(close)


def test_retention_purges_only_old_closed_trajectories_and_only_once(db: Database) -> None:
    old = db.run_sync(seed)
    recent = db.run_sync(seed, chat_id=-7002)  # the same four people sit in both
    still_open = db.run_sync(seed, chat_id=-7003)
    _close(db, old, NOW - timedelta(days=2 * 365 + 10))
    _close(db, recent, NOW - timedelta(days=300))
    before = _figures(db, old)
    assert db.run_sync(privacy.purge_expired, NOW, 24, KEY) == [old]
    assert db.run_sync(privacy.purge_expired, NOW, 24, KEY) == []  # once
    assert _figures(db, old)[:3] == before[:3]  # the frozen figures stay; nobody is counted as sent
    exported = db.run_sync(export_trajectory, old)
    assert exported["person"] == [] and exported["membership"] == []
    assert all(row["person_id"] is None for row in exported["contribution"] + exported["dream_image"])
    # People are still in the other groups: their names stay there.
    for tid in (recent, still_open):
        assert {p["first_name"] for p in db.run_sync(export_trajectory, tid)["person"]} == {
            "Anne",
            "Bart",
            "Chris",
            "Dirk",
        }
    # A year later, the recent one goes too; someone only in a purged group is forgotten.
    _close(db, still_open, NOW)
    assert db.run_sync(privacy.purge_expired, NOW + timedelta(days=400), 24, KEY) == []
    assert db.run_sync(privacy.purge_expired, NOW + timedelta(days=500), 24, KEY) == [recent]
    assert db.run_sync(privacy.purge_expired, NOW + timedelta(days=800), 24, KEY) == [still_open]
    assert (
        db.run_sync(lambda s: s.scalar(select(func.count()).select_from(Person).where(Person.forgotten_at.is_(None))))
        == 0
    )


def test_two_instances_purge_each_trajectory_once(postgres_url: str) -> None:
    """On PostgreSQL (SQLite has one writer at a time): two instances at once, each row once."""
    _empty_postgres(postgres_url)
    db = Database(postgres_url, pool_size=2)
    ids = [db.run_sync(seed, chat_id=-7100 - i) for i in range(4)]
    for tid in ids:
        _close(db, tid, NOW - timedelta(days=1000))
    results: list[list[int]] = []
    barrier = threading.Barrier(2)

    def instance() -> None:
        barrier.wait()
        results.append(db.run_sync(privacy.purge_expired, NOW, 24, KEY, limit=4))

    threads = [threading.Thread(target=instance) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.dispose()
    assert sorted(results[0] + results[1]) == sorted(ids)


def test_purge_handles_every_table_that_points_at_a_person() -> None:
    """A table added later with a link to person must be handled by the retention purge too."""
    linked = {table.name for table, _ in privacy.person_links()}
    assert linked == set(privacy.PURGED), sorted(linked ^ set(privacy.PURGED))
