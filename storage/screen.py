"""The meeting room's screen: its links, and one look at what the group is doing.

A look (:func:`look`) checks the link and reads, in one unit of work, only what the group chat
already shows: counts, the texts the bot posted, figures per theme. Nothing here reads who
voted what or who wrote an anonymous answer; names of members are never read at all.

Which scene the screen shows follows the group: an open voting round first, then a running
dialogue, otherwise whatever happened last (a session opened, a dialogue ended, a round closed,
dream images published, goals proposed or decided). The moderator may pin another scene.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import Session

from method.screen_link import TokenParts
from storage import answers, dialogue, dream_summary, goals, reminders, synthesis, voting
from storage.convert import trajectory_record
from storage.models import (
    AnonymousAnswer,
    BallotDelivery,
    Contribution,
    CouncilDecision,
    Dialogue,
    DreamCollection,
    DreamImage,
    Evaluation,
    Goal,
    Meeting,
    Question,
    ScreenLink,
    Theme,
    Trajectory,
    TrajectoryNote,
    VotingRound,
)
from storage.records import (
    BallotTheme,
    CloseResult,
    DialogueDigest,
    DialogueStatus,
    DigestSection,
    GoalOverview,
    MeetingRecord,
    NextSession,
    RoundRecord,
    SummaryTheme,
    SynthesisData,
    TrajectoryRecord,
)

# A session lasts an afternoon or an evening: a link works at most this long after it was made.
LINK_HOURS = 12
# Scenes, in the order the screen's menu lists them.
SCENES = ("synthesis", "dialogue", "voting", "results", "dreams", "goals")


@dataclass(frozen=True)
class LinkRecord:
    id: int
    trajectory_id: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class LinkCheck:
    """``ok``; ``unknown`` (no such link: altered or made up); ``stopped`` (/scherm stop);
    ``expired``; ``closed`` (the trajectory was closed)."""

    status: str
    trajectory: TrajectoryRecord | None = None
    expires_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class SceneData:
    """What one scene shows; only the fields of ``scene`` are filled."""

    scene: str  # one of SCENES, or "waiting" when nothing happened yet
    meeting: MeetingRecord | None = None
    synthesis: SynthesisData | None = None
    dialogue: DialogueStatus | None = None  # the running dialogue
    answered: int = 0  # members who answered the question on the table
    shared: DigestSection | None = None  # anonymous answers /volgende shared last
    digest: DialogueDigest | None = None  # the last ended dialogue, without names
    stopped: bool = False  # that dialogue was ended before its last question (/dialoog stop)
    round: RoundRecord | None = None  # the open round
    submitted: int = 0
    themes: tuple[BallotTheme, ...] = ()  # of the open round
    result: CloseResult | None = None  # the last closed round
    chosen: tuple[str, ...] = ()  # after /consensus
    parked: tuple[str, ...] = ()
    dream_themes: tuple[SummaryTheme, ...] = ()
    next_session: NextSession | None = None
    goals: GoalOverview | None = None


@dataclass(frozen=True)
class Look:
    check: LinkCheck
    scenes: tuple[str, ...] = ()  # what the screen can show now
    auto: str = "waiting"  # what it shows when nothing is pinned
    data: SceneData = field(default_factory=lambda: SceneData("waiting"))


# --- links ----------------------------------------------------------------------------------------


def create_link(session: Session, trajectory_id: int, secret_hash: str, now: datetime) -> LinkRecord:
    row = ScreenLink(
        trajectory_id=trajectory_id,
        secret_hash=secret_hash,
        created_at=now,
        expires_at=now + timedelta(hours=LINK_HOURS),
    )
    session.add(row)
    session.flush()
    return LinkRecord(row.id, row.trajectory_id, row.created_at, row.expires_at)


def stop_links(session: Session, trajectory_id: int, now: datetime, *, only: int | None = None) -> int:
    """/scherm stop: every link of the group that still works stops now (or just link ``only``);
    how many did."""
    query = update(ScreenLink).where(
        ScreenLink.trajectory_id == trajectory_id, ScreenLink.stopped_at.is_(None), ScreenLink.expires_at > now
    )
    if only is not None:
        query = query.where(ScreenLink.id == only)
    return session.execute(query.values(stopped_at=now)).rowcount or 0


def check_link(session: Session, parts: TokenParts, now: datetime) -> LinkCheck:
    row = session.get(ScreenLink, parts.link_id)
    if row is None or not hmac.compare_digest(row.secret_hash, parts.secret_hash):
        return LinkCheck("unknown")
    trajectory = session.get_one(Trajectory, row.trajectory_id)
    record = trajectory_record(trajectory)
    if not trajectory.active or trajectory.closed_at is not None:
        return LinkCheck("closed", record, row.expires_at)
    if row.stopped_at is not None:
        return LinkCheck("stopped", record, row.expires_at)
    if row.expires_at <= now:
        return LinkCheck("expired", record, row.expires_at)
    return LinkCheck("ok", record, row.expires_at)


def closed_round(
    session: Session, parts: TokenParts, now: datetime, number: int
) -> tuple[LinkCheck, CloseResult | None]:
    """The figures of the group's closed round ``number`` (for its chart), behind a working link."""
    check = check_link(session, parts, now)
    if not check.ok or check.trajectory is None:
        return check, None
    found = voting.round_by_number(session, check.trajectory.id, number)
    if found is None or found.status != "closed":
        return check, None
    return check, voting.results(session, found.id)


