"""Candidate themes of a trajectory: catalogues, the MVO-scan import, and the moderator's edits.

Themes keep their number (``position``) for good: a removed or merged theme is marked, not
deleted, so rounds and reports that mention it stay readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from method.themes.catalogues import load_catalogue
from method.themes.scan_import import ScanTheme
from storage.models import GoodPractice, Theme, ThemeSdg, Trajectory, VotingRound
from storage.records import ThemeDetail, ThemeRecord

ACTIVE = ("candidate", "chosen", "parked")
MAX_NAME = 120
MAX_DESCRIPTION = 1000
MAX_PRACTICE = 1000


def _sdgs(session: Session, theme_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    links: dict[int, list[int]] = {}
    ids = list(theme_ids)
    if ids:
        for theme_id, sdg in session.execute(
            select(ThemeSdg.theme_id, ThemeSdg.sdg).where(ThemeSdg.theme_id.in_(ids)).order_by(ThemeSdg.sdg)
        ):
            links.setdefault(theme_id, []).append(sdg)
    return {theme_id: tuple(numbers) for theme_id, numbers in links.items()}


def _record(theme: Theme, sdgs: tuple[int, ...]) -> ThemeRecord:
    return ThemeRecord(
        id=theme.id,
        position=theme.position,
        name=theme.name,
        description=theme.description,
        parent_id=theme.parent_id,
        status=theme.status,
        source=theme.source,
        maturity=theme.maturity,
        strengths=theme.strengths,
        weaknesses=theme.weaknesses,
        sdgs=sdgs,
    )


def list_themes(session: Session, trajectory_id: int) -> list[ThemeRecord]:
    """Active themes in number order, with their SDGs (two queries, whatever the count)."""
    rows = list(
        session.scalars(
            select(Theme).where(Theme.trajectory_id == trajectory_id, Theme.status.in_(ACTIVE)).order_by(Theme.position)
        )
    )
    links = _sdgs(session, (t.id for t in rows))
    return [_record(t, links.get(t.id, ())) for t in rows]


def _active_by_position(session: Session, trajectory_id: int, position: int) -> Theme | None:
    return session.scalar(
        select(Theme).where(Theme.trajectory_id == trajectory_id, Theme.position == position, Theme.status.in_(ACTIVE))
    )


def _by_name(session: Session, trajectory_id: int, name: str) -> Theme | None:
    return session.scalar(
        select(Theme).where(
            Theme.trajectory_id == trajectory_id, func.lower(Theme.name) == name.lower(), Theme.status.in_(ACTIVE)
        )
    )


def _next_position(session: Session, trajectory_id: int) -> int:
    # Lock the group's row so two edits at once cannot take the same number (PostgreSQL).
    session.scalar(select(Trajectory.id).where(Trajectory.id == trajectory_id).with_for_update())
    return (session.scalar(select(func.max(Theme.position)).where(Theme.trajectory_id == trajectory_id)) or 0) + 1


def voting_open(session: Session, trajectory_id: int) -> bool:
    return (
        session.scalar(
            select(VotingRound.id).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "open")
        )
        is not None
    )


def _add(
    session: Session,
    trajectory_id: int,
    name: str,
    *,
    description: str | None = None,
    sdgs: Sequence[int] = (),
    parent_id: int | None = None,
    source: str = "manual",
    code: str | None = None,
    maturity: float | None = None,
    strengths: str | None = None,
    weaknesses: str | None = None,
) -> Theme:
    theme = Theme(
        trajectory_id=trajectory_id,
        position=_next_position(session, trajectory_id),
        name=name,
        description=description or None,
        parent_id=parent_id,
        status="candidate",
        source=source,
        source_code=code,
        maturity=maturity,
        strengths=strengths or None,
        weaknesses=weaknesses or None,
    )
    session.add(theme)
    session.flush()
    session.add_all(ThemeSdg(theme_id=theme.id, sdg=n) for n in sorted(set(sdgs)))
    return theme


def add_theme(session: Session, trajectory_id: int, name: str) -> ThemeRecord | None:
    """A new candidate theme; None when the group already has one with that name."""
    if _by_name(session, trajectory_id, name) is not None:
        return None
    return _record(_add(session, trajectory_id, name), ())


def add_catalogue(session: Session, trajectory_id: int, key: str, lang: str) -> tuple[int, int]:
    """Add a catalogue's themes in the group's language: (added, already there)."""
    added = skipped = 0
    for item in load_catalogue(key).themes:
        name = item.name_in(lang)
        if _by_name(session, trajectory_id, name) is not None:
            skipped += 1
            continue
        _add(
            session,
            trajectory_id,
            name,
            description=item.description_in(lang),
            sdgs=item.sdgs,
            source=key,
            code=item.code,
        )
        added += 1
    return added, skipped


def import_scan(session: Session, trajectory_id: int, rows: Sequence[ScanTheme]) -> tuple[int, int, int]:
    """Add (or fill in) the scan's themes and their sub-themes: (themes, sub-themes, SDG links)."""
    themes = subs = links = 0
    for row in rows:
        existing = _by_name(session, trajectory_id, row.name)
        if existing is None:
            theme = _add(
                session,
                trajectory_id,
                row.name,
                description=row.description,
                sdgs=row.sdgs,
                source="scan",
                maturity=row.maturity,
                strengths=row.strengths,
                weaknesses=row.weaknesses,
            )
        else:
            theme = existing
            theme.description = row.description or theme.description
            theme.maturity = row.maturity if row.maturity is not None else theme.maturity
            theme.strengths = row.strengths or theme.strengths
            theme.weaknesses = row.weaknesses or theme.weaknesses
            current = set(_sdgs(session, [theme.id]).get(theme.id, ()))
            session.add_all(ThemeSdg(theme_id=theme.id, sdg=n) for n in sorted(set(row.sdgs) - current))
        themes += 1
        links += len(row.sdgs)
        for sub in row.sub_themes:
            if _by_name(session, trajectory_id, sub) is None:
                _add(session, trajectory_id, sub, parent_id=theme.id, source="scan")
                subs += 1
    return themes, subs, links


