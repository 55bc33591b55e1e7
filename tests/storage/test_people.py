"""Groups, persons and memberships, on SQLite and PostgreSQL."""

from __future__ import annotations

from storage import people, prompts, trajectories
from storage.db import Database
from storage.records import TelegramUser

ANNE = TelegramUser(1001, "Anne", "Peeters", "annep")
BART = TelegramUser(1002, "Bart")
GROUP = -5001


def register(db: Database, chat_id: int = GROUP, by: TelegramUser = ANNE):
    return db.run_sync(
        trajectories.register_group, chat_id, "Kopgroep MVO", by, language="nl", timezone="Europe/Brussels"
    )


def test_register_makes_adder_moderator_with_unguessable_token(db: Database) -> None:
    trajectory, created = register(db)
    other, _ = register(db, chat_id=-5002)
    assert created
    assert len(trajectory.join_token) >= 22 and trajectory.join_token != other.join_token
    actor = db.run_sync(people.actor, GROUP, ANNE)
    assert actor.trajectory == trajectory
    assert actor.is_moderator and not actor.is_member  # moderator, but private chat not opened yet


def test_register_again_keeps_data_and_roles(db: Database) -> None:
    first, _ = register(db)
    db.run_sync(trajectories.set_organisation, first.id, "Gemeente Zottegem")
    db.run_sync(trajectories.deactivate_group, GROUP)
    again, created = register(db, by=BART)
    assert not created
    assert (again.id, again.organisation, again.join_token, again.active) == (first.id, "Gemeente Zottegem", first.join_token, True)
    assert not db.run_sync(people.actor, GROUP, BART).is_moderator  # Anne is still moderator


def test_join_by_token(db: Database) -> None:
    trajectory, _ = register(db)
    assert db.run_sync(people.join, "wrong-token", BART) is None
    assert db.run_sync(people.join, trajectory.join_token, BART) == (trajectory.id, True)
    assert db.run_sync(people.join, trajectory.join_token, BART) == (trajectory.id, False)
    actor = db.run_sync(people.actor, GROUP, BART)
    assert actor.is_member and not actor.is_moderator
    assert actor.person is not None and actor.person.reachable


def test_inactive_group_token_does_not_work(db: Database) -> None:
    trajectory, _ = register(db)
    db.run_sync(trajectories.deactivate_group, GROUP)
    assert db.run_sync(people.join, trajectory.join_token, BART) is None


def test_members_overview_and_leaving(db: Database) -> None:
    trajectory, _ = register(db)
    db.run_sync(people.join, trajectory.join_token, BART)
    db.run_sync(people.note_seen_in_group, GROUP, TelegramUser(1003, "Chris"))
    listed = {m.person.first_name: (m.role, m.status) for m in db.run_sync(people.members, trajectory.id)}
    assert listed == {"Anne": ("moderator", "seen"), "Bart": ("member", "joined"), "Chris": ("member", "seen")}
    db.run_sync(people.note_left_group, GROUP, 1002)
    assert "Bart" not in {m.person.first_name for m in db.run_sync(people.members, trajectory.id)}
    db.run_sync(people.note_seen_in_group, GROUP, BART)  # came back
    assert ("member", "joined") in {(m.role, m.status) for m in db.run_sync(people.members, trajectory.id)}


def test_names_are_refreshed(db: Database) -> None:
    trajectory, _ = register(db)
    db.run_sync(people.note_seen_in_group, GROUP, TelegramUser(1001, "Anneke", None, "anneke"))
    (anne,) = db.run_sync(people.members, trajectory.id)
    assert (anne.person.display_name, anne.person.username) == ("Anneke", "anneke")


def test_make_moderator(db: Database) -> None:
    trajectory, _ = register(db)
    assert db.run_sync(people.make_moderator, trajectory.id, BART)
    assert not db.run_sync(people.make_moderator, trajectory.id, BART)
    assert db.run_sync(people.moderator_ids, trajectory.id) == {1001, 1002}


def test_private_context_with_two_groups(db: Database) -> None:
    first, _ = register(db)
    second, _ = register(db, chat_id=-5002)
    db.run_sync(trajectories.set_organisation, second.id, "OCMW Zottegem")
    db.run_sync(people.join, first.join_token, BART)
    only = db.run_sync(people.private_context, BART)
    assert only.current == first and not only.needs_choice
    db.run_sync(people.join, second.join_token, BART)
    both = db.run_sync(people.private_context, BART)
    assert [t.id for t, _ in both.memberships] == [first.id, second.id]
    assert both.current is not None and both.current.id == second.id  # the last joined
    assert db.run_sync(people.choose_current, BART, first.id)
    assert db.run_sync(people.private_context, BART).current.id == first.id
    outsider = TelegramUser(1009, "Dirk")
    assert not db.run_sync(people.choose_current, outsider, first.id)


def test_prompts_replace_and_close(db: Database) -> None:
    trajectory, _ = register(db)
    db.run_sync(prompts.ask, trajectory.id, GROUP, "organisation", message_id=10)
    db.run_sync(prompts.ask, trajectory.id, GROUP, "organisation", message_id=11)
    found = db.run_sync(prompts.find, GROUP, "organisation")
    assert found is not None and found.message_id == 11
    db.run_sync(trajectories.set_organisation, trajectory.id, "Gemeente Zottegem", answered_prompt="organisation")
    assert db.run_sync(prompts.find, GROUP, "organisation") is None


async def test_async_run_uses_worker_thread(db: Database) -> None:
    import threading

    def which_thread(_session) -> str:  # type: ignore[no-untyped-def]
        return threading.current_thread().name

    assert (await db.run(which_thread)).startswith("db")
