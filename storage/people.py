"""Persons and their memberships of steering groups."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from storage.convert import member_record, person_record, trajectory_record
from storage.models import Membership, Person, Trajectory, utcnow
from storage.records import (
    Actor,
    MemberRecord,
    PersonRecord,
    PrivateContext,
    TelegramUser,
)

MODERATOR = "moderator"
MEMBER = "member"
SEEN, JOINED, LEFT = "seen", "joined", "left"


def upsert_person(session: Session, user: TelegramUser) -> Person:
    """The person row for ``user``, created or refreshed with the latest names."""
    person = session.scalar(select(Person).where(Person.telegram_id == user.telegram_id))
    if person is None:
        person = Person(
            telegram_id=user.telegram_id,
            first_name=user.first_name,
            last_name=user.last_name,
            username=user.username,
            reachable=False,
        )
        session.add(person)
        session.flush()
    return _with_names_of(person, user)


def _with_names_of(person: Person, user: TelegramUser) -> Person:
    if (person.first_name, person.last_name, person.username) != (user.first_name, user.last_name, user.username):
        person.first_name, person.last_name, person.username = user.first_name, user.last_name, user.username
    return person


def _membership(session: Session, trajectory_id: int, person_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.trajectory_id == trajectory_id, Membership.person_id == person_id)
    )


def joined_person(session: Session, trajectory_id: int, telegram_id: int) -> Person | None:
    """The person when they are a joined member of the trajectory."""
    return session.scalar(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Person.telegram_id == telegram_id, Membership.trajectory_id == trajectory_id, Membership.status == JOINED
        )
    )


def ensure_membership(session: Session, trajectory_id: int, person: Person, *, role: str = MEMBER) -> Membership:
    """The membership of ``person`` in the trajectory, created as 'seen' when new."""
    membership = _membership(session, trajectory_id, person.id)
    if membership is None:
        membership = Membership(trajectory_id=trajectory_id, person_id=person.id, role=role, status=SEEN)
        session.add(membership)
        session.flush()
    return membership


def note_seen_in_group(session: Session, chat_id: int, user: TelegramUser) -> None:
    """Remember that ``user`` is in the group, so /leden can count who has not joined yet."""
    trajectory_id = session.scalar(
        select(Trajectory.id).where(Trajectory.chat_id == chat_id).order_by(Trajectory.generation.desc()).limit(1)
    )
    if trajectory_id is None:
        return
    person = upsert_person(session, user)
    membership = ensure_membership(session, trajectory_id, person)
    if membership.status == LEFT:
        membership.status = JOINED if membership.joined_at else SEEN


def note_left_group(session: Session, chat_id: int, telegram_id: int) -> None:
    """A person left the Telegram group: they stay in the records but count as gone (and lose any
    moderator role; storage/membership.py says what else it changes)."""
    from storage.membership import leave_chat

    leave_chat(session, chat_id, telegram_id)


def join(session: Session, token: str, user: TelegramUser) -> tuple[int, bool] | None:
    """Register ``user`` as member of the trajectory behind ``token``.

    Returns (trajectory id, newly joined) or None when no active group has that token. Opening
    the private chat is what makes the person reachable, so that is recorded too.
    """
    trajectory = session.scalar(select(Trajectory).where(Trajectory.join_token == token))
    if trajectory is not None:
        # An old "Doe mee" link of a group that started a new trajectory joins the current one.
        trajectory = session.scalar(
            select(Trajectory).where(Trajectory.chat_id == trajectory.chat_id).order_by(Trajectory.generation.desc()).limit(1)
        )
    if trajectory is None or not trajectory.active or trajectory.closed_at is not None:
        return None  # a closed trajectory takes no one new
    person = upsert_person(session, user)
    person.reachable = True
    person.current_trajectory_id = trajectory.id
    membership = ensure_membership(session, trajectory.id, person)
    newly = membership.status != JOINED
    if newly:
        membership.status = JOINED
        membership.joined_at = membership.joined_at or utcnow()
    return trajectory.id, newly


def mark_reachable(session: Session, user: TelegramUser, reachable: bool = True) -> PersonRecord:
    person = upsert_person(session, user)
    person.reachable = reachable
    return person_record(person)


def members(session: Session, trajectory_id: int) -> list[MemberRecord]:
    """Every membership of the trajectory that has not left, moderators first, then by name."""
    rows = session.execute(
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.trajectory_id == trajectory_id, Membership.status != LEFT)
        .order_by(Membership.role.desc(), Person.first_name, Person.id)
    ).all()
    return [member_record(membership, person) for membership, person in rows]


def actor(session: Session, chat_id: int, user: TelegramUser | None) -> Actor:
    """The trajectory of a group chat and the sender's role in it (one query)."""
    if user is None:
        trajectory = session.scalar(
            select(Trajectory).where(Trajectory.chat_id == chat_id).order_by(Trajectory.generation.desc()).limit(1)
        )
        return Actor(trajectory and trajectory_record(trajectory), None, None, None)
    row = session.execute(
        select(Trajectory, Person, Membership)
        .select_from(Trajectory)
        .outerjoin(Person, Person.telegram_id == user.telegram_id)
        .outerjoin(
            Membership,
            (Membership.trajectory_id == Trajectory.id) & (Membership.person_id == Person.id),
        )
        .where(Trajectory.chat_id == chat_id)
        .order_by(Trajectory.generation.desc())
        .limit(1)
    ).first()
    if row is None:
        person = session.scalar(select(Person).where(Person.telegram_id == user.telegram_id))
        return Actor(None, person and person_record(person), None, None)
    trajectory, person, membership = row
    return Actor(
        trajectory_record(trajectory),
        person and person_record(person),
        membership.role if membership else None,
        membership.status if membership else None,
    )


