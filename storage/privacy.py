"""A member's data (/mijngegevens), forgetting a member (/vergeetmij), and the retention purge.

Which rows are a person's is read from the schema: every column that points at ``person``. So a
table added later is covered without a change here: its rows show up in /mijngegevens, and
forgetting empties a link (the row stays, unlinked) or deletes a row that cannot exist without
the person, as each foreign key's ON DELETE says (SET NULL or CASCADE). Two kinds of rows stay,
pointing at the nameless tombstone: who was sent a ballot or the evaluation (``KEPT``), so the
counts of rounds and evaluations do not change.

The person row itself is never deleted but tombstoned: names blanked, ``telegram_id`` set to
``-id`` (Telegram user ids are positive, row ids unique: no clash), ``forgotten_at`` set. A
deleted row's id could be given again (SQLite reuses the highest), and a ballot pseudonym is an
HMAC of (round, person id): a newcomer must never inherit an old ballot. Their ballots are also
renamed to a random pseudonym, so not even the tombstone's id leads to them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Column, String, Table, case, delete, select, update
from sqlalchemy.orm import Session

from method.anonymity import pseudonym
from method.portability.archive import to_json_value
from method.portability.retention import months_before
from storage.models import (
    AnonymousAnswer,
    AnswerCount,
    Ballot,
    BallotDelivery,
    Base,
    Contribution,
    CouncilDecision,
    Dialogue,
    DraftScore,
    DreamDone,
    DreamImage,
    Evaluation,
    EvaluationDelivery,
    FollowupAsk,
    FollowupGoal,
    FollowupReport,
    Goal,
    Membership,
    OutboxMessage,
    Person,
    Prompt,
    Reminder,
    Score,
    Theme,
    Trajectory,
    Undelivered,
    VotingRound,
)
from storage.voting.casting import own_cells

# Rows that stay with the tombstone: they hold no words, only that a ballot or the evaluation
# went out and was answered, and the figures of rounds and evaluations count them.
KEPT = frozenset({"ballot_delivery", "evaluation_delivery"})
# Columns of the person row that are not about the person but the bot's state.
PERSON_HIDDEN = frozenset({"current_trajectory_id"})


def person_links() -> Iterator[tuple[Table, Column]]:
    """Every (table, column) that points at a person."""
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "person" for fk in column.foreign_keys):
                yield table, column


def _person(session: Session, telegram_id: int) -> Person | None:
    return session.scalar(select(Person).where(Person.telegram_id == telegram_id, Person.forgotten_at.is_(None)))


def _plain(row: object, columns: list[str]) -> dict[str, object]:
    return {name: to_json_value(getattr(row, name)) for name in columns}


# --- /mijngegevens -----------------------------------------------------------------------


def my_data(session: Session, telegram_id: int, key: bytes) -> dict[str, object] | None:
    """Everything the bot holds about the person, JSON-ready; None when it knows nobody by that id.

    Per table, the rows that point at them (all columns). Their ballots are found through the
    pseudonym (only the bot can compute it) and shown with their scores: to them alone, in private.
    """
    person = _person(session, telegram_id)
    if person is None:
        return None
    columns = [c.name for c in Person.__table__.columns if c.name not in PERSON_HIDDEN]
    data: dict[str, object] = {"person": _plain(person, columns)}
    for table, column in person_links():
        if table.name == "person":
            continue
        rows = session.execute(select(table).where(column == person.id).order_by(*table.primary_key.columns)).mappings()
        found = [{name: to_json_value(value) for name, value in row.items()} for row in rows]
        if found:
            key_name = table.name if column.name == "person_id" else f"{table.name}.{column.name}"
            data[key_name] = found
    data["ballot"] = _ballots(session, person.id, key)
    groups = session.execute(
        select(Trajectory.id, Trajectory.title, Trajectory.organisation)
        .join(Membership, Membership.trajectory_id == Trajectory.id)
        .where(Membership.person_id == person.id)
        .order_by(Trajectory.id)
    ).all()
    data["groups"] = [{"id": g.id, "title": g.title, "organisation": g.organisation} for g in groups]
    return data


def _ballots(session: Session, person_id: int, key: bytes) -> list[dict[str, object]]:
    found = []
    rounds = session.execute(
        select(
            VotingRound.id,
            VotingRound.trajectory_id,
            VotingRound.number,
            VotingRound.status,
            BallotDelivery.submitted,
            Person.telegram_id,
        )
        .join(BallotDelivery, BallotDelivery.round_id == VotingRound.id)
        .join(Person, Person.id == BallotDelivery.person_id)
        .where(BallotDelivery.person_id == person_id)
        .order_by(VotingRound.id)
    ).all()
    for round_id, trajectory_id, number, status, submitted, telegram_id in rounds:
        if status == "open":  # the member's sealed cells
            own, why = own_cells(session, round_id, person_id, telegram_id, key)
            names = {
                t: (p, n)
                for t, p, n in session.execute(
                    select(Theme.id, Theme.position, Theme.name).where(Theme.id.in_(list(own)))
                )
            }
            scores = [(names[t][1], own[t], why.get(t)) for t in sorted(own, key=lambda t: names[t][0])]
        else:
            ballot = session.scalar(
                select(Ballot).where(
                    Ballot.round_id == round_id, Ballot.pseudonym == pseudonym(key, round_id, person_id)
                )
            )
            if ballot is None:
                continue
            submitted = ballot.submitted
            scores = session.execute(
                select(Theme.name, Score.score, Score.reason)
                .join(Theme, Theme.id == Score.theme_id)
                .where(Score.ballot_id == ballot.id)
                .order_by(Theme.position)
            ).all()
        found.append(
            {
                "trajectory_id": trajectory_id,
                "round": number,
                "submitted": submitted,
                "scores": [{"theme": name, "score": score, "reason": reason} for name, score, reason in scores],
            }
        )
    return found


def summary(data: dict[str, object]) -> dict[str, int]:
    """How many rows per section, for the short message beside the file."""
    return {name: len(rows) for name, rows in data.items() if isinstance(rows, list) and rows}


# --- /vergeetmij -------------------------------------------------------------------------


@dataclass(frozen=True)
class ForgetCheck:
    """Whether /vergeetmij may go ahead: ``ok``, ``unknown``, ``sole_moderator`` or ``open_round``."""

    status: str
    groups: tuple[str, ...] = field(default=())


def forget_check(session: Session, telegram_id: int) -> ForgetCheck:
    """Refuse while they are the only moderator of an active group (someone must take over), or
    while a round they got a ballot for is open (they could come back and vote again)."""
    person = _person(session, telegram_id)
    if person is None:
        return ForgetCheck("unknown")
    moderated = session.execute(
        select(Trajectory.id, Trajectory.title)
        .join(Membership, Membership.trajectory_id == Trajectory.id)
        .where(
            Membership.person_id == person.id,
            Membership.role == "moderator",
            Membership.status != "left",
            Trajectory.active.is_(True),
            Trajectory.closed_at.is_(None),
        )
        .order_by(Trajectory.id)
    ).all()
    alone = []
    for trajectory_id, title in moderated:
        others = session.scalar(
            select(Membership.id)
            .where(
                Membership.trajectory_id == trajectory_id,
                Membership.role == "moderator",
                Membership.status != "left",
                Membership.person_id != person.id,
            )
            .limit(1)
        )
        if others is None:
            alone.append(title)
    if alone:
        return ForgetCheck("sole_moderator", tuple(alone))
    open_rounds = session.scalars(
        select(Trajectory.title)
        .join(VotingRound, VotingRound.trajectory_id == Trajectory.id)
        .join(BallotDelivery, BallotDelivery.round_id == VotingRound.id)
        .where(BallotDelivery.person_id == person.id, VotingRound.status == "open")
    ).all()
    if open_rounds:
        return ForgetCheck("open_round", tuple(open_rounds))
    return ForgetCheck("ok")


def forget(session: Session, telegram_id: int, key: bytes, now: datetime) -> ForgetCheck:
    """Remove the person's data and unlink their contributions; the figures stay as they are."""
    check = forget_check(session, telegram_id)
    if check.status != "ok":
        return check
    person = _person(session, telegram_id)
    assert person is not None
    _erase(session, person, key, now)
    return check


