"""SQLAlchemy 2 typed models: the tables that hold the domain, one module per topic.

Only ``storage/`` imports this package; the rest of the code gets plain records
(``storage/records/``) back from the query functions. Everything is re-exported here.
"""

from __future__ import annotations

from storage.models.base import NAMING, Base, RandomId, UTCDateTime, random_id, utcnow
from storage.models.delivery import (
    InboundUpdate,
    InstanceSetting,
    OutboxMessage,
    Undelivered,
)
from storage.models.dialogue import (
    AnonymousAnswer,
    AnswerCount,
    Contribution,
    Dialogue,
    Question,
)
from storage.models.dreams import (
    DreamCollection,
    DreamDone,
    DreamImage,
    DreamProposal,
    Reminder,
)
from storage.models.evaluation import (
    Evaluation,
    EvaluationAnswer,
    EvaluationDelivery,
)
from storage.models.followup import (
    FollowupAsk,
    FollowupGoal,
    FollowupPlan,
    FollowupReport,
    FollowupRound,
)
from storage.models.goals import (
    Goal,
)
from storage.models.people import (
    Membership,
    Person,
    Prompt,
    Trajectory,
)
from storage.models.sessions import (
    CouncilDecision,
    Meeting,
    ScreenLink,
)
from storage.models.themes import (
    GlossaryTerm,
    GoodPractice,
    Theme,
    ThemeSdg,
    TrajectoryNote,
)
from storage.models.voting import (
    Ballot,
    BallotDelivery,
    DeadlineRun,
    DraftScore,
    RoundResult,
    RoundTheme,
    Score,
    VotingRound,
)

__all__ = [
    "OutboxMessage",
    "NAMING",
    "Base",
    "RandomId",
    "UTCDateTime",
    "random_id",
    "utcnow",
    "Trajectory",
    "Person",
    "Membership",
    "Prompt",
    "Theme",
    "ThemeSdg",
    "GoodPractice",
    "TrajectoryNote",
    "GlossaryTerm",
    "Meeting",
    "CouncilDecision",
    "ScreenLink",
    "Question",
    "Dialogue",
    "Contribution",
    "AnonymousAnswer",
    "AnswerCount",
    "VotingRound",
    "RoundTheme",
    "Ballot",
    "Score",
    "BallotDelivery",
    "DraftScore",
    "RoundResult",
    "DeadlineRun",
    "DreamCollection",
    "DreamImage",
    "DreamDone",
    "DreamProposal",
    "Reminder",
    "Goal",
    "Evaluation",
    "EvaluationAnswer",
    "EvaluationDelivery",
    "Undelivered",
    "InboundUpdate",
    "InstanceSetting",
    "FollowupPlan",
    "FollowupGoal",
    "FollowupRound",
    "FollowupAsk",
    "FollowupReport",
]
