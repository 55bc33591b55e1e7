"""Dream images (step 5): the collection and members' own dream images (processing: dream_processing.py).

Every member action is checked here against the database, whatever the button said: the person
is a joined member of the trajectory, the theme is chosen there, the dream image is theirs, and
the collection is still open (not published).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import people, reminders
from storage.convert import trajectory_record
from storage.models import (
    DreamCollection,
    DreamDone,
    DreamImage,
    Membership,
    Person,
    Theme,
    Trajectory,
)
from storage.people import JOINED, LEFT
from storage.records import (
    DreamCollectionRecord,
    DreamImageRecord,
    DreamOutcome,
    DreamProgress,
    DreamRecipient,
    MemberDreams,
)

MAX_TEXT = 1000  # characters in one dream image
MAX_PER_THEME = 50  # dream images of one member for one theme

chosen_themes = reminders.chosen_themes


# --- records ----------------------------------------------------------------------------------


def _collection_record(row: DreamCollection) -> DreamCollectionRecord:
    return DreamCollectionRecord(
        row.id, row.trajectory_id, row.started_at, reminders.parse_hours(row.reminder_hours), row.published_at
    )


def _image_record(row: DreamImage, author: str | None = None) -> DreamImageRecord:
    return DreamImageRecord(
        id=row.id,
        trajectory_id=row.trajectory_id,
        theme_id=row.theme_id,
        person_id=row.person_id,
        number=row.number,
        text=row.text,
        processed_text=row.processed_text,
        merged_into_id=row.merged_into_id,
        parent_id=row.parent_id,
        removed=row.removed,
        published=row.published,
        author=author,
    )


def _name(person: Person) -> str:
    return " ".join(part for part in (person.first_name, person.last_name) if part)


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _collection_row(session: Session, trajectory_id: int, *, lock: bool = False) -> DreamCollection | None:
    query = select(DreamCollection).where(DreamCollection.trajectory_id == trajectory_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


# --- the collection -------------------------------------------------------------------------------


def collection(session: Session, trajectory_id: int) -> DreamCollectionRecord | None:
    row = _collection_row(session, trajectory_id)
    return row and _collection_record(row)


def start_collection(session: Session, trajectory_id: int, now: datetime) -> tuple[DreamCollectionRecord, bool]:
    """Start collecting (once per trajectory); returns the collection and whether it is new."""
    row = _collection_row(session, trajectory_id)
    created = row is None
    if row is None:
        row = DreamCollection(
            trajectory_id=trajectory_id, started_at=now, reminder_hours=",".join(map(str, reminders.DEFAULT_HOURS))
        )
        session.add(row)
        session.flush()
        reminders.sync(session, trajectory_id, now)
    return _collection_record(row), created


def recipients(session: Session, trajectory_id: int) -> list[DreamRecipient]:
    """Joined members, who get the template privately."""
    rows = session.execute(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.trajectory_id == trajectory_id, Membership.status == JOINED)
        .order_by(Person.first_name, Person.id)
    ).scalars()
    return [DreamRecipient(p.id, p.telegram_id, _name(p), p.reachable) for p in rows]


def recipient(session: Session, trajectory_id: int, telegram_id: int) -> DreamRecipient | None:
    return next((r for r in recipients(session, trajectory_id) if r.telegram_id == telegram_id), None)


def member_dreams(session: Session, trajectory_id: int, telegram_id: int, now: datetime) -> MemberDreams | None:
    """A member's own template, or None when they are not a joined member or nothing is collected."""
    person = people.joined_person(session, trajectory_id, telegram_id)
    row = _collection_row(session, trajectory_id)
    if person is None or row is None:
        return None
    trajectory = session.get_one(Trajectory, trajectory_id)
    themes = tuple(chosen_themes(session, trajectory_id))
    ids = [t.id for t in themes]
    images: dict[int, list[DreamImageRecord]] = {t.id: [] for t in themes}
    for image in session.scalars(
        select(DreamImage)
        .where(
            DreamImage.trajectory_id == trajectory_id, DreamImage.person_id == person.id, DreamImage.theme_id.in_(ids)
        )
        .order_by(DreamImage.created_at, DreamImage.id)
    ):
        images[image.theme_id].append(_image_record(image))
    done = frozenset(
        session.scalars(select(DreamDone.theme_id).where(DreamDone.person_id == person.id, DreamDone.theme_id.in_(ids)))
    )
    return MemberDreams(
        trajectory=trajectory_record(trajectory),
        person_id=person.id,
        language=person.language or trajectory.language,
        themes=themes,
        images={theme_id: tuple(found) for theme_id, found in images.items()},
        done=done,
        collection=_collection_record(row),
        next_session=reminders.next_session(session, trajectory_id, now),
    )


