"""The open dialogue: the group's reflective questions, dialogue runs and the answers to them.

A group's questions are copied from the method's (``method/data/questions.yaml``) in the group's
language the first time they are needed; from then on they are the group's own. Numbers are
the places in the list (1, 2, 3, ... without gaps). A question that was never changed is shown
in the group's current language, so switching languages with /taal carries them along.

Only one dialogue runs per group: starting, moving on and stopping lock the trajectory row
(PostgreSQL; SQLite has one writer anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from method.dialogue.commands import MAX_QUESTIONS
from method.themes.catalogues import load_questions
from storage.convert import person_record, trajectory_record
from storage.models import Contribution, Dialogue, Membership, Person, Question, Trajectory, utcnow
from storage.people import JOINED, LEFT, MODERATOR
from storage.records import (
    AnswerOutcome,
    DialogueDigest,
    DialogueRecord,
    DialogueStatus,
    DialogueStep,
    DigestAnswer,
    DigestSection,
    Participation,
    ParticipationRow,
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


def advance(session: Session, trajectory_id: int) -> DialogueStep:
    """/volgende: close the question on the table and put the next one there, or end."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    dialogue = _running(session, trajectory_id)
    if dialogue is None:
        return DialogueStep("not_running")
    rows = _live(session, trajectory)
    current = session.get(Question, dialogue.question_id) if dialogue.question_id is not None else None
    previous = None
    if current is not None and dialogue.mode == ANONYMOUS:
        previous = _sections(session, trajectory, dialogue, [current], anonymous_only=True)[0]
    after = current.position if current is not None else 0
    following = next((row for row in rows if row.position > after), None)
    if following is None:
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


def stop(session: Session, trajectory_id: int) -> DialogueStep:
    """/dialoog stop: end the running dialogue now."""
    trajectory = _trajectory(session, trajectory_id, lock=True)
    dialogue = _running(session, trajectory_id)
    if dialogue is None:
        return DialogueStep("not_running")
    rows = _live(session, trajectory)
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


def answered(session: Session, dialogue_id: int, question_id: int) -> int:
    """How many members answered a question in a dialogue (a count, never who): for the room's screen."""
    count = session.scalar(
        select(func.count(func.distinct(Contribution.person_id))).where(
            Contribution.dialogue_id == dialogue_id, Contribution.question_id == question_id
        )
    )
    return count or 0


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


# --- answers ------------------------------------------------------------------------------------


def add_group_answer(
    session: Session,
    trajectory_id: int,
    person_id: int,
    text: str | None,
    *,
    problem: str | None = None,
    reply_to_bot: int | None = None,
) -> AnswerOutcome:
    """A message in the group while a question may be on the table.

    ``reply_to_bot`` is the id of the bot message it replies to, if any: only a reply to the
    question counts then. Other messages count when the bot sees them at all (it is admin).
    ``problem`` (empty, long, not_text) refuses the answer when it would have counted.
    """
    dialogue = _running(session, trajectory_id)
    if dialogue is None or dialogue.question_id is None:
        return AnswerOutcome("not_open")
    is_reply = reply_to_bot is not None
    if is_reply and reply_to_bot != dialogue.question_message_id:
        return AnswerOutcome("not_open")
    question = session.get_one(Question, dialogue.question_id)
    if dialogue.mode == ANONYMOUS:
        return AnswerOutcome("anonymous_mode" if is_reply else "not_open", number=question.position)
    if problem is not None:
        if is_reply or problem == "long":
            return AnswerOutcome("invalid", number=question.position)
        return AnswerOutcome("not_open")
    assert text is not None
    session.add(
        Contribution(dialogue_id=dialogue.id, question_id=question.id, person_id=person_id, text=text, anonymous=False)
    )
    return AnswerOutcome("noted", number=question.position)


def add_private_answer(
    session: Session,
    person_id: int,
    current_trajectory_id: int | None,
    text: str | None,
    *,
    problem: str | None = None,
) -> AnswerOutcome:
    """A member's private message: an anonymous answer when one of their groups asks for it.

    The group their private answers go to (``current_trajectory_id``) comes first; when another
    single group asks, it goes there; when several do and none is current, the member chooses.
    """
    rows = session.execute(
        select(Trajectory, Dialogue)
        .join(Membership, Membership.trajectory_id == Trajectory.id)
        .join(Dialogue, Dialogue.trajectory_id == Trajectory.id)
        .where(
            Membership.person_id == person_id,
            Membership.status == JOINED,
            Trajectory.active.is_(True),
            Dialogue.ended_at.is_(None),
            Dialogue.question_id.is_not(None),
        )
        .order_by(Trajectory.id)
    ).all()
    anonymous = [(t, d) for t, d in rows if d.mode == ANONYMOUS]
    if not anonymous:
        if not rows:
            return AnswerOutcome("not_open")
        trajectory = next((t for t, _ in rows if t.id == current_trajectory_id), rows[0][0])
        return AnswerOutcome("open_mode", trajectory_record(trajectory))
    chosen = next(((t, d) for t, d in anonymous if t.id == current_trajectory_id), None)
    if chosen is None and len(anonymous) == 1:
        chosen = anonymous[0]
    if chosen is None:
        return AnswerOutcome("choose", choices=tuple(trajectory_record(t) for t, _ in anonymous))
    trajectory, dialogue = chosen
    question = session.get_one(Question, dialogue.question_id)
    if problem is not None:
        return AnswerOutcome("invalid", trajectory_record(trajectory), question.position)
    assert text is not None
    session.add(
        Contribution(dialogue_id=dialogue.id, question_id=question.id, person_id=person_id, text=text, anonymous=True)
    )
    return AnswerOutcome("noted", trajectory_record(trajectory), question.position)


# --- equal say ----------------------------------------------------------------------------------


def _participation(session: Session, trajectory: Trajectory, dialogue: Dialogue) -> Participation:
    count = func.count(Contribution.id)
    rows = session.execute(
        select(Person, Membership.role, Membership.status, count)
        .select_from(Membership)
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(
            Contribution,
            (Contribution.person_id == Person.id) & (Contribution.dialogue_id == dialogue.id),
        )
        .where(Membership.trajectory_id == trajectory.id, Membership.status != LEFT)
        .group_by(Person.id, Membership.id)
        .order_by(count, Person.first_name, Person.id)
    ).all()
    return Participation(
        trajectory=trajectory_record(trajectory),
        status=_status(session, trajectory, dialogue, _live(session, trajectory)),
        rows=tuple(ParticipationRow(person_record(p), role, state, n) for p, role, state, n in rows),
    )


def participation(session: Session, trajectory_id: int) -> Participation | None:
    """Contributions per member in the running dialogue (one grouped query), or None."""
    dialogue = _running(session, trajectory_id)
    if dialogue is None:
        return None
    return _participation(session, _trajectory(session, trajectory_id), dialogue)


def participation_for_moderator(
    session: Session, trajectory_id: int, dialogue_id: int, telegram_id: int
) -> tuple[str, Participation | None]:
    """The participation behind an invitation button, checked again: ("ok", ...),
    ("not_moderator", None) or ("stale", None) when that dialogue no longer runs."""
    is_moderator = session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.trajectory_id == trajectory_id,
            Person.telegram_id == telegram_id,
            Membership.role == MODERATOR,
            Membership.status != LEFT,
        )
    )
    if not is_moderator:
        return "not_moderator", None
    dialogue = _running(session, trajectory_id)
    if dialogue is None or dialogue.id != dialogue_id:
        return "stale", None
    return "ok", _participation(session, _trajectory(session, trajectory_id), dialogue)
