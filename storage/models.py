"""SQLAlchemy 2 typed models: the tables that hold the domain.

Only ``storage/`` imports this module; the rest of the code gets plain records
(``storage/records.py``) back from the query functions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite has no time zone type)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Trajectory(Base):
    """One steering group: a Telegram group working through the method."""

    __tablename__ = "trajectory"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str] = mapped_column(String(255))
    organisation: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    join_token: Mapped[str] = mapped_column(String(64), unique=True)
    phase: Mapped[str] = mapped_column(String(32), default="setup")
    active: Mapped[bool] = mapped_column(default=True)
    # Voting settings, published before each round (method/voting/consensus.py has the rules).
    sought: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    rule_key: Mapped[str] = mapped_column(String(16), default="default", server_default="default")
    quorum_pct: Mapped[int] = mapped_column(Integer, default=67, server_default="67")
    close_when_all_voted: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the moderator closes the trajectory; the retention job counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once the retention job removed its personal data (storage/privacy.py); claims the row.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Person(Base):
    """A Telegram user the bot knows of."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(64))
    # Language for private chat chosen by the person; empty means: follow their group.
    language: Mapped[str | None] = mapped_column(String(8))
    # Private chat opened (the bot may write to them) and not blocked since.
    reachable: Mapped[bool] = mapped_column(default=False)
    # The group a private answer belongs to when the person sits in several.
    current_trajectory_id: Mapped[int | None] = mapped_column(
        ForeignKey("trajectory.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by /vergeetmij: the row stays as a tombstone (names blanked, telegram_id a unique
    # negative number) so its id, part of ballot pseudonyms, is never given to someone else.
    forgotten_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Membership(Base):
    """A person's place in one steering group."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("trajectory_id", "person_id", name="uq_membership_trajectory_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")  # moderator | member
    # seen: in the Telegram group, not yet joined through "Doe mee"; joined; left.
    status: Mapped[str] = mapped_column(String(16), default="seen")
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Prompt(Base):
    """A question the bot asked and still waits for: conversation state lives here, not in memory."""

    __tablename__ = "prompt"
    __table_args__ = (UniqueConstraint("chat_id", "kind", name="uq_prompt_chat_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    # Who may answer: a person, or any moderator of the trajectory when empty.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- Steps 1-3: candidate themes, the opening synthesis, the open dialogue -------------------


class Theme(Base):
    """A candidate theme of a trajectory; sub-themes point to their parent."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    # The number members see and type (#3); kept when others are removed.
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    # candidate | chosen | parked | removed | merged
    status: Mapped[str] = mapped_column(String(16), default="candidate")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    # Where it came from: sdg | iso26000 | examples (catalogue) | scan (import) | manual
    source: Mapped[str] = mapped_column(String(16), default="manual")
    source_code: Mapped[str | None] = mapped_column(String(64))
    maturity: Mapped[float | None] = mapped_column()
    strengths: Mapped[str | None] = mapped_column(Text)
    weaknesses: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ThemeSdg(Base):
    """A theme's link to one of the 17 SDGs."""

    __tablename__ = "theme_sdg"

    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    sdg: Mapped[int] = mapped_column(Integer, primary_key=True)


class GoodPractice(Base):
    """A good-practice example the moderator attached to a theme."""

    __tablename__ = "good_practice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrajectoryNote(Base):
    """The moderator's short notes for the synthesis: lokale foto, scan strengths, agenda, ..."""

    __tablename__ = "trajectory_note"

    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Meeting(Base):
    """A session of the steering group, opened with /sessie."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when given ("19u30-21u")
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    synthesis_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Bumped each time the planned date changes, so calendars update the invitation (.ics).
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Question(Base):
    """A reflective question of the open dialogue, per trajectory (editable by the moderator)."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    removed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Dialogue(Base):
    """One run of the open dialogue: its mode and the question on the table."""

    __tablename__ = "dialogue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16), default="open")  # open | anonymous
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="SET NULL"))
    question_message_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Contribution(Base):
    """A member's answer to a dialogue question (in the group, or privately when anonymous)."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    # Emptied when the member asks to be forgotten; the text stays, unlinked.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GlossaryTerm(Base):
    """A term the moderator added or explained differently for this group (/begrip)."""

    __tablename__ = "glossary_term"
    __table_args__ = (UniqueConstraint("trajectory_id", "key", name="uq_glossary_term_trajectory_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))  # normalised for lookup
    word: Mapped[str] = mapped_column(String(80))
    explanation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- Step 4: voting rounds ------------------------------------------------------------------
# Anonymity: a ballot carries a pseudonym (an HMAC of round and person under a server-side
# secret, see storage/voting.py), never a person id; ballots are created at a member's first
# press, not in member order, and scores carry no timestamps. Who was sent a ballot and who
# submitted lives apart, in ballot_delivery, without any score.


class VotingRound(Base):
    """One voting round of a trajectory, with the rule that was published before it opened."""

    __tablename__ = "voting_round"
    __table_args__ = (UniqueConstraint("trajectory_id", "number", name="uq_voting_round_trajectory_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="round")  # round | tiebreak
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed | cancelled
    rule_key: Mapped[str] = mapped_column(String(16))
    sought: Mapped[int] = mapped_column(Integer)
    # Places a tie-break round fills (the themes above the tie are already secured).
    places: Mapped[int | None] = mapped_column(Integer)
    quorum_pct: Mapped[int] = mapped_column(Integer)
    members: Mapped[int] = mapped_column(Integer)  # members a ballot was sent to
    close_when_all_voted: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # What the progress message shows now (a digest of its text): an edit never repeats it.
    progress_shown: Mapped[str | None] = mapped_column(String(32))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(16))  # moderator | deadline | all_voted
    forced: Mapped[bool] = mapped_column(default=False)  # closed below quorum on purpose
    w: Mapped[float | None] = mapped_column()  # Kendall's W (secondary figure)
    alpha: Mapped[float | None] = mapped_column()  # Krippendorff's alpha (ordinal), 9 decimals
    outcome: Mapped[str | None] = mapped_column(Text)  # JSON of the consensus outcome


class RoundTheme(Base):
    """A theme in play in a round."""

    __tablename__ = "round_theme"

    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)


class Ballot(Base):
    """A member's ballot in one round, under a pseudonym."""

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("round_id", "pseudonym", name="uq_ballot_round_pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(64))
    submitted: Mapped[bool] = mapped_column(default=False)


class Score(Base):
    """One score (1-3) on a ballot, with an optional one-line anonymous reason."""

    __tablename__ = "score"

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)


