"""The open dialogue: the group's reflective questions, dialogue runs and the answers to them.

A group's questions are copied from the method's (``method/data/questions.yaml``) in the group's
language the first time they are needed; from then on they are the group's own. Numbers are
the places in the list (1, 2, 3, ... without gaps). A question that was never changed is shown
in the group's current language, so switching languages with /taal carries them along.

Only one dialogue runs per group: starting, moving on and stopping lock the trajectory row
(PostgreSQL; SQLite has one writer anyway).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from method.anonymity import open_text
from method.dialogue.commands import MAX_QUESTIONS
from method.themes.catalogues import load_questions
from storage.convert import person_record
from storage.models import (
    AnonymousAnswer,
    Contribution,
    Dialogue,
    Person,
    Question,
    Trajectory,
    utcnow,
)
from storage.records import (
    DialogueDigest,
    DialogueRecord,
    DialogueStatus,
    DialogueStep,
    DigestAnswer,
    DigestSection,
    QuestionList,
    QuestionRecord,
)

OPEN, ANONYMOUS = "open", "anonymous"
MODES = (OPEN, ANONYMOUS)


# --- questions --------------------------------------------------------------------------------


@cache
def _shipped() -> dict[str, int]:
    """Each shipped question's text, in every language, to its index."""
    return {text: index for index, question in enumerate(load_questions()) for text in question.values()}


def shown_text(text: str, lang: str) -> str:
    """A shipped question in ``lang``; any other text as the moderator wrote it."""
    index = _shipped().get(text)
    if index is None:
        return text
    return load_questions()[index].get(lang, text)


def _trajectory(session: Session, trajectory_id: int, *, lock: bool = False) -> Trajectory:
    trajectory = session.get(Trajectory, trajectory_id, with_for_update=lock or None)
    if trajectory is None:
        raise LookupError(f"no trajectory {trajectory_id}")
    return trajectory


def _listed(session: Session, trajectory_id: int) -> list[Question]:
    return list(
        session.scalars(
            select(Question)
            .where(Question.trajectory_id == trajectory_id, Question.removed.is_(False))
            .order_by(Question.position, Question.id)
        )
    )


def _live(session: Session, trajectory: Trajectory) -> list[Question]:
    """The group's questions in order, seeded from the method the first time."""
    rows = _listed(session, trajectory.id)
    if rows:
        return rows
    # Two first looks at once (PostgreSQL) must not seed twice: hold the group's row, look again.
    session.execute(select(Trajectory.id).where(Trajectory.id == trajectory.id).with_for_update())
    rows = _listed(session, trajectory.id)
    if rows:
        return rows
    seeded = session.scalar(select(func.count()).select_from(Question).where(Question.trajectory_id == trajectory.id))
    if seeded:
        return []  # the moderator removed them all
    lang = trajectory.language
    for position, question in enumerate(load_questions(), start=1):
        row = Question(trajectory_id=trajectory.id, position=position, text=question.get(lang) or question["nl"])
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def _renumber(rows: Sequence[Question]) -> None:
    for position, row in enumerate(rows, start=1):
        row.position = position


def _record(row: Question, lang: str) -> QuestionRecord:
    return QuestionRecord(id=row.id, number=row.position, text=shown_text(row.text, lang))


def _running(session: Session, trajectory_id: int) -> Dialogue | None:
    return session.scalar(
        select(Dialogue)
        .where(Dialogue.trajectory_id == trajectory_id, Dialogue.ended_at.is_(None))
        .order_by(Dialogue.id.desc())
        .limit(1)
    )


def _list(
    trajectory: Trajectory,
    rows: Sequence[Question],
    running: Dialogue | None,
    *,
    problem: str | None = None,
    number: int | None = None,
) -> QuestionList:
    lang = trajectory.language
    return QuestionList(
        questions=tuple(_record(row, lang) for row in rows),
        current_id=running.question_id if running is not None else None,
        problem=problem,
        number=number,
    )


def questions(session: Session, trajectory_id: int) -> QuestionList:
    """The group's questions (seeded the first time) and the one on the table, if any."""
    trajectory = _trajectory(session, trajectory_id)
    return _list(trajectory, _live(session, trajectory), _running(session, trajectory_id))


def add_question(session: Session, trajectory_id: int, text: str) -> QuestionList:
    """Add a question at the end of the list (also while a dialogue runs: it comes later)."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    rows = _live(session, trajectory)
    running = _running(session, trajectory_id)
    if len(rows) >= MAX_QUESTIONS:
        return _list(trajectory, rows, running, problem="too_many")
    row = Question(trajectory_id=trajectory_id, position=len(rows) + 1, text=text)
    session.add(row)
    session.flush()
    rows.append(row)
    return _list(trajectory, rows, running, number=row.position)


def edit_question(session: Session, trajectory_id: int, number: int, text: str) -> QuestionList:
    """Change the text of question ``number``."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    rows = _live(session, trajectory)
    running = _running(session, trajectory_id)
    if not 1 <= number <= len(rows):
        return _list(trajectory, rows, running, problem="unknown_number", number=number)
    rows[number - 1].text = text
    return _list(trajectory, rows, running, number=number)


