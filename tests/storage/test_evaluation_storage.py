"""The evaluation's storage on SQLite and PostgreSQL: the contract the report relies on
(``evaluation_digest``), one answer per question per member, and no way back from an answer to a person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from storage import evaluation, people, trajectories
from storage.db import Database
from storage.models import EvaluationAnswer, EvaluationDelivery
from storage.records import TelegramUser

ANNE = TelegramUser(1001, "Anne", "Peeters")
BART = TelegramUser(1002, "Bart")
CHRIS = TelegramUser(1003, "Chris")
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def group(db: Database):  # type: ignore[no-untyped-def]
    trajectory, _ = db.run_sync(
        trajectories.register_group, -5001, "Kopgroep", ANNE, language="nl", timezone="Europe/Brussels"
    )
    for user in (ANNE, BART, CHRIS):
        db.run_sync(people.join, trajectory.join_token, user)
    return trajectory


def test_answers_handled_once_in_order_and_digest_without_people(db: Database) -> None:
    trajectory = group(db)
    assert db.run_sync(evaluation.evaluation_digest, trajectory.id) is None
    found, created = db.run_sync(evaluation.start, trajectory.id, START)
    assert created and not db.run_sync(evaluation.start, trajectory.id, START + timedelta(hours=1))[1]
    assert [r.name for r in db.run_sync(evaluation.recipients, trajectory.id)] == ["Anne Peeters", "Bart", "Chris"]

    step = db.run_sync(evaluation.handle, found.id, BART.telegram_id, "continuity", "Ja, via de werkgroep")
    assert step.status == "ok" and step.next_question == "view"
    # Not the next question, the same one again, a stranger, an unknown question: nothing stored.
    assert db.run_sync(evaluation.handle, found.id, BART.telegram_id, "maturity", "te vroeg").status == "already"
    assert db.run_sync(evaluation.handle, found.id, BART.telegram_id, "continuity", "nog eens").status == "already"
    assert db.run_sync(evaluation.handle, found.id, 999, "continuity", "x").status == "not_member"
    assert db.run_sync(evaluation.handle, found.id + 1, BART.telegram_id, "view", "x").status == "not_member"
    assert db.run_sync(evaluation.handle, found.id, BART.telegram_id, "bogus", "x").status == "already"
    assert db.run_sync(evaluation.handle, found.id, BART.telegram_id, "view", None).next_question == "maturity"
    assert db.run_sync(evaluation.handle, found.id, BART.telegram_id, "maturity", "Gegroeid").done
    for key, text in (("continuity", "In het meerjarenplan"), ("view", "Ruimer dan milieu")):
        db.run_sync(evaluation.handle, found.id, CHRIS.telegram_id, key, text)

    progress = db.run_sync(evaluation.progress, trajectory.id)
    assert (progress.members, progress.done, progress.started) == (3, 1, 1)
    assert progress.answers == {"continuity": 2, "view": 1, "maturity": 1}

    assert db.run_sync(evaluation.close, trajectory.id, START + timedelta(days=7))[1] is True
    assert db.run_sync(evaluation.close, trajectory.id, START + timedelta(days=8))[1] is False
    assert db.run_sync(evaluation.handle, found.id, CHRIS.telegram_id, "maturity", "te laat").status == "closed"

    digest = db.run_sync(evaluation.evaluation_digest, trajectory.id)
    assert digest is not None and digest.evaluation.closed_at == START + timedelta(days=7)
    assert (digest.members, digest.done, digest.answer_count) == (3, 1, 4)
    assert [(q.key, sorted(q.answers), q.weak) for q in digest.questions] == [
        ("continuity", ["In het meerjarenplan", "Ja, via de werkgroep"], True),
        ("view", ["Ruimer dan milieu"], True),
        ("maturity", ["Gegroeid"], True),
    ]
    assert db.run_sync(evaluation.evaluation_digest, trajectory.id) == digest  # the same order every time

    def stored(session):  # type: ignore[no-untyped-def]
        columns = {c["name"] for c in inspect(session.connection()).get_columns("evaluation_answer")}
        times = set(session.scalars(select(EvaluationAnswer.created_at)))
        progress = sorted(session.execute(select(EvaluationDelivery.answered, EvaluationDelivery.done)).all())
        return columns, times, progress

    columns, times, progress_rows = db.run_sync(stored)
    assert columns == {"id", "evaluation_id", "question", "text", "created_at"}  # no person
    assert times == {START}  # the evaluation's start, not when each answer came
    assert progress_rows == [("", False), ("continuity,view", False), ("continuity,view,maturity", True)]


def test_closing_the_trajectory_once_closes_the_evaluation_too(db: Database) -> None:
    trajectory = group(db)
    db.run_sync(evaluation.start, trajectory.id, START)
    when = START + timedelta(days=3)
    assert db.run_sync(evaluation.close_trajectory, trajectory.id, when) == ("ok", when, True)
    assert db.run_sync(evaluation.close_trajectory, trajectory.id, when + timedelta(days=1)) == ("already", when, False)
    assert db.run_sync(evaluation.trajectory_closed_at, trajectory.id) == when
    assert db.run_sync(evaluation.evaluation, trajectory.id).closed_at == when
    assert db.run_sync(evaluation.member_step, trajectory.id, BART.telegram_id).status == "closed"
    assert db.run_sync(evaluation.open_for, BART.telegram_id) == []
    assert db.run_sync(evaluation.moderated_closed, ANNE.telegram_id) == [trajectory.id]
    assert db.run_sync(evaluation.moderated_closed, BART.telegram_id) == []