class BallotDelivery(Base):
    """Who was sent a ballot in a round, where it is, and whether they submitted: no scores here."""

    __tablename__ = "ballot_delivery"

    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    page: Mapped[int] = mapped_column(Integer, default=0)
    submitted: Mapped[bool] = mapped_column(default=False)
    failed: Mapped[bool] = mapped_column(default=False)  # could not be delivered


class RoundResult(Base):
    """The figures of one theme in a closed round, frozen at close."""

    __tablename__ = "round_result"

    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    votes: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    mean: Mapped[float | None] = mapped_column()
    median: Mapped[float | None] = mapped_column()
    ones: Mapped[int] = mapped_column(Integer)
    twos: Mapped[int] = mapped_column(Integer)
    threes: Mapped[int] = mapped_column(Integer)
    share_threes: Mapped[float] = mapped_column()
    share_ones: Mapped[float] = mapped_column()
    rank: Mapped[int] = mapped_column(Integer)


# --- Step 5: dream images between two sessions, and reminders --------------------------------
# A planned next session is a Meeting row with opened_at NULL. Reminders are rows first: a
# JobQueue tick claims the due ones (SELECT ... FOR UPDATE SKIP LOCKED), so several instances on
# one PostgreSQL database send each reminder once (storage/reminders.py).


