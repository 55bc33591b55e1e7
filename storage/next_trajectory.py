"""The next trajectory in the same group (/nieuwtraject), and the one before it.

After /afsluiten the moderator may start a new trajectory in the same Telegram group: a new
``trajectory`` row (the next ``generation`` of that chat, ``previous_id`` the closed one), so the
closed one stays as it was: readable (/rapport vorig, /uitslag vorig), exported on its own, and
purged on its own retention clock. The members are kept as "seen" until each confirms with one
press; the parked themes come back as candidates (``source`` "previous", ``source_code`` the old
theme's id), with their figures of last time read from the closed trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import voting
from storage.convert import trajectory_record
from storage.goals import is_moderator
from storage.models import Goal, Membership, Person, Theme, ThemeSdg, Trajectory
from storage.people import JOINED, LEFT, MODERATOR, SEEN
from storage.records import ParkedTheme, TrajectoryRecord

PREVIOUS = "previous"  # Theme.source of a parked theme brought back


@dataclass(frozen=True)
class CarriedTheme:
    position: int  # in the new trajectory
    name: str
    before: ParkedTheme  # its figures in the closed trajectory


@dataclass(frozen=True)
class PreviousGoal:
    number: int
    specific: str | None
    target: str | None
    deadline: str | None


@dataclass(frozen=True)
class PreviousTheme:
    position: int
    name: str
    goals: tuple[PreviousGoal, ...]


@dataclass(frozen=True)
class PreviousView:
    """What the new trajectory shows of the one before: "vorig traject"."""

    previous: TrajectoryRecord
    closed_at: datetime | None
    chosen: tuple[PreviousTheme, ...]
    carried: tuple[CarriedTheme, ...]


@dataclass(frozen=True)
class NextOutcome:
    status: str  # ok | not_closed | not_allowed | not_found
    trajectory: TrajectoryRecord | None = None
    view: PreviousView | None = None
    invite: tuple[tuple[int, str], ...] = ()  # (telegram id, language) of the members to ask


def start(session: Session, chat_id: int, telegram_id: int, now: datetime) -> NextOutcome:
    """A new trajectory in the group after the current one was closed; the moderator starts it."""
    old = session.scalar(
        select(Trajectory)
        .where(Trajectory.chat_id == chat_id)
        .order_by(Trajectory.generation.desc())
        .limit(1)
        .with_for_update()
    )
    if old is None:
        return NextOutcome("not_found")
    if not is_moderator(session, old.id, telegram_id):
        return NextOutcome("not_allowed")
    if old.closed_at is None:
        return NextOutcome("not_closed")
    from storage.trajectories import new_join_token

    new = Trajectory(
        chat_id=old.chat_id,
        generation=old.generation + 1,
        previous_id=old.id,
        title=old.title,
        organisation=old.organisation,
        language=old.language,
        timezone=old.timezone,
        join_token=new_join_token(),
        phase="setup",
        active=True,
        sought=old.sought,
        rule_key=old.rule_key,
        quorum_pct=old.quorum_pct,
        close_when_all_voted=old.close_when_all_voted,
        created_at=now,
    )
    session.add(new)
    session.flush()
    invite = []
    for membership, person in session.execute(
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.trajectory_id == old.id, Membership.status != LEFT, Person.forgotten_at.is_(None))
        .order_by(Person.id)
    ):
        starter = person.telegram_id == telegram_id
        session.add(
            Membership(
                trajectory_id=new.id,
                person_id=person.id,
                role=membership.role if membership.role == MODERATOR else "member",
                status=JOINED if starter else SEEN,
                joined_at=now if starter else None,
            )
        )
        if not starter and membership.status == JOINED and person.reachable:
            invite.append((person.telegram_id, person.language or old.language))
    session.execute(update(Person).where(Person.current_trajectory_id == old.id).values(current_trajectory_id=new.id))
    for position, theme in enumerate(
        session.scalars(
            select(Theme).where(Theme.trajectory_id == old.id, Theme.status == "parked").order_by(Theme.position)
        ),
        start=1,
    ):
        copy = Theme(
            trajectory_id=new.id,
            position=position,
            name=theme.name,
            description=theme.description,
            status="candidate",
            source=PREVIOUS,
            source_code=str(theme.id),
            maturity=theme.maturity,
            strengths=theme.strengths,
            weaknesses=theme.weaknesses,
            created_at=now,
        )
        session.add(copy)
        session.flush()
        for sdg in session.scalars(select(ThemeSdg.sdg).where(ThemeSdg.theme_id == theme.id)):
            session.add(ThemeSdg(theme_id=copy.id, sdg=sdg))
    session.flush()
    return NextOutcome("ok", trajectory_record(new), view(session, new.id), tuple(invite))


def previous_of(session: Session, trajectory_id: int) -> TrajectoryRecord | None:
    row = session.get(Trajectory, trajectory_id)
    before = session.get(Trajectory, row.previous_id) if row is not None and row.previous_id is not None else None
    return None if before is None else trajectory_record(before)


def view(session: Session, trajectory_id: int) -> PreviousView | None:
    """The closed trajectory before this one: its chosen themes with their goals, and the parked
    themes brought back here with their figures of last time."""
    row = session.get(Trajectory, trajectory_id)
    if row is None or row.previous_id is None:
        return None
    before = session.get(Trajectory, row.previous_id)
    if before is None:
        return None
    chosen = []
    for theme in session.scalars(
        select(Theme).where(Theme.trajectory_id == before.id, Theme.status == "chosen").order_by(Theme.position)
    ):
        goals = session.scalars(
            select(Goal).where(Goal.theme_id == theme.id, Goal.status == "approved").order_by(Goal.number)
        )
        chosen.append(
            PreviousTheme(
                theme.position,
                theme.name,
                tuple(PreviousGoal(g.number, g.specific, g.target, g.deadline) for g in goals),
            )
        )
    figures = {parked.position: parked for parked in voting.parked(session, before.id)}
    old_positions = {
        str(theme_id): position
        for theme_id, position in session.execute(
            select(Theme.id, Theme.position).where(Theme.trajectory_id == before.id)
        )
    }
    carried = []
    for theme in session.scalars(
        select(Theme).where(Theme.trajectory_id == trajectory_id, Theme.source == PREVIOUS).order_by(Theme.position)
    ):
        position = old_positions.get(theme.source_code or "")
        if position is None:
            continue
        old = figures.get(position) or ParkedTheme(position, theme.name, None, None, None)
        carried.append(CarriedTheme(theme.position, theme.name, old))
    return PreviousView(trajectory_record(before), before.closed_at, tuple(chosen), tuple(carried))


def confirm(session: Session, trajectory_id: int, telegram_id: int, now: datetime) -> str:
    """A member of the closed trajectory takes part in the new one too: ok | already | not_member | closed."""
    trajectory = session.get(Trajectory, trajectory_id)
    if trajectory is None or not trajectory.active or trajectory.closed_at is not None:
        return "closed"
    row = session.execute(
        select(Membership, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.trajectory_id == trajectory_id, Person.telegram_id == telegram_id)
    ).first()
    if row is None or row[0].status == LEFT:
        return "not_member"
    membership, person = row
    if membership.status == JOINED:
        return "already"
    membership.status, membership.joined_at = JOINED, now
    person.current_trajectory_id = trajectory_id
    return "ok"