def remove_question(session: Session, trajectory_id: int, number: int) -> QuestionList:
    """Take question ``number`` off the list (its answers stay); not while a dialogue runs."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    rows = _live(session, trajectory)
    running = _running(session, trajectory_id)
    if not 1 <= number <= len(rows):
        return _list(trajectory, rows, running, problem="unknown_number", number=number)
    if running is not None:
        return _list(trajectory, rows, running, problem="running", number=number)
    removed = rows.pop(number - 1)
    removed.removed = True
    _renumber(rows)
    return _list(trajectory, rows, running, number=number)


def move_question(session: Session, trajectory_id: int, number: int, position: int) -> QuestionList:
    """Put question ``number`` at ``position``; the others shift. Not while a dialogue runs."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    rows = _live(session, trajectory)
    running = _running(session, trajectory_id)
    if not 1 <= number <= len(rows):
        return _list(trajectory, rows, running, problem="unknown_number", number=number)
    if not 1 <= position <= len(rows):
        return _list(trajectory, rows, running, problem="bad_position", number=position)
    if running is not None:
        return _list(trajectory, rows, running, problem="running", number=number)
    rows.insert(position - 1, rows.pop(number - 1))
    _renumber(rows)
    return _list(trajectory, rows, running, number=position)


# --- dialogue runs --------------------------------------------------------------------------


def _dialogue_record(row: Dialogue) -> DialogueRecord:
    return DialogueRecord(
        id=row.id,
        trajectory_id=row.trajectory_id,
        mode=row.mode,
        question_id=row.question_id,
        question_message_id=row.question_message_id,
        started_at=row.started_at,
        ended_at=row.ended_at,
    )


def _status(session: Session, trajectory: Trajectory, dialogue: Dialogue, rows: Sequence[Question]) -> DialogueStatus:
    question = session.get(Question, dialogue.question_id) if dialogue.question_id is not None else None
    return DialogueStatus(
        dialogue=_dialogue_record(dialogue),
        question=_record(question, trajectory.language) if question is not None else None,
        total=len(rows),
    )


def status(session: Session, trajectory_id: int) -> DialogueStatus | None:
    """The running dialogue of the group and its question, or None."""
    dialogue = _running(session, trajectory_id)
    if dialogue is None:
        return None
    trajectory = _trajectory(session, trajectory_id)
    return _status(session, trajectory, dialogue, _live(session, trajectory))


def start(session: Session, trajectory_id: int, mode: str) -> DialogueStep:
    """Start a dialogue with the first question, unless one runs or there are no questions."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    trajectory = _trajectory(session, trajectory_id, lock=True)
    rows = _live(session, trajectory)
    running = _running(session, trajectory_id)
    if running is not None:
        return DialogueStep("running", _status(session, trajectory, running, rows))
    if not rows:
        return DialogueStep("no_questions")
    dialogue = Dialogue(trajectory_id=trajectory_id, mode=mode, question_id=rows[0].id, started_at=utcnow())
    session.add(dialogue)
    session.flush()
    return DialogueStep("started", _status(session, trajectory, dialogue, rows))


def set_question_message(session: Session, dialogue_id: int, message_id: int) -> None:
    """Remember the message that put the question on the table: replies to it are answers."""
    dialogue = session.get(Dialogue, dialogue_id)
    if dialogue is not None and dialogue.ended_at is None:
        dialogue.question_message_id = message_id


def advance(session: Session, trajectory_id: int, key: bytes) -> DialogueStep:
    """/volgende: close the question on the table and put the next one there, or end."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    dialogue = _running(session, trajectory_id)
    if dialogue is None:
        return DialogueStep("not_running")
    rows = _live(session, trajectory)
    current = session.get(Question, dialogue.question_id) if dialogue.question_id is not None else None
    previous = None
    if current is not None and dialogue.mode == ANONYMOUS:
        publish_answers(session, dialogue, key, [current.id])
        previous = _sections(session, trajectory, dialogue, [current], anonymous_only=True)[0]
    after = current.position if current is not None else 0
    following = next((row for row in rows if row.position > after), None)
    if following is None:
        publish_answers(session, dialogue, key)
        dialogue.ended_at = utcnow()
        return DialogueStep(
            "ended",
            _status(session, trajectory, dialogue, rows),
            previous,
            _digest(session, trajectory, dialogue, rows),
        )
    dialogue.question_id = following.id
    dialogue.question_message_id = None
    return DialogueStep("next", _status(session, trajectory, dialogue, rows), previous)