class DreamCollection(Base):
    """The collection of dream images of a trajectory, started with /droombeelden."""

    __tablename__ = "dream_collection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Hours before the next session at which members who are not done get a reminder.
    reminder_hours: Mapped[str] = mapped_column(String(64), default="72,24", server_default="72,24")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DreamImage(Base):
    """One dream image of a member for a chosen theme, and what the moderator made of it."""

    __tablename__ = "dream_image"
    __table_args__ = (UniqueConstraint("trajectory_id", "number", name="uq_dream_image_trajectory_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    # Emptied when the person is forgotten; the dream image stays, unlinked.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the moderator's handle: 1, 2, 3 ... per trajectory
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The moderator's processing: a rephrasing, a duplicate merged into another, a sub-item of
    # another (grouping), or left out of the summary.
    processed_text: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("dream_image.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("dream_image.id", ondelete="SET NULL"))
    removed: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=False)


class DreamDone(Base):
    """A member marked a theme as done (nothing more to add)."""

    __tablename__ = "dream_done"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DreamProposal(Base):
    """A likely duplicate the bot proposed (first and second in id order) and the moderator's answer."""

    __tablename__ = "dream_proposal"
    __table_args__ = (UniqueConstraint("first_id", "second_id", name="uq_dream_proposal_first_second"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("dream_image.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(ForeignKey("dream_image.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column()
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | accepted | rejected
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Reminder(Base):
    """One reminder to one member: pending, claimed by an instance, sending, then sent,
    dropped (no longer useful) or failed (Telegram refused, or the outcome is unknown)."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id", "kind", "due_at", name="uq_reminder_meeting_person_kind_due"),
        Index("ix_reminder_state_due_at", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    # The session it prepares; empty for a reminder the moderator sent with no session planned.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # auto (hours before the session) | manual (/herinner)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(32))  # why dropped or failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- Steps 6-8: SMART goals, the council's decision, the closing evaluation -------------------


class Goal(Base):
    """A goal for a chosen theme, built one SMART letter at a time.

    The parts are free text as the author wrote them; ``flags`` holds the codes the SMART check
    raised (JSON list, e.g. ``["no_number", "vague_verb"]``), kept visible even when the author
    keeps the goal as it is (``kept_as_is``).
    """

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("trajectory_id", "number", name="uq_goal_trajectory_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the group's handle: 1, 2, 3 ... per trajectory
    # Unlinked by /vergeetmij and the retention job; the goal itself stays.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    # draft (being written) | proposed (by a member, waiting) | approved | dropped
    status: Mapped[str] = mapped_column(String(16), default="draft")
    specific: Mapped[str | None] = mapped_column(Text)  # S: what exactly, for whom
    indicator: Mapped[str | None] = mapped_column(Text)  # M: what is measured
    baseline: Mapped[str | None] = mapped_column(Text)  # M: start value
    target: Mapped[str | None] = mapped_column(Text)  # M: target value
    owner: Mapped[str | None] = mapped_column(Text)  # A: who owns it, which service, support
    means: Mapped[str | None] = mapped_column(Text)  # R: means, people, budget
    deadline: Mapped[str | None] = mapped_column(Text)  # T: deadline as written
    milestones: Mapped[str | None] = mapped_column(Text)  # T: milestones
    flags: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    kept_as_is: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # approved or dropped


class CouncilDecision(Base):
    """The council's (college's) answer to the report: green light or not, when, remarks."""

    __tablename__ = "council_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # approved | rejected | postponed
    decided_on: Mapped[date] = mapped_column(Date)  # a calendar day, no time zone
    body: Mapped[str | None] = mapped_column(String(120))  # e.g. "college van burgemeester en schepenen"
    remarks: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Evaluation(Base):
    """The closing reflection (step 8), sent to every member privately."""

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EvaluationAnswer(Base):
    """One anonymous answer: no person, like a ballot's reasons."""

    __tablename__ = "evaluation_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(16))  # continuity | view | maturity
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EvaluationDelivery(Base):
    """Who got the questions and how far they are, without what they wrote."""

    __tablename__ = "evaluation_delivery"

    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    answered: Mapped[str] = mapped_column(String(64), default="", server_default="")  # "continuity,view"
    done: Mapped[bool] = mapped_column(default=False)
    failed: Mapped[bool] = mapped_column(default=False)  # could not be delivered


class Undelivered(Base):
    """A message Telegram would not take after retries: who missed what, until the moderator is told."""

    __tablename__ = "undelivered"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))  # ballot | dream_template | feedback | invitation | ...
    reason: Mapped[str] = mapped_column(String(32))  # blocked | refused | server_error | timeout | flood
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the moderator was told


# --- Scale-out: several instances on one PostgreSQL database ----------------------------------


class InboundUpdate(Base):
    """An update Telegram pushed to the webhook, stored before it is acknowledged.

    The primary key is Telegram's update_id, so a retried push is stored once. Updates of one
    ``lane`` (the chat, else the user) are processed one at a time in update_id order by whichever
    instance holds the lane (bot/inbox.py); ``done_at`` marks them processed, and done rows are
    pruned once Telegram can no longer retry them.
    """

    __tablename__ = "inbound_update"
    __table_args__ = (Index("ix_inbound_update_done_at_lane", "done_at", "lane", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    lane: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)  # the update's JSON as Telegram sent it
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16))  # processed | gave_up


class DeadlineRun(Base):
    """A voting round's deadline handled once across instances: the first instance to insert the
    row for (round, deadline) handles it; a claim left by a dead instance is taken over."""

    __tablename__ = "deadline_run"

    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), primary_key=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InstanceSetting(Base):
    """A value every instance on this database must agree on (e.g. the ballot key's fingerprint)."""

    __tablename__ = "instance_setting"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


# --- The meeting room's screen ----------------------------------------------------------------


class ScreenLink(Base):
    """A link to a group's presenter view (/scherm): the only key to that page, until it expires
    or the moderator stops it. Only a hash of the link's random part is kept (method/screen_link.py)."""

    __tablename__ = "screen_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# --- What the bot sends on its own initiative ---------------------------------------------------


class OutboxMessage(Base):
    """A message the bot owes someone, written in the same transaction as what causes it.

    The sender (bot/outbox.py) drains these fairly across ``lane`` (the trajectory, else the chat)
    and deletes a row once Telegram took it (or once it is given up and recorded in
    ``undelivered``), so the table only holds what is still owed. A ballot or a member's feedback
    has no ``text``: it is drawn from the database when it goes, so no score waits here next to a
    chat id.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_chat_id_id", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lane: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)  # the forum topic, when there is one
    kind: Mapped[str] = mapped_column(String(32))  # announce | progress | ballot | notice | ...
    trajectory_id: Mapped[int | None] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text)  # Telegram HTML, for kinds drawn when queued
    markup: Mapped[str | None] = mapped_column(Text)  # the inline keyboard as JSON
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
