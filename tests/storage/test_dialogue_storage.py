"""Questions, dialogue runs, answers, participation and group terms, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

from sqlalchemy import event

from method.dialogue import term_key
from method.themes.catalogues import load_questions
from storage import answers, dialogue, glossary, people, trajectories
from storage.db import Database
from storage.records import (
    Participation,
    ParticipationRow,
    PersonRecord,
    TelegramUser,
)

ANNE = TelegramUser(1001, "Anne", "Peeters")
BART = TelegramUser(1002, "Bart")
CHRIS = TelegramUser(1003, "Chris")

KEY = b"test-ballot-secret-0123456789abcdef0123456789"


def group(db: Database, chat_id: int = -5001, language: str = "nl"):
    trajectory, _ = db.run_sync(
        trajectories.register_group, chat_id, "Kopgroep", ANNE, language=language, timezone="Europe/Brussels"
    )
    for user in (ANNE, BART, CHRIS):
        db.run_sync(people.join, trajectory.join_token, user)
    return trajectory


def person_id(db: Database, user: TelegramUser) -> int:
    return db.run_sync(people.private_context, user).person.id


def test_questions_are_seeded_once_in_the_group_language(db: Database) -> None:
    dutch, english = group(db), group(db, -5002, "en")
    listed = db.run_sync(dialogue.questions, dutch.id).questions
    assert [q.text for q in listed] == [q["nl"] for q in load_questions()]
    assert [q.number for q in listed] == list(range(1, 9))
    assert db.run_sync(dialogue.questions, english.id).questions[0].text == load_questions()[0]["en"]
    assert db.run_sync(dialogue.questions, dutch.id).questions == listed  # not seeded twice
    # An unchanged question follows the group's language; a changed one stays as written.
    db.run_sync(dialogue.edit_question, dutch.id, 2, "Eigen vraag")
    db.run_sync(trajectories.set_language, dutch.id, "en")
    texts = [q.text for q in db.run_sync(dialogue.questions, dutch.id).questions]
    assert texts[0] == load_questions()[0]["en"] and texts[1] == "Eigen vraag"


def test_add_edit_remove_move_keep_numbers_without_gaps(db: Database) -> None:
    trajectory = group(db)
    added = db.run_sync(dialogue.add_question, trajectory.id, "Negen")
    assert added.number == 9 and added.questions[-1].text == "Negen"
    moved = db.run_sync(dialogue.move_question, trajectory.id, 9, 1)
    assert [q.text for q in moved.questions][:2] == ["Negen", load_questions()[0]["nl"]]
    assert [q.number for q in moved.questions] == list(range(1, 10))
    removed = db.run_sync(dialogue.remove_question, trajectory.id, 2)
    assert load_questions()[0]["nl"] not in [q.text for q in removed.questions]
    assert [q.number for q in removed.questions] == list(range(1, 9))
    assert db.run_sync(dialogue.edit_question, trajectory.id, 9, "x").problem == "unknown_number"
    assert db.run_sync(dialogue.move_question, trajectory.id, 1, 9).problem == "bad_position"
    assert db.run_sync(dialogue.remove_question, trajectory.id, 0).problem == "unknown_number"
    for _ in range(30 - 8):
        db.run_sync(dialogue.add_question, trajectory.id, "Meer")
    assert db.run_sync(dialogue.add_question, trajectory.id, "Te veel").problem == "too_many"


def test_one_dialogue_at_a_time_and_the_walk_to_the_end(db: Database) -> None:
    trajectory = group(db)
    for _ in range(6):
        db.run_sync(dialogue.remove_question, trajectory.id, 3)
    started = db.run_sync(dialogue.start, trajectory.id, "open")
    assert started.outcome == "started" and started.status.question.number == 1 and started.status.total == 2
    again = db.run_sync(dialogue.start, trajectory.id, "anonymous")
    assert again.outcome == "running" and again.status.dialogue.id == started.status.dialogue.id
    assert db.run_sync(dialogue.remove_question, trajectory.id, 1).problem == "running"
    assert db.run_sync(dialogue.move_question, trajectory.id, 2, 1).problem == "running"
    db.run_sync(dialogue.set_question_message, started.status.dialogue.id, 77)

    bart, chris = person_id(db, BART), person_id(db, CHRIS)
    assert db.run_sync(answers.add_group_answer, trajectory.id, bart, "Via reply", reply_to_bot=77).outcome == "noted"
    assert (
        db.run_sync(answers.add_group_answer, trajectory.id, chris, "Ander bericht", reply_to_bot=12).outcome
        == "not_open"
    )
    assert db.run_sync(answers.add_group_answer, trajectory.id, chris, "Gezien als admin").outcome == "noted"
    refused = db.run_sync(answers.add_group_answer, trajectory.id, chris, None, problem="long")
    assert refused.outcome == "invalid"
    assert db.run_sync(answers.add_group_answer, trajectory.id, chris, None, problem="not_text").outcome == "not_open"

    step = db.run_sync(dialogue.advance, trajectory.id, KEY)
    assert step.outcome == "next" and step.previous is None and step.status.question.number == 2
    assert step.status.dialogue.question_message_id is None
    # The old question message no longer takes answers.
    assert db.run_sync(answers.add_group_answer, trajectory.id, bart, "Te laat", reply_to_bot=77).outcome == "not_open"
    end = db.run_sync(dialogue.advance, trajectory.id, KEY)
    assert end.outcome == "ended" and end.digest is not None
    first, second = end.digest.sections
    assert [(a.author, a.text) for a in first.answers] == [("Bart", "Via reply"), ("Chris", "Gezien als admin")]
    assert second.answers == ()
    assert db.run_sync(dialogue.advance, trajectory.id, KEY).outcome == "not_running"
    assert db.run_sync(dialogue.stop, trajectory.id, KEY).outcome == "not_running"
    assert db.run_sync(dialogue.last_digest, trajectory.id) == end.digest
    assert db.run_sync(dialogue.start, trajectory.id, "open").outcome == "started"  # a new run may start


def test_anonymous_answers_have_no_author_and_no_order(db: Database) -> None:
    trajectory = group(db)
    step = db.run_sync(dialogue.start, trajectory.id, "anonymous")
    bart, chris = person_id(db, BART), person_id(db, CHRIS)
    assert db.run_sync(answers.add_private_answer, bart, trajectory.id, "Zeker B", key=KEY).outcome == "noted"
    assert db.run_sync(answers.add_private_answer, chris, None, "Absoluut A", key=KEY).outcome == "noted"
    assert db.run_sync(answers.add_private_answer, chris, None, None, problem="long", key=KEY).outcome == "invalid"
    reply = db.run_sync(answers.add_group_answer, trajectory.id, bart, "In de groep", reply_to_bot=None)
    assert reply.outcome == "not_open"
    db.run_sync(dialogue.set_question_message, step.status.dialogue.id, 5)
    assert db.run_sync(answers.add_group_answer, trajectory.id, bart, "x", reply_to_bot=5).outcome == "anonymous_mode"
    moved = db.run_sync(dialogue.advance, trajectory.id, KEY)
    assert moved.previous is not None
    assert [(a.author, a.text) for a in moved.previous.answers] == [(None, "Absoluut A"), (None, "Zeker B")]
    ended = db.run_sync(dialogue.stop, trajectory.id, KEY)
    assert ended.digest is not None and ended.digest.answers == 2 and len(ended.digest.sections) == 2


def test_private_answers_find_the_group_that_asks(db: Database) -> None:
    first, second = group(db), group(db, -5002)
    bart = person_id(db, BART)
    assert db.run_sync(answers.add_private_answer, bart, second.id, "x", key=KEY).outcome == "not_open"
    db.run_sync(dialogue.start, first.id, "open")
    outcome = db.run_sync(answers.add_private_answer, bart, second.id, "x", key=KEY)
    assert outcome.outcome == "open_mode" and outcome.trajectory.id == first.id
    db.run_sync(dialogue.stop, first.id, KEY)
    db.run_sync(dialogue.start, first.id, "anonymous")
    only = db.run_sync(answers.add_private_answer, bart, second.id, "Voor de eerste", key=KEY)
    assert only.outcome == "noted" and only.trajectory.id == first.id
    db.run_sync(dialogue.start, second.id, "anonymous")
    current = db.run_sync(answers.add_private_answer, bart, second.id, "Voor de tweede", key=KEY)
    assert current.trajectory.id == second.id
    choose = db.run_sync(answers.add_private_answer, bart, None, "Waarheen?", key=KEY)
    assert choose.outcome == "choose" and {t.id for t in choose.choices} == {first.id, second.id}
    assert db.run_sync(dialogue.stop, first.id, KEY).digest.answers == 1
    assert db.run_sync(dialogue.stop, second.id, KEY).digest.answers == 1


def test_participation_counts_in_one_query_and_checks_the_moderator(db: Database) -> None:
    trajectory = group(db)
    assert db.run_sync(answers.participation, trajectory.id) is None
    step = db.run_sync(dialogue.start, trajectory.id, "open")
    bart = person_id(db, BART)
    for text in ("een", "twee"):
        db.run_sync(answers.add_group_answer, trajectory.id, bart, text)
    for number in range(40):
        db.run_sync(people.join, trajectory.join_token, TelegramUser(5000 + number, f"Lid {number}"))

    statements: list[str] = []
    lock = threading.Lock()

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        with lock:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = db.run_sync(answers.participation, trajectory.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert found is not None
    counts = {row.person.first_name: row.count for row in found.rows}
    assert counts["Bart"] == 2 and counts["Chris"] == 0 and counts["Anne"] == 0 and len(counts) == 43
    assert len(statements) <= 6  # not one per member
    assert {row.person.first_name for row in found.quiet} == set(counts) - {"Anne", "Bart"}

    dialogue_id = step.status.dialogue.id
    assert (
        db.run_sync(answers.participation_for_moderator, trajectory.id, dialogue_id, BART.telegram_id)[0]
        == "not_moderator"
    )
    check, again = db.run_sync(answers.participation_for_moderator, trajectory.id, dialogue_id, ANNE.telegram_id)
    assert check == "ok" and again is not None and again.rows == found.rows
    assert (
        db.run_sync(answers.participation_for_moderator, trajectory.id, dialogue_id + 1, ANNE.telegram_id)[0]
        == "stale"
    )
    db.run_sync(dialogue.stop, trajectory.id, KEY)
    assert db.run_sync(answers.participation_for_moderator, trajectory.id, dialogue_id, ANNE.telegram_id)[0] == "stale"


def _row(name: str, count: int, role: str = "member") -> ParticipationRow:
    return ParticipationRow(
        PersonRecord(hash(name) % 1000, 1, name, None, None, None, True, None), role, "joined", count
    )


def test_quiet_members_are_the_fewest_unless_everyone_said_as_much() -> None:
    def quiet(*rows: ParticipationRow) -> list[str]:
        return [row.person.first_name for row in Participation(None, None, rows).quiet]  # type: ignore[arg-type]

    assert quiet(_row("A", 0, "moderator"), _row("B", 2), _row("C", 0), _row("D", 0)) == ["C", "D"]
    assert quiet(_row("B", 2), _row("C", 1), _row("D", 3)) == ["C"]
    assert quiet(_row("B", 2), _row("C", 2)) == []
    assert quiet(_row("B", 0), _row("C", 0)) == ["B", "C"]
    assert quiet(_row("A", 0, "moderator")) == []


def test_group_terms_set_change_remove_and_limit(db: Database) -> None:
    trajectory, other = group(db), group(db, -5002)
    key = term_key("duurzaam")
    assert key == term_key("Duurzaamheid") == "duurzaamheid"
    assert db.run_sync(glossary.set_term, trajectory.id, key, "duurzaam", "Eigen uitleg")[0] == "added"
    outcome, term = db.run_sync(glossary.set_term, trajectory.id, key, "Duurzaamheid", "Nieuwe uitleg")
    assert outcome == "changed" and term is not None and term.word == "Duurzaamheid"
    assert [t.explanation for t in db.run_sync(glossary.terms, trajectory.id)] == ["Nieuwe uitleg"]
    assert db.run_sync(glossary.terms, other.id) == []
    assert db.run_sync(glossary.remove_term, other.id, key) is None
    assert db.run_sync(glossary.remove_term, trajectory.id, key).word == "Duurzaamheid"
    assert db.run_sync(glossary.terms, trajectory.id) == []
    for number in range(100):
        db.run_sync(glossary.set_term, trajectory.id, f"woord{number}", f"Woord {number}", "x")
    assert db.run_sync(glossary.set_term, trajectory.id, "nogeen", "Nog een", "x") == ("too_many", None)
    assert db.run_sync(glossary.set_term, trajectory.id, "woord7", "Woord 7", "y")[0] == "changed"


async def test_concurrent_first_looks_and_starts_do_not_double(db: Database) -> None:
    import asyncio

    trajectory = group(db)
    looks = await asyncio.gather(*(db.run(dialogue.questions, trajectory.id) for _ in range(5)))
    assert all(len(look.questions) == 8 for look in looks)
    assert len(db.run_sync(dialogue.questions, trajectory.id).questions) == 8
    starts = await asyncio.gather(*(db.run(dialogue.start, trajectory.id, "open") for _ in range(5)))
    assert sorted(step.outcome for step in starts) == ["running"] * 4 + ["started"]
