"""Dialogue answers (in the group, and anonymous ones in private) and who took part (/deelname).

An anonymous answer is person-side until /volgende: sealed in its author's own row
(``anonymous_answer``) and counted in ``answer_count``, a table without text; /volgende writes the
question's answers as contributions without an author (storage/dialogue.py ``publish_answers``).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from method.anonymity import seal_text
from storage.convert import person_record, trajectory_record
from storage.dialogue import ANONYMOUS, _answer_context, _live, _running, _status, _trajectory
from storage.models import (
    AnonymousAnswer,
    AnswerCount,
    Contribution,
    Dialogue,
    Membership,
    Person,
    Question,
    Trajectory,
    random_id,
)
from storage.people import JOINED, LEFT, MODERATOR
from storage.records import (
    AnswerOutcome,
    Participation,
    ParticipationRow,
)


def answered(session: Session, dialogue_id: int, question_id: int) -> int:
    """How many members answered a question in a dialogue (a count, never who): for the room's screen."""
    named = session.scalar(
        select(func.count(func.distinct(Contribution.person_id))).where(
            Contribution.dialogue_id == dialogue_id, Contribution.question_id == question_id
        )
    )
    waiting = session.scalar(
        select(func.count(func.distinct(AnonymousAnswer.person_id))).where(
            AnonymousAnswer.dialogue_id == dialogue_id, AnonymousAnswer.question_id == question_id
        )
    )
    return (named or 0) + (waiting or 0)


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
    key: bytes,
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
    # Person-side only until /volgende: the answer sealed in the author's own row, and their count.
    pending = AnonymousAnswer(dialogue_id=dialogue.id, question_id=question.id, person_id=person_id, sealed="")
    pending.id = random_id()
    pending.sealed = seal_text(key, _answer_context(pending.id, person_id), text)
    session.add(pending)
    counted = session.get(AnswerCount, (dialogue.id, person_id))
    if counted is None:
        session.add(AnswerCount(dialogue_id=dialogue.id, person_id=person_id, answers=1))
    else:
        counted.answers += 1
    return AnswerOutcome("noted", trajectory_record(trajectory), question.position)


# --- equal say ----------------------------------------------------------------------------------


def _participation(session: Session, trajectory: Trajectory, dialogue: Dialogue) -> Participation:
    """Per member, over the whole dialogue: answers in the group plus anonymous answers counted
    (``answer_count``, a table without text), never per question."""
    named = (
        select(func.count(Contribution.id))
        .where(Contribution.person_id == Person.id, Contribution.dialogue_id == dialogue.id)
        .scalar_subquery()
    )
    anonymous = (
        select(func.coalesce(func.sum(AnswerCount.answers), 0))
        .where(AnswerCount.person_id == Person.id, AnswerCount.dialogue_id == dialogue.id)
        .scalar_subquery()
    )
    count = (named + anonymous).label("count")
    rows = session.execute(
        select(Person, Membership.role, Membership.status, count)
        .select_from(Membership)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.trajectory_id == trajectory.id, Membership.status != LEFT)
        .order_by(count, Person.first_name, Person.id)
    ).all()
    return Participation(
        trajectory=trajectory_record(trajectory),
        status=_status(session, trajectory, dialogue, _live(session, trajectory)),
        rows=tuple(ParticipationRow(person_record(p), role, state, n) for p, role, state, n in rows),
    )


def participation(session: Session, trajectory_id: int) -> Participation | None:
    """Contributions per member in the running dialogue, or else the last one that ended (one
    query); None before any dialogue."""
    dialogue = _running(session, trajectory_id) or session.scalar(
        select(Dialogue).where(Dialogue.trajectory_id == trajectory_id).order_by(Dialogue.id.desc()).limit(1)
    )
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
