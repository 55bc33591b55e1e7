"""The report for the council (step 7): everything it shows, read in ONE unit of work.

``report_data`` returns a plain :class:`ReportData` tree; ``bot/documents/report/`` turns it into a Word
document, an HTML page and a Markdown file. Nothing here reads the clock: the report's date is passed in, so
the same database gives the same report (also after an export and a restore).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import decisions, dialogue, dream_summary, dreams, followup_progress, voting
from storage.convert import person_record
from storage.models import (
    Dialogue,
    Evaluation,
    EvaluationAnswer,
    EvaluationDelivery,
    Goal,
    Membership,
    Person,
    Theme,
    ThemeSdg,
    Trajectory,
)
from storage.people import JOINED, LEFT, MODERATOR
from storage.records import (
    DialogueDigest,
    ReportData,
    ReportEvaluation,
    ReportGoal,
    ReportMembers,
    ReportRound,
    ReportTheme,
)
from storage.records.followup import FollowedGoal

SHOWN_THEMES = ("candidate", "chosen", "parked")
SHOWN_GOALS = ("proposed", "approved")
EVALUATION_QUESTIONS = ("continuity", "view", "maturity")


def report_data(session: Session, trajectory_id: int, *, on: date, with_names: bool = False) -> ReportData:
    """The whole report of a trajectory; names of members only when ``with_names``."""
    trajectory = session.get_one(Trajectory, trajectory_id)
    themes = _themes(session, trajectory_id)
    published = dream_summary.published_summary(session, trajectory_id, _midnight(on))
    collection = dreams.collection(session, trajectory_id)
    return ReportData(
        organisation=trajectory.organisation,
        title=trajectory.title,
        language=trajectory.language,
        timezone=trajectory.timezone,
        on=on,
        with_names=with_names,
        members=_members(session, trajectory_id, with_names),
        themes=themes,
        rounds=_rounds(session, trajectory_id),
        parked=tuple(voting.parked(session, trajectory_id)),
        dreams_published=None if collection is None else published is not None,
        dreams=published or (),
        goals=_goals(session, trajectory_id),
        digests=_digests(session, trajectory_id, with_names),
        decisions=tuple(decisions.decisions(session, trajectory_id)),
        evaluation=_evaluation(session, trajectory_id),
        followup=_followup(session, trajectory_id, on, with_names),
    )


def _followup(session: Session, trajectory_id: int, on: date, with_names: bool) -> tuple[FollowedGoal, ...]:
    """The followed goals once any was reported on; the owner's name only in a report with names."""
    if not followup_progress.has_reports(session, trajectory_id):
        return ()
    found = followup_progress.goals(session, trajectory_id, on)
    return tuple(goal if with_names else replace(goal, owner_name=None) for goal in found)


def _midnight(on: date) -> datetime:
    """The dream-image queries want a moment (for the next session); the report's day will do."""
    return datetime.combine(on, time(0, 0), UTC)


def _members(session: Session, trajectory_id: int, with_names: bool) -> ReportMembers:
    rows = session.execute(
        select(Membership.role, Membership.status, Person)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.trajectory_id == trajectory_id)
        .order_by(Person.first_name, Person.last_name, Person.id)
    ).all()
    joined = [(role, person) for role, status, person in rows if status == JOINED]
    names = None
    if with_names:
        names = tuple(person_record(person).display_name for _, person in joined)
    return ReportMembers(
        joined=len(joined),
        moderators=sum(1 for role, _ in joined if role == MODERATOR),
        left=sum(1 for _, status, _ in rows if status == LEFT),
        names=names,
    )


def _themes(session: Session, trajectory_id: int) -> tuple[ReportTheme, ...]:
    rows = session.scalars(
        select(Theme)
        .where(Theme.trajectory_id == trajectory_id, Theme.status.in_(SHOWN_THEMES))
        .order_by(Theme.position)
    ).all()
    positions = {
        theme_id: position
        for theme_id, position in session.execute(
            select(Theme.id, Theme.position).where(Theme.trajectory_id == trajectory_id)
        )
    }
    sdgs: dict[int, list[int]] = {}
    for theme_id, sdg in session.execute(
        select(ThemeSdg.theme_id, ThemeSdg.sdg)
        .join(Theme, Theme.id == ThemeSdg.theme_id)
        .where(Theme.trajectory_id == trajectory_id)
        .order_by(ThemeSdg.sdg)
    ):
        sdgs.setdefault(theme_id, []).append(sdg)
    return tuple(
        ReportTheme(
            position=row.position,
            name=row.name,
            description=row.description,
            status=row.status,
            sdgs=tuple(sdgs.get(row.id, ())),
            maturity=row.maturity,
            parent_position=positions.get(row.parent_id) if row.parent_id is not None else None,
        )
        for row in rows
    )


