"""Plain records that query functions return: safe to read after the session has closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from method.progress import Facts


@dataclass(frozen=True)
class TelegramUser:
    """The parts of a Telegram user the bot stores (built from ``telegram.User``)."""

    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None

    @property
    def display_name(self) -> str:
        return shorten_name(" ".join(part for part in (self.first_name, self.last_name) if part))


@dataclass(frozen=True)
class TrajectoryRecord:
    id: int
    chat_id: int
    title: str
    organisation: str | None
    language: str
    timezone: str
    join_token: str
    phase: str
    active: bool


@dataclass(frozen=True)
class PersonRecord:
    id: int
    telegram_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str | None
    reachable: bool
    current_trajectory_id: int | None

    @property
    def display_name(self) -> str:
        return shorten_name(" ".join(part for part in (self.first_name, self.last_name) if part))


@dataclass(frozen=True)
class MemberRecord:
    """A person as a member of one trajectory."""

    person: PersonRecord
    role: str
    status: str
    joined_at: datetime | None

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator"


@dataclass(frozen=True)
class Actor:
    """Who sent an update, seen from one trajectory: the guards' answer."""

    trajectory: TrajectoryRecord | None
    person: PersonRecord | None
    role: str | None
    status: str | None

    @property
    def is_moderator(self) -> bool:
        return self.role == "moderator" and self.status != "left"

    @property
    def is_member(self) -> bool:
        return self.status == "joined"


@dataclass(frozen=True)
class PromptRecord:
    id: int
    trajectory_id: int
    chat_id: int
    kind: str
    person_id: int | None
    message_id: int | None
    payload: str | None


@dataclass(frozen=True)
class PrivateContext:
    """A person in private chat: their groups, and which one their answers go to."""

    person: PersonRecord
    memberships: tuple[tuple[TrajectoryRecord, str], ...]  # (trajectory, role), joined only
    current: TrajectoryRecord | None

    @property
    def needs_choice(self) -> bool:
        return self.current is None and len(self.memberships) > 1


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    trajectory_id: int
    starts_at: datetime | None
    synthesis_message_id: int | None


@dataclass(frozen=True)
class ScanFinding:
    """What the imported MVO-scan says about one theme."""

    name: str
    maturity: float | None
    strengths: str | None
    weaknesses: str | None


@dataclass(frozen=True)
class SynthesisData:
    facts: Facts
    notes: dict[str, str]
    candidate_names: tuple[str, ...]
    scan_findings: tuple[ScanFinding, ...]
    decision: DecisionRecord | None = None  # the council's latest (step 7)


@dataclass(frozen=True)
class VotingSettings:
    sought: int
    rule_key: str
    quorum_pct: int
    close_when_all_voted: bool


@dataclass(frozen=True)
class RoundRecord:
    id: int
    trajectory_id: int
    number: int
    kind: str
    status: str
    rule_key: str
    sought: int
    places: int | None
    quorum_pct: int
    members: int
    close_when_all_voted: bool
    deadline: datetime | None
    progress_message_id: int | None
    forced: bool
    closed_by: str | None
    w: float | None
    outcome: dict | None
    alpha: float | None = None  # Krippendorff's alpha (ordinal), frozen at close


@dataclass(frozen=True)
class BallotTheme:
    id: int
    position: int
    name: str
    description: str | None
    sdgs: tuple[int, ...]


@dataclass(frozen=True)
class BallotView:
    """One member's own ballot, for their eyes only."""

    round: RoundRecord
    trajectory_title: str
    language: str
    themes: tuple[BallotTheme, ...]
    scores: dict[int, int]
    reasons: dict[int, str]
    submitted: bool
    page: int
    message_id: int | None


@dataclass(frozen=True)
class ScorePress:
    """What a score press did: its status, the ballot to redraw (with ok), the presser's language."""

    status: str
    view: BallotView | None
    language: str | None