def _erase(session: Session, person: Person, key: bytes, now: datetime) -> None:
    # Ballots first: the pseudonym needs the id, and the deliveries say which rounds to look in.
    rounds = session.scalars(select(BallotDelivery.round_id).where(BallotDelivery.person_id == person.id)).all()
    for round_id in rounds:
        # One statement over all the round's ballots: every row gets this transaction's id and
        # keeps its place, so nothing tells which ballot was the forgotten member's.
        own = pseudonym(key, round_id, person.id)
        session.execute(
            update(Ballot)
            .where(Ballot.round_id == round_id)
            .values(
                pseudonym=case((Ballot.pseudonym == own, f"forgotten:{secrets.token_hex(16)}"), else_=Ballot.pseudonym)
            )
        )
    for table, column in person_links():
        if table.name == "person":
            continue
        if table.name in KEPT:
            session.execute(update(table).where(column == person.id).values(message_id=None))
        elif any(fk.ondelete == "SET NULL" for fk in column.foreign_keys):
            session.execute(update(table).where(column == person.id).values({column.name: None}))
        else:
            session.execute(delete(table).where(column == person.id))
    # Questions asked in their private chat carry their Telegram id as the chat.
    session.execute(delete(Prompt).where(Prompt.chat_id == person.telegram_id))
    session.execute(delete(OutboxMessage).where(OutboxMessage.chat_id == person.telegram_id))
    person.first_name, person.last_name, person.username, person.language = "", None, None, None
    person.reachable, person.current_trajectory_id = False, None
    person.telegram_id = -person.id
    person.forgotten_at = now
    session.flush()