def detail(session: Session, trajectory_id: int, position: int) -> ThemeDetail | None:
    theme = _active_by_position(session, trajectory_id, position)
    if theme is None:
        return None
    children = list(
        session.scalars(
            select(Theme).where(Theme.parent_id == theme.id, Theme.status.in_(ACTIVE)).order_by(Theme.position)
        )
    )
    parent = session.get(Theme, theme.parent_id) if theme.parent_id else None
    links = _sdgs(session, [theme.id] + [c.id for c in children] + ([parent.id] if parent else []))
    practices = tuple(
        session.scalars(select(GoodPractice.text).where(GoodPractice.theme_id == theme.id).order_by(GoodPractice.id))
    )
    return ThemeDetail(
        theme=_record(theme, links.get(theme.id, ())),
        parent=_record(parent, links.get(parent.id, ())) if parent else None,
        children=tuple(_record(c, links.get(c.id, ())) for c in children),
        practices=practices,
    )


def rename(session: Session, trajectory_id: int, position: int, name: str) -> str:
    """ok | unknown | exists"""
    theme = _active_by_position(session, trajectory_id, position)
    if theme is None:
        return "unknown"
    other = _by_name(session, trajectory_id, name)
    if other is not None and other.id != theme.id:
        return "exists"
    theme.name = name
    return "ok"


def describe(session: Session, trajectory_id: int, position: int, text: str) -> str:
    theme = _active_by_position(session, trajectory_id, position)
    if theme is None:
        return "unknown"
    theme.description = text
    return "ok"


def remove(session: Session, trajectory_id: int, position: int) -> str:
    """Mark removed (with its sub-themes); not while a round is open."""
    theme = _active_by_position(session, trajectory_id, position)
    if theme is None:
        return "unknown"
    if voting_open(session, trajectory_id):
        return "voting"
    theme.status = "removed"
    for child in session.scalars(select(Theme).where(Theme.parent_id == theme.id, Theme.status.in_(ACTIVE))):
        child.status = "removed"
    return "ok"