@dataclass(frozen=True)
class CloseResult:
    """What closing (or re-reading) a round gives: figures per theme, never per person."""

    status: str  # closed | quorum | not_open
    round: RoundRecord | None
    submitted: int = 0
    needed: int = 0
    tally: object | None = None  # method.voting.RoundTally
    w: float | None = None
    change: object | None = None  # method.voting.RoundChange
    outcome: object | None = None  # method.voting.ConsensusOutcome
    names: dict[int, str] | None = None
    reasons: dict[int, list[str]] | None = None
    alpha: float | None = None  # Krippendorff's alpha (ordinal)
    stability: object | None = None  # method.voting.Stability against the previous regular round
    previous_number: int | None = None  # the round ``change`` compares with


@dataclass(frozen=True)
class RoundPlan:
    """What the next round would be, narrowed by the last round's outcome and today's themes."""

    kind: str  # round | tiebreak | decided (a tie that no longer needs a vote)
    theme_ids: tuple[int, ...]
    places: int | None = None  # tie-break: places left to fill
    secured: tuple[int, ...] = ()  # tie-break: chosen already
    chosen: tuple[int, ...] = ()  # decided: the proposal (secured, then the tied themes left)


@dataclass(frozen=True)
class ParkedTheme:
    position: int
    name: str
    last_round: int | None
    mean: float | None
    share_threes: float | None


@dataclass(frozen=True)
class ExportRows:
    ballots: list[tuple]
    figures: list[tuple]


# --- Step 3: the open dialogue and the glossary (storage/dialogue.py, storage/glossary.py) ----


@dataclass(frozen=True)
class QuestionRecord:
    """A reflective question as the group sees it now: ``number`` is its place in the list."""

    id: int
    number: int
    text: str