def _rounds(session: Session, trajectory_id: int) -> tuple[ReportRound, ...]:
    positions = dict(
        session.execute(select(Theme.id, Theme.position).where(Theme.trajectory_id == trajectory_id)).all()
    )
    out = []
    for round_ in voting.closed_rounds(session, trajectory_id):
        result = voting.results(session, round_.id)
        outcome = result.outcome
        highlighted = tuple(outcome.chosen or outcome.next_in_play) if outcome is not None else ()
        out.append(
            ReportRound(
                number=round_.number,
                kind=round_.kind,
                members=round_.members,
                submitted=result.submitted,
                quorum_needed=result.needed,
                forced=round_.forced,
                w=round_.w,
                tally=result.tally,
                names=dict(result.names or {}),
                positions=positions,
                reached=bool(outcome and outcome.reached),
                chosen=tuple(outcome.chosen) if outcome is not None and outcome.reached else (),
                highlighted=highlighted,
                alpha=round_.alpha,
                sought=round_.sought,
                rule_key=round_.rule_key,
            )
        )
    return tuple(out)


def _goals(session: Session, trajectory_id: int) -> tuple[ReportGoal, ...]:
    rows = session.execute(
        select(Goal, Theme.position, Theme.name)
        .join(Theme, Theme.id == Goal.theme_id)
        .where(Goal.trajectory_id == trajectory_id, Goal.status.in_(SHOWN_GOALS))
        .order_by(Theme.position, Goal.number)
    ).all()
    return tuple(
        ReportGoal(
            number=goal.number,
            theme_position=position,
            theme_name=name,
            status=goal.status,
            specific=goal.specific,
            indicator=goal.indicator,
            baseline=goal.baseline,
            target=goal.target,
            owner=goal.owner,
            means=goal.means,
            deadline=goal.deadline,
            milestones=goal.milestones,
            flags=tuple(str(code) for code in _flags(goal.flags)),
            kept_as_is=goal.kept_as_is,
        )
        for goal, position, name in rows
    )


def _flags(text: str | None) -> list[object]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _digests(session: Session, trajectory_id: int, with_names: bool) -> tuple[DialogueDigest, ...]:
    """Every ended dialogue's digest; without names, open answers lose their author too."""
    ids = session.scalars(
        select(Dialogue.id)
        .where(Dialogue.trajectory_id == trajectory_id, Dialogue.ended_at.is_not(None))
        .order_by(Dialogue.ended_at, Dialogue.id)
    ).all()
    out = []
    for dialogue_id in ids:
        found = dialogue.digest(session, dialogue_id)
        if found is None:
            continue
        if not with_names:
            sections = tuple(
                replace(
                    section,
                    answers=tuple(
                        sorted(
                            (replace(answer, author=None) for answer in section.answers),
                            key=lambda a: (a.text.casefold(), a.text),
                        )
                    ),
                )
                for section in found.sections
            )
            found = replace(found, sections=sections)
        out.append(found)
    return tuple(out)


def _evaluation(session: Session, trajectory_id: int) -> ReportEvaluation | None:
    row = session.scalar(select(Evaluation).where(Evaluation.trajectory_id == trajectory_id))
    if row is None:
        return None
    answers: dict[str, list[str]] = {key: [] for key in EVALUATION_QUESTIONS}
    for question, text in session.execute(
        select(EvaluationAnswer.question, EvaluationAnswer.text).where(EvaluationAnswer.evaluation_id == row.id)
    ):
        answers.setdefault(question, []).append(text)
    respondents = session.scalar(
        select(func.count())
        .select_from(EvaluationDelivery)
        .where(EvaluationDelivery.evaluation_id == row.id, EvaluationDelivery.done.is_(True))
    )
    return ReportEvaluation(
        started=True,
        closed=row.closed_at is not None,
        respondents=respondents or 0,
        # Sorted by text: the order says nothing about who answered when.
        answers={key: tuple(sorted(texts, key=lambda t: (t.casefold(), t))) for key, texts in answers.items()},
    )