def open_collections_of(session: Session, telegram_id: int) -> list[int]:
    """Trajectories where this person is a joined member and dream images are being collected."""
    return list(
        session.scalars(
            select(DreamCollection.trajectory_id)
            .join(Membership, Membership.trajectory_id == DreamCollection.trajectory_id)
            .join(Person, Person.id == Membership.person_id)
            .join(Trajectory, Trajectory.id == DreamCollection.trajectory_id)
            .where(
                Person.telegram_id == telegram_id,
                Membership.status == JOINED,
                DreamCollection.published_at.is_(None),
                Trajectory.active.is_(True),
            )
            .order_by(DreamCollection.trajectory_id)
        )
    )


def _check(session: Session, trajectory_id: int, telegram_id: int, theme_id: int | None) -> tuple[str, Person | None]:
    person = people.joined_person(session, trajectory_id, telegram_id)
    if person is None:
        return "not_member", None
    if theme_id is not None:
        theme = session.get(Theme, theme_id)
        if theme is None or theme.trajectory_id != trajectory_id or theme.status != "chosen":
            return "not_chosen", None
    row = _collection_row(session, trajectory_id)
    if row is None or row.published_at is not None:
        return "closed", None
    return "ok", person


def _count(session: Session, person_id: int, theme_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(DreamImage)
            .where(DreamImage.person_id == person_id, DreamImage.theme_id == theme_id)
        )
        or 0
    )


def _next_number(session: Session, trajectory_id: int) -> int:
    # The collection row is locked first: two instances adding at once wait for each other.
    _collection_row(session, trajectory_id, lock=True)
    return (
        session.scalar(select(func.max(DreamImage.number)).where(DreamImage.trajectory_id == trajectory_id)) or 0
    ) + 1