@dataclass(frozen=True)
class DialogueRecord:
    id: int
    trajectory_id: int
    mode: str  # open | anonymous
    question_id: int | None
    question_message_id: int | None
    started_at: datetime
    ended_at: datetime | None

    @property
    def anonymous(self) -> bool:
        return self.mode == "anonymous"

    @property
    def running(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class DialogueStatus:
    """A dialogue and the question on the table (number ``number`` of ``total``)."""

    dialogue: DialogueRecord
    question: QuestionRecord | None
    total: int


@dataclass(frozen=True)
class QuestionList:
    """The group's questions after a look or a change; ``problem`` says why nothing changed."""

    questions: tuple[QuestionRecord, ...]
    current_id: int | None = None  # the question on the table, while a dialogue runs
    problem: str | None = None  # unknown_number | bad_position | running | too_many
    number: int | None = None  # the question the change was about, at its new place


@dataclass(frozen=True)
class DigestAnswer:
    author: str | None  # None for an anonymous answer
    text: str


@dataclass(frozen=True)
class DigestSection:
    number: int
    question: str
    answers: tuple[DigestAnswer, ...]


@dataclass(frozen=True)
class DialogueDigest:
    """Every question that was put on the table, with its answers: for the group and the report."""

    dialogue: DialogueRecord
    sections: tuple[DigestSection, ...]

    @property
    def answers(self) -> int:
        return sum(len(section.answers) for section in self.sections)


@dataclass(frozen=True)
class DialogueStep:
    """What /dialoog, /volgende or /dialoog stop did."""

    outcome: str  # started | running | no_questions | not_running | next | ended
    status: DialogueStatus | None = None
    previous: DigestSection | None = None  # anonymous answers on the question just closed
    digest: DialogueDigest | None = None


@dataclass(frozen=True)
class AnswerOutcome:
    """What became of a member's message during a dialogue."""

    outcome: str  # noted | invalid | not_open | open_mode | anonymous_mode | choose
    trajectory: TrajectoryRecord | None = None
    number: int | None = None
    choices: tuple[TrajectoryRecord, ...] = ()


@dataclass(frozen=True)
class ParticipationRow:
    person: PersonRecord
    role: str
    status: str
    count: int


@dataclass(frozen=True)
class Participation:
    """Contributions per member in the running dialogue: for the moderator's eyes only."""

    trajectory: TrajectoryRecord
    status: DialogueStatus
    rows: tuple[ParticipationRow, ...]

    @property
    def quiet(self) -> tuple[ParticipationRow, ...]:
        """Members (not moderators) with the fewest contributions: none when all said as much,
        unless that is nothing at all."""
        members = [row for row in self.rows if row.role != "moderator"]
        if not members:
            return ()
        fewest = min(row.count for row in members)
        most = max(row.count for row in members)
        if fewest == most and fewest > 0:
            return ()
        return tuple(row for row in members if row.count == fewest)


@dataclass(frozen=True)
class GlossaryTermRecord:
    id: int
    trajectory_id: int
    key: str
    word: str
    explanation: str


@dataclass(frozen=True)
class ThemeRecord:
    """A candidate theme as the lists and commands show it."""

    id: int
    position: int
    name: str
    description: str | None
    parent_id: int | None
    status: str
    source: str
    maturity: float | None
    strengths: str | None
    weaknesses: str | None
    sdgs: tuple[int, ...]


@dataclass(frozen=True)
class ThemeDetail:
    theme: ThemeRecord
    parent: ThemeRecord | None
    children: tuple[ThemeRecord, ...]
    practices: tuple[str, ...]


# --- Step 5: dream images and reminders (storage/dreams.py, storage/reminders.py) -------------


@dataclass(frozen=True)
class DreamTheme:
    """A chosen theme as the dream-image template shows it."""

    id: int
    position: int
    name: str
    source_code: str | None  # an example theme's code (method/data/examples.yaml): its own example


@dataclass(frozen=True)
class DreamImageRecord:
    id: int
    trajectory_id: int
    theme_id: int
    person_id: int | None
    number: int
    text: str
    processed_text: str | None
    merged_into_id: int | None
    parent_id: int | None
    removed: bool
    published: bool
    author: str | None = None  # only in the moderator's view

    @property
    def shown(self) -> str:
        """The text as the summary will carry it: the moderator's rephrasing, else the member's."""
        return self.processed_text or self.text

    @property
    def active(self) -> bool:
        """Neither merged into another nor left out."""
        return self.merged_into_id is None and not self.removed


@dataclass(frozen=True)
class DreamCollectionRecord:
    id: int
    trajectory_id: int
    started_at: datetime
    reminder_hours: tuple[int, ...]
    published_at: datetime | None


@dataclass(frozen=True)
class NextSession:
    """The planned next session (a meeting row not opened yet)."""

    id: int
    trajectory_id: int
    starts_at: datetime
    ics_sequence: int
    ends_at: datetime | None = None


@dataclass(frozen=True)
class MemberDreams:
    """One member's own template: the chosen themes, their dream images, what they marked done."""

    trajectory: TrajectoryRecord
    person_id: int
    language: str
    themes: tuple[DreamTheme, ...]
    images: dict[int, tuple[DreamImageRecord, ...]]  # theme id -> the member's own, oldest first
    done: frozenset[int]  # theme ids
    collection: DreamCollectionRecord
    next_session: NextSession | None

    @property
    def missing(self) -> tuple[DreamTheme, ...]:
        return tuple(theme for theme in self.themes if theme.id not in self.done)

    @property
    def open(self) -> bool:
        return self.collection.published_at is None

    def theme(self, theme_id: int) -> DreamTheme | None:
        return next((theme for theme in self.themes if theme.id == theme_id), None)


@dataclass(frozen=True)
class DreamOutcome:
    """What a member's action did: ``status`` ok, or why not."""

    status: str  # ok | not_member | not_chosen | closed | not_found | duplicate | too_many
    image: DreamImageRecord | None = None
    count: int = 0  # the member's dream images for that theme afterwards


@dataclass(frozen=True)
class DreamRecipient:
    person_id: int
    telegram_id: int
    name: str
    reachable: bool


@dataclass(frozen=True)
class DreamProgress:
    """The group's progress: counts, and names only for who the bot cannot reach."""

    themes: tuple[DreamTheme, ...]
    members: int
    done: int  # members done with every chosen theme
    images: int
    per_theme: dict[int, int]  # theme id -> dream images
    unreachable: tuple[str, ...]
    not_joined: tuple[str, ...]
    collection: DreamCollectionRecord | None
    next_session: NextSession | None


@dataclass(frozen=True)
class DreamProposalRecord:
    id: int
    first: DreamImageRecord
    second: DreamImageRecord
    score: float
    state: str


@dataclass(frozen=True)
class ProcessingView:
    """Everything the moderator's processing screen shows."""

    trajectory: TrajectoryRecord
    themes: tuple[DreamTheme, ...]
    images: tuple[DreamImageRecord, ...]
    proposals: tuple[DreamProposalRecord, ...]  # still open
    collection: DreamCollectionRecord
    next_session: NextSession | None

    def of_theme(self, theme_id: int) -> tuple[DreamImageRecord, ...]:
        return tuple(image for image in self.images if image.theme_id == theme_id)


@dataclass(frozen=True)
class SummaryItem:
    text: str
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class SummaryTheme:
    """One theme of the processed result: a list of dream images (the source's example)."""

    position: int
    name: str
    items: tuple[SummaryItem, ...]


@dataclass(frozen=True)
class ReminderJob:
    """A reminder row an instance claimed."""

    id: int
    trajectory_id: int
    meeting_id: int | None
    person_id: int
    kind: str
    due_at: datetime


@dataclass(frozen=True)
class ReminderDecision:
    """What to do with a claimed reminder at send time, and what the message needs."""

    action: str  # send | drop | unreachable | skip
    reason: str | None = None
    telegram_id: int | None = None
    name: str = ""
    language: str = "nl"
    trajectory: TrajectoryRecord | None = None
    starts_at: datetime | None = None
    missing: tuple[tuple[DreamTheme, int], ...] = ()  # themes not done, with the member's count
    total_themes: int = 0


# --- Step 7: the report for the council and its decision (storage/report.py, storage/decisions.py) ----


@dataclass(frozen=True)
class DecisionRecord:
    """The council's (college's) answer to the report."""

    outcome: str  # approved | rejected | postponed
    decided_on: date
    body: str | None
    remarks: str | None


@dataclass(frozen=True)
class ReportTheme:
    position: int
    name: str
    description: str | None
    status: str  # candidate | chosen | parked
    sdgs: tuple[int, ...]
    maturity: float | None
    parent_position: int | None  # a sub-theme's parent


@dataclass(frozen=True)
class ReportRound:
    """A closed voting round: its figures per theme (frozen at close), never per person."""

    number: int
    kind: str  # round | tiebreak
    members: int
    submitted: int
    quorum_needed: int
    forced: bool
    w: float | None
    tally: object  # method.voting.RoundTally, in rank order
    names: dict[int, str]  # theme id -> name
    positions: dict[int, int]  # theme id -> number
    reached: bool
    chosen: tuple[int, ...]  # theme ids the round proposed
    highlighted: tuple[int, ...]  # chosen, or still in play after this round
    alpha: float | None = None  # Krippendorff's alpha (ordinal)
    sought: int = 3
    rule_key: str = "default"


@dataclass(frozen=True)
class ReportGoal:
    number: int
    theme_position: int
    theme_name: str
    status: str  # proposed | approved
    specific: str | None
    indicator: str | None
    baseline: str | None
    target: str | None
    owner: str | None
    means: str | None
    deadline: str | None
    milestones: str | None
    flags: tuple[str, ...]
    kept_as_is: bool


@dataclass(frozen=True)
class ReportMembers:
    joined: int
    moderators: int
    left: int
    names: tuple[str, ...] | None  # only when the moderator chose a report with names


@dataclass(frozen=True)
class ReportEvaluation:
    """The closing reflection: anonymous answers per question, sorted by text."""

    started: bool
    closed: bool
    respondents: int  # members who finished
    answers: dict[str, tuple[str, ...]]  # continuity | view | maturity -> texts


@dataclass(frozen=True)
class ReportData:
    """Everything the report for the council shows, read in one unit of work; no clock inside."""

    organisation: str | None
    title: str
    language: str
    timezone: str
    on: date  # the report's date, given by the caller
    with_names: bool
    members: ReportMembers
    themes: tuple[ReportTheme, ...]
    rounds: tuple[ReportRound, ...]
    parked: tuple[ParkedTheme, ...]
    dreams_published: bool | None  # None: no collection started
    dreams: tuple[SummaryTheme, ...]
    goals: tuple[ReportGoal, ...]
    digests: tuple[DialogueDigest, ...]
    decisions: tuple[DecisionRecord, ...]
    evaluation: ReportEvaluation | None

    @property
    def chosen(self) -> tuple[ReportTheme, ...]:
        return tuple(theme for theme in self.themes if theme.status == "chosen")


# --- Step 6: SMART goals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRecord:
    """A goal with its parts as written, the SMART check's codes, and who may see what of it."""

    id: int
    trajectory_id: int
    theme_id: int
    theme_name: str
    theme_position: int
    number: int
    author_id: int | None
    author_name: str | None
    status: str  # draft | proposed | approved | dropped
    specific: str | None
    indicator: str | None
    baseline: str | None
    target: str | None
    owner: str | None
    means: str | None
    deadline: str | None
    milestones: str | None
    flags: tuple[str, ...]
    kept_as_is: bool

    @property
    def parts(self) -> dict[str, str | None]:
        names = ("specific", "indicator", "baseline", "target", "owner", "means", "deadline", "milestones")
        return {name: getattr(self, name) for name in names}


@dataclass(frozen=True)
class GoalOutcome:
    """What happened to a goal: ``ok`` or why not (not_found, not_allowed, decided, incomplete ...)."""

    status: str
    goal: GoalRecord | None = None


@dataclass(frozen=True)
class GoalTheme:
    """A chosen theme in the goals overview: its processed dream images and its goals (no drafts)."""

    id: int
    position: int
    name: str
    dreams: tuple[str, ...]
    goals: tuple[GoalRecord, ...]


@dataclass(frozen=True)
class GoalOverview:
    trajectory: TrajectoryRecord
    themes: tuple[GoalTheme, ...]


# --- Step 8: the closing evaluation -----------------------------------------------------------


@dataclass(frozen=True)
class EvaluationRecord:
    id: int
    trajectory_id: int
    started_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class EvaluationStep:
    """Where one member stands in the evaluation, and the outcome of their last action.

    ``status``: ok | already (that question was handled before) | closed | not_member.
    """

    status: str
    evaluation: EvaluationRecord | None = None
    trajectory: TrajectoryRecord | None = None
    person_id: int | None = None
    language: str = "nl"
    handled: tuple[str, ...] = ()
    next_question: str | None = None
    message_id: int | None = None

    @property
    def done(self) -> bool:
        return self.status in ("ok", "already") and self.next_question is None


@dataclass(frozen=True)
class EvaluationRecipient:
    person_id: int
    telegram_id: int
    name: str
    reachable: bool


@dataclass(frozen=True)
class EvaluationProgress:
    """Counts for the moderator; names only of members the bot cannot reach or who did not join."""

    evaluation: EvaluationRecord | None
    members: int  # members who got (or will get) the questions
    done: int  # handled all three questions
    started: int  # handled one or two
    answers: dict[str, int]  # question key -> number of answers
    unreachable: tuple[str, ...]
    not_joined: tuple[str, ...]

    @property
    def all_done(self) -> bool:
        return self.members > 0 and self.done == self.members


@dataclass(frozen=True)
class EvaluationDigestQuestion:
    key: str  # continuity | view | maturity
    answers: tuple[str, ...]  # in digest order (method/evaluation/digest.py), never arrival order
    weak: bool  # 1 or 2 answers: the author may be recognisable


@dataclass(frozen=True)
class EvaluationDigest:
    """All answers per question, without any person: for the moderator and the report."""

    trajectory: TrajectoryRecord
    evaluation: EvaluationRecord
    members: int
    done: int
    questions: tuple[EvaluationDigestQuestion, ...]

    @property
    def answer_count(self) -> int:
        return sum(len(question.answers) for question in self.questions)


@dataclass(frozen=True)
class UndeliveredRecord:
    """A message that did not reach a member after retries, as the moderator is told about it."""

    name: str
    kind: str
    reason: str
    created_at: datetime


NAME_LIMIT = 64  # characters of a name shown in a message; Telegram allows 64 + 64


def shorten_name(name: str, limit: int = NAME_LIMIT) -> str:
    """A name cut to ``limit`` characters with an ellipsis, so a long one cannot swamp a message."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class InboxItem:
    """One stored webhook update, taken by an instance to process (storage/inbox.py)."""

    update_id: int
    lane: int
    payload: str
    attempts: int