def make_moderator(session: Session, trajectory_id: int, user: TelegramUser) -> bool:
    """Make ``user`` a moderator of the trajectory; False when they already were one."""
    person = upsert_person(session, user)
    membership = ensure_membership(session, trajectory_id, person)
    if membership.role == MODERATOR:
        return False
    membership.role = MODERATOR
    if membership.status == LEFT:
        membership.status = JOINED if membership.joined_at else SEEN
    return True


def moderator_ids(session: Session, trajectory_id: int) -> set[int]:
    """Telegram ids of the trajectory's moderators."""
    return set(
        session.scalars(
            select(Person.telegram_id)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.trajectory_id == trajectory_id,
                Membership.role == MODERATOR,
                Membership.status != LEFT,
            )
        )
    )


# Built once: building a statement costs more than running it on SQLite, and every private
# update runs this one.
_PRIVATE_CONTEXT = (
    select(Person, Trajectory, Membership.role)
    .outerjoin(Membership, (Membership.person_id == Person.id) & (Membership.status == JOINED))
    .outerjoin(Trajectory, (Trajectory.id == Membership.trajectory_id) & Trajectory.active.is_(True))
    .where(Person.telegram_id == bindparam("telegram_id"))
    .order_by(Trajectory.id)
)


def private_context(session: Session, user: TelegramUser) -> PrivateContext:
    """The person's groups (joined ones) and the one their private answers belong to.

    It runs for every private update (bot/guards.py), so a known person takes one query."""
    rows = session.execute(_PRIVATE_CONTEXT, {"telegram_id": user.telegram_id}).all()
    person = _with_names_of(rows[0][0], user) if rows else upsert_person(session, user)
    if not person.reachable:  # set only when it changes: a dirty person costs a flush on every update
        person.reachable = True  # they write to the bot in private, so the bot can write back
    memberships = tuple((trajectory_record(t), role) for _, t, role in rows if t is not None)
    current = None
    if len(memberships) == 1:
        current = memberships[0][0]
    else:
        current = next((t for t, _ in memberships if t.id == person.current_trajectory_id), None)
    return PrivateContext(person_record(person), memberships, current)


def choose_current(session: Session, user: TelegramUser, trajectory_id: int) -> bool:
    """Point the person's private answers to a group they joined; False if they did not."""
    person = upsert_person(session, user)
    membership = _membership(session, trajectory_id, person.id)
    if membership is None or membership.status != JOINED:
        return False
    person.current_trajectory_id = trajectory_id
    return True


def set_person_language(session: Session, user: TelegramUser, language: str | None) -> None:
    upsert_person(session, user).language = language


def identify_in_group(session: Session, chat_id: int, user: TelegramUser | None) -> Actor:
    """The sender's role in the group's trajectory; a sender new to us is noted as seen."""
    if user is not None:
        note_seen_in_group(session, chat_id, user)
    return actor(session, chat_id, user)