def add_image(
    session: Session, trajectory_id: int, telegram_id: int, theme_id: int, text: str, now: datetime
) -> DreamOutcome:
    """A member's new dream image for a chosen theme (the same text twice is kept once)."""
    status, person = _check(session, trajectory_id, telegram_id, theme_id)
    if person is None:
        return DreamOutcome(status)
    own = session.scalars(
        select(DreamImage).where(DreamImage.person_id == person.id, DreamImage.theme_id == theme_id)
    ).all()
    twin = next((image for image in own if _same(image.text, text)), None)
    if twin is not None:
        return DreamOutcome("duplicate", _image_record(twin), len(own))
    if len(own) >= MAX_PER_THEME:
        return DreamOutcome("too_many", None, len(own))
    row = DreamImage(
        trajectory_id=trajectory_id,
        theme_id=theme_id,
        person_id=person.id,
        number=_next_number(session, trajectory_id),
        text=text,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return DreamOutcome("ok", _image_record(row), len(own) + 1)


def add_own_image(
    session: Session, trajectory_id: int, telegram_id: int, theme_id: int, text: str, now: datetime
) -> tuple[DreamOutcome, MemberDreams | None]:
    """``add_image`` and the member's template after it, in one unit of work.

    The template is read once and answers the checks too (member, theme chosen, still collecting,
    the same text twice, too many), so storing a dream image costs a handful of statements."""
    view = member_dreams(session, trajectory_id, telegram_id, now)
    if view is None:
        return DreamOutcome(_check(session, trajectory_id, telegram_id, theme_id)[0]), None
    if view.theme(theme_id) is None:
        return DreamOutcome("not_chosen"), view
    if not view.open:
        return DreamOutcome("closed"), view
    own = view.images.get(theme_id, ())
    twin = next((image for image in own if _same(image.text, text)), None)
    if twin is not None:
        return DreamOutcome("duplicate", twin, len(own)), view
    if len(own) >= MAX_PER_THEME:
        return DreamOutcome("too_many", None, len(own)), view
    row = DreamImage(
        trajectory_id=trajectory_id,
        theme_id=theme_id,
        person_id=view.person_id,
        number=_next_number(session, trajectory_id),
        text=text,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    image = _image_record(row)
    return DreamOutcome("ok", image, len(own) + 1), replace(view, images={**view.images, theme_id: (*own, image)})


def add_many(
    session: Session, trajectory_id: int, telegram_id: int, items: Iterable[tuple[int, str]], now: datetime
) -> dict[str, int]:
    """Dream images read from a filled-in document: counts of added, already there, refused."""
    counts = {"ok": 0, "duplicate": 0, "refused": 0}
    for theme_id, text in items:
        outcome = add_image(session, trajectory_id, telegram_id, theme_id, text, now)
        if outcome.status in ("ok", "duplicate"):
            counts[outcome.status] += 1
        elif outcome.status in ("not_member", "closed"):
            return {**counts, "status": outcome.status}  # type: ignore[dict-item]
        else:
            counts["refused"] += 1
    return counts


def own_image(session: Session, image_id: int, telegram_id: int) -> DreamImageRecord | None:
    """The dream image when it belongs to this person (whatever a button claims)."""
    row = session.get(DreamImage, image_id)
    if row is None or row.person_id is None:
        return None
    person = session.get(Person, row.person_id)
    return _image_record(row) if person is not None and person.telegram_id == telegram_id else None


def edit_image(session: Session, image_id: int, telegram_id: int, text: str, now: datetime) -> DreamOutcome:
    found = own_image(session, image_id, telegram_id)
    if found is None:
        return DreamOutcome("not_found")
    status, person = _check(session, found.trajectory_id, telegram_id, found.theme_id)
    if person is None:
        return DreamOutcome(status)
    row = session.get_one(DreamImage, image_id)
    row.text, row.updated_at = text, now
    return DreamOutcome("ok", _image_record(row), _count(session, person.id, row.theme_id))


def delete_image(session: Session, image_id: int, telegram_id: int) -> DreamOutcome:
    found = own_image(session, image_id, telegram_id)
    if found is None:
        return DreamOutcome("not_found")
    status, person = _check(session, found.trajectory_id, telegram_id, found.theme_id)
    if person is None:
        return DreamOutcome(status)
    session.delete(session.get_one(DreamImage, image_id))
    session.flush()
    return DreamOutcome("ok", found, _count(session, person.id, found.theme_id))


def set_done(
    session: Session, trajectory_id: int, telegram_id: int, theme_id: int, done: bool, now: datetime
) -> DreamOutcome:
    """Mark a theme done (nothing more to add) or not."""
    status, person = _check(session, trajectory_id, telegram_id, theme_id)
    if person is None:
        return DreamOutcome(status)
    row = session.get(DreamDone, (person.id, theme_id))
    if done and row is None:
        session.add(DreamDone(person_id=person.id, theme_id=theme_id, done_at=now))
    elif not done and row is not None:
        session.delete(row)
    return DreamOutcome("ok", None, _count(session, person.id, theme_id))


def progress(session: Session, trajectory_id: int, now: datetime) -> DreamProgress:
    """Counts for the group; names only of members the bot cannot reach or who did not join."""
    themes = tuple(chosen_themes(session, trajectory_id))
    ids = [t.id for t in themes]
    people = recipients(session, trajectory_id)
    done_rows = session.execute(
        select(DreamDone.person_id, func.count())
        .where(DreamDone.theme_id.in_(ids), DreamDone.person_id.in_([p.person_id for p in people]))
        .group_by(DreamDone.person_id)
    ).all()
    done = sum(1 for _, count in done_rows if themes and count >= len(themes))
    per_theme = dict(
        session.execute(
            select(DreamImage.theme_id, func.count()).where(DreamImage.theme_id.in_(ids)).group_by(DreamImage.theme_id)
        ).all()
    )
    seen = session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.trajectory_id == trajectory_id, Membership.status.notin_((JOINED, LEFT)))
        .order_by(Person.first_name)
    ).all()
    row = _collection_row(session, trajectory_id)
    return DreamProgress(
        themes=themes,
        members=len(people),
        done=done,
        images=sum(per_theme.values()),
        per_theme={theme_id: per_theme.get(theme_id, 0) for theme_id in ids},
        unreachable=tuple(p.name for p in people if not p.reachable),
        not_joined=tuple(_name(p) for p in seen),
        collection=row and _collection_record(row),
        next_session=reminders.next_session(session, trajectory_id, now),
    )