def split(session: Session, trajectory_id: int, position: int, names: Sequence[str]) -> tuple[str, list[int]]:
    """Sub-themes under a theme: (ok | unknown | voting | exists, their numbers)."""
    theme = _active_by_position(session, trajectory_id, position)
    if theme is None:
        return "unknown", []
    if voting_open(session, trajectory_id):
        return "voting", []
    if any(_by_name(session, trajectory_id, name) is not None for name in names) or len(
        {n.lower() for n in names}
    ) != len(names):
        return "exists", []
    parent_sdgs = _sdgs(session, [theme.id]).get(theme.id, ())
    created = [_add(session, trajectory_id, name, parent_id=theme.id, sdgs=parent_sdgs) for name in names]
    return "ok", [c.position for c in created]


def merge(session: Session, trajectory_id: int, positions: Sequence[int], name: str) -> tuple[str, int | None]:
    """Group themes into one new theme; the old ones are marked merged (kept, not deleted)."""
    themes = [_active_by_position(session, trajectory_id, p) for p in positions]
    if any(t is None for t in themes) or len(set(positions)) < 2:
        return "unknown", None
    if voting_open(session, trajectory_id):
        return "voting", None
    other = _by_name(session, trajectory_id, name)
    if other is not None and other.id not in {t.id for t in themes if t}:
        return "exists", None
    links = _sdgs(session, [t.id for t in themes if t])
    sdgs = sorted({n for numbers in links.values() for n in numbers})
    descriptions = [t.description for t in themes if t and t.description]
    merged = _add(
        session, trajectory_id, name, description="\n".join(descriptions)[:MAX_DESCRIPTION] or None, sdgs=sdgs
    )
    for theme in themes:
        assert theme is not None
        theme.status, theme.merged_into_id = "merged", merged.id
        for child in session.scalars(select(Theme).where(Theme.parent_id == theme.id)):
            child.parent_id = merged.id
    return "ok", merged.position


def link_sdgs(
    session: Session, trajectory_id: int, position: int, add: Iterable[int], drop: Iterable[int]
) -> tuple[str, tuple[int, ...]]:
    theme = _active_by_position(session, trajectory_id, position)
    if theme is None:
        return "unknown", ()
    current = set(_sdgs(session, [theme.id]).get(theme.id, ()))
    for number in set(add) - current:
        session.add(ThemeSdg(theme_id=theme.id, sdg=number))
    for link in session.scalars(select(ThemeSdg).where(ThemeSdg.theme_id == theme.id, ThemeSdg.sdg.in_(set(drop)))):
        session.delete(link)
    session.flush()
    return "ok", _sdgs(session, [theme.id]).get(theme.id, ())


def toggle_sdg(session: Session, trajectory_id: int, theme_id: int, sdg: int) -> tuple[int, ...] | None:
    """Link or unlink one SDG of a theme of this trajectory (None when the theme is not ours)."""
    theme = session.get(Theme, theme_id)
    if theme is None or theme.trajectory_id != trajectory_id or theme.status not in ACTIVE:
        return None
    link = session.get(ThemeSdg, (theme_id, sdg))
    if link is None:
        session.add(ThemeSdg(theme_id=theme_id, sdg=sdg))
    else:
        session.delete(link)
    session.flush()
    return _sdgs(session, [theme_id]).get(theme_id, ())


def position_of(session: Session, trajectory_id: int, theme_id: int) -> int | None:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.trajectory_id != trajectory_id or theme.status not in ACTIVE:
        return None
    return theme.position


def add_practice(session: Session, trajectory_id: int, position: int, text: str) -> str:
    theme = _active_by_position(session, trajectory_id, position)
    if theme is None:
        return "unknown"
    session.add(GoodPractice(theme_id=theme.id, text=text))
    return "ok"