def glance(session: Session, parts: TokenParts, now: datetime) -> tuple[LinkCheck, tuple]:
    """The link checked, and a mark that changes whenever something a scene shows changes (a
    ballot, a step, an answer, a note, ...): one statement, so an open page that looks every
    second costs little while nothing happens. What has no timestamp to go by (a renamed theme,
    an edited question) is caught by the full look the hub makes now and then anyway."""
    check = check_link(session, parts, now)
    if not check.ok or check.trajectory is None:
        return check, ()
    return check, (check.trajectory, *session.execute(_MARKS, {"trajectory_id": check.trajectory.id}).one())


def _marks() -> Select:
    """The glance's statement, built once (``:trajectory_id`` bound at each look)."""
    t = bindparam("trajectory_id")

    def one(column, *where):  # type: ignore[no-untyped-def]
        return select(column).where(*where).limit(1).scalar_subquery()

    open_round = (VotingRound.trajectory_id == t, VotingRound.status == "open")
    return select(
        one(func.count(VotingRound.id), VotingRound.trajectory_id == t),
        one(func.max(VotingRound.closed_at), VotingRound.trajectory_id == t),
        one(VotingRound.id, *open_round),
        one(VotingRound.members, *open_round),
        one(VotingRound.deadline, *open_round),
        select(func.count())
        .select_from(BallotDelivery)
        .join(VotingRound, VotingRound.id == BallotDelivery.round_id)
        .where(*open_round, BallotDelivery.submitted.is_(True))
        .scalar_subquery(),
        one(func.count(Dialogue.id), Dialogue.trajectory_id == t),
        one(func.max(Dialogue.ended_at), Dialogue.trajectory_id == t),
        one(Dialogue.question_id, Dialogue.trajectory_id == t, Dialogue.ended_at.is_(None)),
        select(func.count())
        .select_from(Contribution)
        .join(Dialogue, Dialogue.id == Contribution.dialogue_id)
        .where(Dialogue.trajectory_id == t)
        .scalar_subquery(),
        # Anonymous answers wait sealed until /volgende (storage/answers.py): counted here too, so
        # the screen's "N members answered" moves with each one.
        select(func.count())
        .select_from(AnonymousAnswer)
        .join(Dialogue, Dialogue.id == AnonymousAnswer.dialogue_id)
        .where(Dialogue.trajectory_id == t)
        .scalar_subquery(),
        one(func.count(Question.id), Question.trajectory_id == t, Question.removed.is_(False)),
        one(func.max(Question.id), Question.trajectory_id == t),
        one(func.max(Meeting.opened_at), Meeting.trajectory_id == t),
        one(func.count(Meeting.id), Meeting.trajectory_id == t),
        one(func.sum(Meeting.ics_sequence), Meeting.trajectory_id == t),  # a planned session moved
        one(func.count(TrajectoryNote.kind), TrajectoryNote.trajectory_id == t),
        one(func.max(TrajectoryNote.updated_at), TrajectoryNote.trajectory_id == t),
        one(func.max(Theme.id), Theme.trajectory_id == t),
        *(
            one(func.count(Theme.id), Theme.trajectory_id == t, Theme.status == status)
            for status in ("candidate", "chosen", "parked")
        ),
        one(DreamCollection.published_at, DreamCollection.trajectory_id == t),
        one(func.count(DreamImage.id), DreamImage.trajectory_id == t, DreamImage.published.is_(True)),
        one(func.count(Goal.id), Goal.trajectory_id == t, Goal.status != "draft"),
        one(func.max(Goal.updated_at), Goal.trajectory_id == t, Goal.status != "draft"),
        one(func.count(CouncilDecision.id), CouncilDecision.trajectory_id == t),
        one(func.count(Evaluation.id), Evaluation.trajectory_id == t, Evaluation.closed_at.is_not(None)),
    )


