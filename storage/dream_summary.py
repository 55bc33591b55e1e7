"""Dream images (step 5), the moderator's processing: proposals to merge, edits, the published summary.

The collection and members' own dream images are storage/dreams.py.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import reminders
from storage.convert import trajectory_record
from storage.dreams import _collection_record, _collection_row, _image_record, _name, chosen_themes
from storage.models import (
    DreamImage,
    DreamProposal,
    Membership,
    Person,
    Theme,
    Trajectory,
)
from storage.people import LEFT
from storage.records import (
    DreamProposalRecord,
    ProcessingView,
    SummaryItem,
    SummaryTheme,
)


def processing_view(session: Session, trajectory_id: int, now: datetime) -> ProcessingView | None:
    """All dream images of the trajectory with their authors (the template decides whether to
    show them), and the duplicate proposals still waiting for an answer."""
    row = _collection_row(session, trajectory_id)
    if row is None:
        return None
    themes = tuple(chosen_themes(session, trajectory_id))
    ids = [t.id for t in themes]
    images = tuple(
        _image_record(image, _name(person) if person is not None else None)
        for image, person in session.execute(
            select(DreamImage, Person)
            .outerjoin(Person, Person.id == DreamImage.person_id)
            .where(DreamImage.trajectory_id == trajectory_id, DreamImage.theme_id.in_(ids))
            .order_by(DreamImage.number)
        ).all()
    )
    by_id = {image.id: image for image in images}
    proposals = []
    for proposal in session.scalars(
        select(DreamProposal)
        .where(DreamProposal.trajectory_id == trajectory_id, DreamProposal.state == "open")
        .order_by(DreamProposal.id)
    ):
        first, second = by_id.get(proposal.first_id), by_id.get(proposal.second_id)
        if first is not None and second is not None and first.active and second.active:
            proposals.append(DreamProposalRecord(proposal.id, first, second, proposal.score, proposal.state))
    return ProcessingView(
        trajectory=trajectory_record(session.get_one(Trajectory, trajectory_id)),
        themes=themes,
        images=images,
        proposals=tuple(proposals),
        collection=_collection_record(row),
        next_session=reminders.next_session(session, trajectory_id, now),
    )


def store_proposals(session: Session, trajectory_id: int, pairs: Iterable[tuple[int, int, float]]) -> int:
    """Record new duplicate proposals; a pair the moderator already answered is not asked again."""
    known = {
        (first, second)
        for first, second in session.execute(
            select(DreamProposal.first_id, DreamProposal.second_id).where(DreamProposal.trajectory_id == trajectory_id)
        )
    }
    valid = set(session.scalars(select(DreamImage.id).where(DreamImage.trajectory_id == trajectory_id)))
    added = 0
    for a, b, score in pairs:
        first, second = min(a, b), max(a, b)
        if first == second or (first, second) in known or not {first, second} <= valid:
            continue
        session.add(
            DreamProposal(
                trajectory_id=trajectory_id, first_id=first, second_id=second, score=float(score), state="open"
            )
        )
        known.add((first, second))
        added += 1
    session.flush()
    return added


def decide(session: Session, trajectory_id: int, proposal_id: int, accept: bool, now: datetime) -> str:
    """The moderator's answer to a proposal: merge the second into the first, or keep both.
    Answers ok | gone (not this group's, or one of them changed meanwhile) | decided."""
    proposal = session.get(DreamProposal, proposal_id)
    if proposal is None or proposal.trajectory_id != trajectory_id:
        return "gone"
    if proposal.state != "open":
        return "decided"
    if accept:
        outcome = _merge(session, trajectory_id, proposal.first_id, proposal.second_id)
        if outcome != "ok":
            proposal.state, proposal.decided_at = "rejected", now
            return "gone"
    proposal.state, proposal.decided_at = ("accepted" if accept else "rejected"), now
    return "ok"


def _by_number(session: Session, trajectory_id: int, number: int) -> DreamImage | None:
    row = session.scalar(
        select(DreamImage).where(DreamImage.trajectory_id == trajectory_id, DreamImage.number == number)
    )
    if row is None or session.get_one(Theme, row.theme_id).status != "chosen":
        return None
    return row


def _active(row: DreamImage | None) -> bool:
    return row is not None and row.merged_into_id is None and not row.removed


def _merge(session: Session, trajectory_id: int, keep_id: int, drop_id: int) -> str:
    keep, drop = session.get(DreamImage, keep_id), session.get(DreamImage, drop_id)
    if keep is None or drop is None or keep.trajectory_id != trajectory_id or drop.trajectory_id != trajectory_id:
        return "unknown"
    if keep.id == drop.id:
        return "same"
    if not _active(keep) or not _active(drop):
        return "inactive"
    drop.merged_into_id, drop.parent_id = keep.id, None
    for other in session.scalars(select(DreamImage).where(DreamImage.merged_into_id == drop.id)):
        other.merged_into_id = keep.id
    for child in session.scalars(select(DreamImage).where(DreamImage.parent_id == drop.id)):
        child.parent_id = None if child.id == keep.id else keep.id
    if keep.parent_id == drop.id:
        keep.parent_id = None
    return "ok"


def apply_edit(
    session: Session, trajectory_id: int, action: str, numbers: tuple[int, ...], text: str | None = None
) -> str:
    """One processing step on dream images by their numbers.

    ``merge`` (a, b): b is a duplicate of a; ``group`` (child, parent): child becomes a sub-item;
    ``rephrase`` (n) with ``text`` (None restores the member's words); ``remove`` (n): left out of
    the summary; ``restore`` (n): undo merge, group and remove. Answers ok, or why not:
    unknown | same | inactive | other_theme | nested.
    """
    rows = [_by_number(session, trajectory_id, n) for n in numbers]
    if any(row is None for row in rows):
        return "unknown"
    first = rows[0]
    assert first is not None
    if action == "merge":
        second = rows[1]
        assert second is not None
        return _merge(session, trajectory_id, first.id, second.id)
    if action == "group":
        parent = rows[1]
        assert parent is not None
        if first.id == parent.id:
            return "same"
        if not _active(first) or not _active(parent):
            return "inactive"
        if first.theme_id != parent.theme_id:
            return "other_theme"
        has_children = session.scalar(
            select(func.count())
            .select_from(DreamImage)
            .where(DreamImage.parent_id == first.id, DreamImage.merged_into_id.is_(None))
        )
        if parent.parent_id is not None or has_children:
            return "nested"
        first.parent_id = parent.id
        return "ok"
    if action == "rephrase":
        first.processed_text = text
        return "ok"
    if action == "remove":
        if not _active(first):
            return "inactive"
        first.removed = True
        for child in session.scalars(select(DreamImage).where(DreamImage.parent_id == first.id)):
            child.parent_id = None
        return "ok"
    if action == "restore":
        first.removed, first.merged_into_id, first.parent_id = False, None, None
        return "ok"
    raise ValueError(action)


def summary(session: Session, trajectory_id: int, now: datetime) -> tuple[SummaryTheme, ...]:
    """The processed result: per chosen theme, its dream images, sub-items under their group."""
    view = processing_view(session, trajectory_id, now)
    return build_summary(view) if view is not None else ()


def build_summary(view: ProcessingView) -> tuple[SummaryTheme, ...]:
    active = {image.id: image for image in view.images if image.active}
    out = []
    for theme in view.themes:
        mine = [image for image in view.of_theme(theme.id) if image.id in active]
        tops = [image for image in mine if image.parent_id not in active]
        items = tuple(
            SummaryItem(top.shown, tuple(child.shown for child in mine if child.parent_id == top.id)) for top in tops
        )
        out.append(SummaryTheme(theme.position, theme.name, items))
    return tuple(out)


def publish(session: Session, trajectory_id: int, now: datetime) -> tuple[SummaryTheme, ...] | None:
    """Close the collection and mark what goes into the summary as published."""
    row = _collection_row(session, trajectory_id, lock=True)
    if row is None:
        return None
    result = summary(session, trajectory_id, now)
    view = processing_view(session, trajectory_id, now)
    assert view is not None
    active = {image.id for image in view.images if image.active}
    for image in session.scalars(select(DreamImage).where(DreamImage.trajectory_id == trajectory_id)):
        image.published = image.id in active
    row.published_at = now
    return result


def published_summary(session: Session, trajectory_id: int, now: datetime) -> tuple[SummaryTheme, ...] | None:
    row = _collection_row(session, trajectory_id)
    if row is None or row.published_at is None:
        return None
    return summary(session, trajectory_id, now)


def is_moderator(session: Session, trajectory_id: int, telegram_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(Membership)
            .join(Person, Person.id == Membership.person_id)
            .where(
                Membership.trajectory_id == trajectory_id,
                Person.telegram_id == telegram_id,
                Membership.role == "moderator",
                Membership.status != LEFT,
            )
        )
    )