# --- retention ---------------------------------------------------------------------------


def purge_expired(session: Session, now: datetime, months: int, key: bytes, *, limit: int = 20) -> list[int]:
    """Claim the trajectories closed more than ``months`` ago and not purged yet, and purge them.

    The claim is ``SELECT ... FOR UPDATE SKIP LOCKED`` plus ``purged_at``: an instance running
    at the same time skips these rows, one running later sees them done (SQLite has one writer).
    """
    cutoff = months_before(now, months)
    rows = session.scalars(
        select(Trajectory)
        .where(Trajectory.closed_at.is_not(None), Trajectory.closed_at < cutoff, Trajectory.purged_at.is_(None))
        .order_by(Trajectory.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for trajectory in rows:
        purge(session, trajectory, key, now)
    return [row.id for row in rows]


# Every table that points at a person, as ``purge`` below handles it; a test checks that a new
# one is added here (and to ``purge``), so a group's purge never leaves a name behind.
PURGED = frozenset(
    {
        "membership",
        "prompt",
        "contribution",
        "anonymous_answer",
        "answer_count",
        "dream_image",
        "dream_done",
        "reminder",
        "goal",
        "council_decision",
        "ballot_delivery",
        "draft_score",
        "evaluation_delivery",
        "undelivered",
        "followup_goal",
        "followup_ask",
        "followup_report",
        "outbox",
    }
)


def purge(session: Session, trajectory: Trajectory, key: bytes, now: datetime) -> None:
    """The trajectory's personal data goes; its content and figures stay, unlinked."""
    tid = trajectory.id
    rounds = select(VotingRound.id).where(VotingRound.trajectory_id == tid).scalar_subquery()
    session.execute(
        update(Ballot).where(Ballot.round_id.in_(rounds)).values(pseudonym="purged:" + Ballot.id.cast(String))
    )
    dialogues = select(Dialogue.id).where(Dialogue.trajectory_id == tid).scalar_subquery()
    session.execute(update(Contribution).where(Contribution.dialogue_id.in_(dialogues)).values(person_id=None))
    session.execute(delete(AnonymousAnswer).where(AnonymousAnswer.dialogue_id.in_(dialogues)))
    session.execute(delete(AnswerCount).where(AnswerCount.dialogue_id.in_(dialogues)))
    session.execute(update(DreamImage).where(DreamImage.trajectory_id == tid).values(person_id=None))
    session.execute(update(Goal).where(Goal.trajectory_id == tid).values(author_id=None))
    session.execute(update(CouncilDecision).where(CouncilDecision.trajectory_id == tid).values(recorded_by_id=None))
    themes = select(Theme.id).where(Theme.trajectory_id == tid).scalar_subquery()
    session.execute(delete(DreamDone).where(DreamDone.theme_id.in_(themes)))
    session.execute(delete(Reminder).where(Reminder.trajectory_id == tid))
    session.execute(delete(FollowupAsk).where(FollowupAsk.trajectory_id == tid))
    session.execute(update(FollowupGoal).where(FollowupGoal.trajectory_id == tid).values(person_id=None))
    goals = select(Goal.id).where(Goal.trajectory_id == tid).scalar_subquery()
    session.execute(update(FollowupReport).where(FollowupReport.goal_id.in_(goals)).values(person_id=None))
    session.execute(delete(Undelivered).where(Undelivered.trajectory_id == tid))
    session.execute(delete(OutboxMessage).where(OutboxMessage.trajectory_id == tid))
    session.execute(delete(Prompt).where(Prompt.trajectory_id == tid))
    session.execute(delete(DraftScore).where(DraftScore.round_id.in_(rounds)))
    session.execute(delete(BallotDelivery).where(BallotDelivery.round_id.in_(rounds)))
    evaluations = select(Evaluation.id).where(Evaluation.trajectory_id == tid).scalar_subquery()
    session.execute(delete(EvaluationDelivery).where(EvaluationDelivery.evaluation_id.in_(evaluations)))
    members = session.scalars(select(Membership.person_id).where(Membership.trajectory_id == tid)).all()
    session.execute(delete(Membership).where(Membership.trajectory_id == tid))
    session.execute(update(Person).where(Person.current_trajectory_id == tid).values(current_trajectory_id=None))
    # People who were in no other group: nothing of theirs is left but the name, so it goes too.
    for person_id in members:
        elsewhere = session.scalar(select(Membership.id).where(Membership.person_id == person_id).limit(1))
        person = session.get(Person, person_id)
        if elsewhere is None and person is not None and person.forgotten_at is None:
            _erase(session, person, key, now)
    trajectory.purged_at = now
    session.flush()