_MARKS = _marks()


# --- a look -----------------------------------------------------------------------------------------


def look(session: Session, parts: TokenParts, now: datetime, pinned: str | None = None) -> Look:
    """Check the link; when it works, what the screen shows now (``pinned``, when the moderator
    chose a scene that is there, else the scene the group is in)."""
    check = check_link(session, parts, now)
    if not check.ok or check.trajectory is None:
        return Look(check)
    trajectory_id = check.trajectory.id
    moments = _moments(session, trajectory_id)
    scenes = tuple(scene for scene in SCENES if scene in moments)
    auto = _auto(moments)
    shown = pinned if pinned in moments else auto
    return Look(check, scenes, auto, scene_data(session, trajectory_id, shown, now))


def _moments(session: Session, trajectory_id: int) -> dict[str, datetime]:
    """Per scene that has something to show, when it last changed (live scenes: now-ish, on top)."""
    found: dict[str, datetime | None] = {}
    open_round = session.scalar(
        select(VotingRound.opened_at).where(VotingRound.trajectory_id == trajectory_id, VotingRound.status == "open")
    )
    if open_round is not None:
        found["voting"] = datetime.max.replace(tzinfo=open_round.tzinfo)
    running = session.scalar(
        select(Dialogue.started_at).where(Dialogue.trajectory_id == trajectory_id, Dialogue.ended_at.is_(None)).limit(1)
    )
    ended = session.scalar(select(func.max(Dialogue.ended_at)).where(Dialogue.trajectory_id == trajectory_id))
    if running is not None:
        # Second to an open round: a round opened during a dialogue is what the room looks at.
        found["dialogue"] = datetime.max.replace(tzinfo=running.tzinfo) - timedelta(days=1)
    elif ended is not None:
        found["dialogue"] = ended
    found["synthesis"] = session.scalar(
        select(func.max(Meeting.opened_at)).where(Meeting.trajectory_id == trajectory_id)
    )
    found["results"] = session.scalar(
        select(func.max(VotingRound.closed_at)).where(
            VotingRound.trajectory_id == trajectory_id, VotingRound.status == "closed"
        )
    )
    found["dreams"] = session.scalar(
        select(DreamCollection.published_at).where(DreamCollection.trajectory_id == trajectory_id)
    )
    if found["dreams"] is not None:
        goals_changed = session.scalar(
            select(func.max(Goal.updated_at)).where(Goal.trajectory_id == trajectory_id, Goal.status != "draft")
        )
        # Goals come after the dream images; /doelen shows the chosen themes even before the first goal.
        found["goals"] = goals_changed or found["dreams"] - timedelta(microseconds=1)
    return {scene: moment for scene, moment in found.items() if moment is not None}


