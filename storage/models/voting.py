"""Tables of voting rounds, anonymous ballots, deliveries and results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, RandomId, UTCDateTime, random_id, utcnow


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
    """A member's ballot in one round, under a pseudonym: written when the round closes, all of the
    round's ballots in one transaction, in a random order, under random ids (storage/voting/closing.py).
    No timestamp: nothing here says when or in which order anyone voted."""

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("round_id", "pseudonym", name="uq_ballot_round_pseudonym"),)

    id: Mapped[int] = mapped_column(RandomId, primary_key=True, autoincrement=False, default=random_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(64))
    submitted: Mapped[bool] = mapped_column(default=False)


class Score(Base):
    """One score (1-3) on a ballot, with an optional one-line anonymous reason."""

    __tablename__ = "score"

    ballot_id: Mapped[int] = mapped_column(RandomId, ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)


class BallotDelivery(Base):
    """Who was sent a ballot in a round, where it is, and whether they submitted: no scores here
    (while the round is open they are sealed in ``draft_score``)."""

    __tablename__ = "ballot_delivery"

    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    page: Mapped[int] = mapped_column(Integer, default=0)
    submitted: Mapped[bool] = mapped_column(default=False)
    failed: Mapped[bool] = mapped_column(default=False)  # could not be delivered


class DraftScore(Base):
    """One score (and reason) on a member's ballot while the round is open, sealed with the ballot
    secret (method/anonymity.py): person-side, beside the delivery. The close turns the submitted
    ones into ballots (storage/voting/closing.py); these rows are deleted once the round is over."""

    __tablename__ = "draft_score"

    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True)
    sealed: Mapped[str] = mapped_column(Text)  # the score
    reason: Mapped[str] = mapped_column(Text)  # the reason, or a sealed "none": every cell has one


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


class DeadlineRun(Base):
    """A voting round's deadline handled once across instances: the first instance to insert the
    row for (round, deadline) handles it; a claim left by a dead instance is taken over."""

    __tablename__ = "deadline_run"

    round_id: Mapped[int] = mapped_column(ForeignKey("voting_round.id", ondelete="CASCADE"), primary_key=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