def stop(session: Session, trajectory_id: int, key: bytes) -> DialogueStep:
    """/dialoog stop: end the running dialogue now."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    dialogue = _running(session, trajectory_id)
    if dialogue is None:
        return DialogueStep("not_running")
    rows = _live(session, trajectory)
    publish_answers(session, dialogue, key)
    dialogue.ended_at = utcnow()
    return DialogueStep(
        "ended", _status(session, trajectory, dialogue, rows), None, _digest(session, trajectory, dialogue, rows)
    )


# --- digests ------------------------------------------------------------------------------------


def _sections(
    session: Session,
    trajectory: Trajectory,
    dialogue: Dialogue,
    asked: Sequence[Question],
    *,
    anonymous_only: bool = False,
) -> list[DigestSection]:
    """One section per question in ``asked`` plus any other question answered in this dialogue.

    Named answers in the order they came; anonymous ones sorted by their text, so the order
    says nothing about who answered when.
    """
    query = (
        select(Contribution, Person)
        .outerjoin(Person, Person.id == Contribution.person_id)
        .where(Contribution.dialogue_id == dialogue.id)
        .order_by(Contribution.id)
    )
    if anonymous_only:
        query = query.where(Contribution.anonymous.is_(True), Contribution.question_id.in_([q.id for q in asked]))
    found: dict[int, list[DigestAnswer]] = {}
    for contribution, person in session.execute(query):
        author = None if contribution.anonymous or person is None else person_record(person).display_name
        found.setdefault(contribution.question_id, []).append(DigestAnswer(author, contribution.text))
    questions_by_id = {q.id: q for q in asked}
    missing = [qid for qid in found if qid not in questions_by_id]
    if missing:
        questions_by_id.update({q.id: q for q in session.scalars(select(Question).where(Question.id.in_(missing)))})
    ordered = sorted(questions_by_id.values(), key=lambda q: (q.removed, q.position, q.id))
    sections = []
    for question in ordered:
        answers = found.get(question.id, [])
        named = [a for a in answers if a.author is not None]
        unnamed = sorted((a for a in answers if a.author is None), key=lambda a: (a.text.casefold(), a.text))
        sections.append(
            DigestSection(question.position, shown_text(question.text, trajectory.language), tuple(named + unnamed))
        )
    return sections


def _digest(session: Session, trajectory: Trajectory, dialogue: Dialogue, rows: Sequence[Question]) -> DialogueDigest:
    current = session.get(Question, dialogue.question_id) if dialogue.question_id is not None else None
    reached = current.position if current is not None and not current.removed else 0
    asked = [row for row in rows if row.position <= reached]
    return DialogueDigest(_dialogue_record(dialogue), tuple(_sections(session, trajectory, dialogue, asked)))


def digest(session: Session, dialogue_id: int) -> DialogueDigest | None:
    """The digest of one dialogue (for the report): the questions put on the table, with answers."""
    dialogue = session.get(Dialogue, dialogue_id)
    if dialogue is None:
        return None
    trajectory = _trajectory(session, dialogue.trajectory_id)
    return _digest(session, trajectory, dialogue, _live(session, trajectory))


def last_digest(session: Session, trajectory_id: int) -> DialogueDigest | None:
    """The digest of the group's most recently ended dialogue."""
    dialogue_id = session.scalar(
        select(Dialogue.id)
        .where(Dialogue.trajectory_id == trajectory_id, Dialogue.ended_at.is_not(None))
        .order_by(Dialogue.ended_at.desc(), Dialogue.id.desc())
        .limit(1)
    )
    return digest(session, dialogue_id) if dialogue_id is not None else None


def shared_answers(session: Session, trajectory_id: int) -> DigestSection | None:
    """What /volgende shared last in the running anonymous dialogue: the anonymous answers to the
    question before the one on the table (None when nothing was shared yet)."""
    dialogue = _running(session, trajectory_id)
    if dialogue is None or dialogue.mode != ANONYMOUS or dialogue.question_id is None:
        return None
    trajectory = _trajectory(session, trajectory_id)
    current = session.get(Question, dialogue.question_id)
    earlier = [row for row in _live(session, trajectory) if current is not None and row.position < current.position]
    if not earlier:
        return None
    return _sections(session, trajectory, dialogue, [earlier[-1]], anonymous_only=True)[0]


def _answer_context(answer_id: int, person_id: int) -> str:
    return f"answer:{answer_id}:{person_id}"


def publish_answers(session: Session, dialogue: Dialogue, key: bytes, question_ids: Sequence[int] | None = None) -> int:
    """The sealed anonymous answers to these questions (all when None) as contributions without an
    author: all at once, in a random order, with the dialogue's start as their time; the sealed
    rows go. How many."""
    query = select(AnonymousAnswer).where(AnonymousAnswer.dialogue_id == dialogue.id)
    if question_ids is not None:
        query = query.where(AnonymousAnswer.question_id.in_(list(question_ids)))
    pending = list(session.scalars(query))
    answers = [(row.question_id, open_text(key, _answer_context(row.id, row.person_id), row.sealed)) for row in pending]
    random.SystemRandom().shuffle(answers)
    for question_id, text in answers:
        session.add(
            Contribution(
                dialogue_id=dialogue.id,
                question_id=question_id,
                person_id=None,
                text=text,
                anonymous=True,
                created_at=dialogue.started_at,
            )
        )
    if pending:
        session.execute(delete(AnonymousAnswer).where(AnonymousAnswer.id.in_([row.id for row in pending])))
        session.flush()
    return len(pending)