def _auto(moments: dict[str, datetime]) -> str:
    if not moments:
        return "waiting"
    return max(moments, key=lambda scene: (moments[scene], SCENES.index(scene)))


def scene_data(session: Session, trajectory_id: int, scene: str, now: datetime) -> SceneData:
    """The figures and texts of one scene, from the queries that build the group's messages."""
    if scene == "synthesis":
        meeting = session.scalars(
            select(Meeting)
            .where(Meeting.trajectory_id == trajectory_id, Meeting.opened_at.is_not(None))
            .order_by(Meeting.opened_at.desc(), Meeting.id.desc())
            .limit(1)
        ).first()
        if meeting is None:
            return SceneData("waiting")
        record = MeetingRecord(meeting.id, meeting.trajectory_id, meeting.starts_at, meeting.synthesis_message_id)
        return SceneData(scene, meeting=record, synthesis=synthesis.synthesis_data(session, trajectory_id))
    if scene == "dialogue":
        status = dialogue.status(session, trajectory_id)
        if status is not None:
            answered = (
                answers.answered(session, status.dialogue.id, status.question.id) if status.question is not None else 0
            )
            return SceneData(
                scene, dialogue=status, answered=answered, shared=dialogue.shared_answers(session, trajectory_id)
            )
        digest = dialogue.last_digest(session, trajectory_id)
        if digest is None:
            return SceneData("waiting")
        return SceneData(
            scene, digest=_without_names(digest), stopped=_stopped_early(session, digest.dialogue.question_id)
        )
    if scene == "voting":
        current = voting.open_round_of(session, trajectory_id)
        if current is None:
            return SceneData("waiting")
        submitted, _ = voting.progress(session, current.id)
        return SceneData(
            scene, round=current, submitted=submitted, themes=tuple(voting.round_themes(session, current.id))
        )
    if scene == "results":
        rounds = voting.closed_rounds(session, trajectory_id)
        if not rounds:
            return SceneData("waiting")
        chosen, parked = _consensus(session, trajectory_id)
        return SceneData(scene, result=voting.results(session, rounds[-1].id), chosen=chosen, parked=parked)
    if scene == "dreams":
        published = dream_summary.published_summary(session, trajectory_id, now)
        return SceneData(scene, dream_themes=published or (), next_session=reminders.next_session(session, trajectory_id, now))
    if scene == "goals":
        return SceneData(scene, goals=goals.overview(session, trajectory_id, now))
    return SceneData("waiting")


def _stopped_early(session: Session, question_id: int | None) -> bool:
    """Whether a dialogue ended on a question with others after it (the digest says so)."""
    if question_id is None:
        return False
    question = session.get(Question, question_id)
    if question is None:
        return False
    later = session.scalar(
        select(func.count())
        .select_from(Question)
        .where(
            Question.trajectory_id == question.trajectory_id,
            Question.removed.is_(False),
            Question.position > question.position,
        )
    )
    return bool(later)


def _without_names(digest: DialogueDigest) -> DialogueDigest:
    """The screen shows what was said, never who said it, open answers included."""
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
        for section in digest.sections
    )
    return replace(digest, sections=sections)


def _consensus(session: Session, trajectory_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The chosen and parked themes' names once /consensus was confirmed (both empty before)."""
    rows = session.execute(
        select(Theme.name, Theme.status)
        .where(Theme.trajectory_id == trajectory_id, Theme.status.in_(("chosen", "parked")))
        .order_by(Theme.position)
    ).all()
    chosen = tuple(name for name, status in rows if status == "chosen")
    return (chosen, tuple(name for name, status in rows if status == "parked")) if chosen else ((), ())
