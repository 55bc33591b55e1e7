"""Sample contexts for the foundation's templates (onboarding, joining, members, help, ...)."""

from __future__ import annotations

from datetime import UTC, datetime

from method.progress import Facts, progress
from storage.records import MemberRecord, PersonRecord, TelegramUser, TrajectoryRecord

TRAJECTORY = TrajectoryRecord(1, -100, "MVO <kopgroep>", "Gemeente Zottegem & OCMW", "nl", "Europe/Brussels", "tok", "setup", True)
NAMELESS = TrajectoryRecord(2, -101, "Groep", None, "nl", "Europe/Brussels", "tok2", "setup", True)
ANNE = PersonRecord(1, 1001, "Anne", "<b>Peeters</b>", "annep", None, True, 1)
BART = PersonRecord(2, 1002, "Bart", None, None, None, False, None)
JOINED = [
    MemberRecord(ANNE, "moderator", "joined", datetime(2026, 11, 26, 13, 5, tzinfo=UTC)),
    MemberRecord(BART, "member", "joined", None),
]
USER = TelegramUser(1001, "Anne & co")

# One or more sample contexts per template: a new template needs an entry here.
SAMPLES: dict[str, list[dict[str, object]]] = {
    "onboarding/welcome": [{"moderator": USER}],
    "onboarding/welcome_back": [{}],
    "onboarding/ask_organisation": [{"moderator": USER}],
    "onboarding/organisation_set": [{"organisation": "Gemeente <Zottegem>"}],
    "onboarding/organisation_invalid": [{"reason": "empty", "limit": 200}, {"reason": "long", "limit": 200}],
    "onboarding/not_registered": [{}],
    "onboarding/admin_needed": [{}],
    "joining/joined": [
        {"person": ANNE, "trajectory": TRAJECTORY, "other_groups": 0},
        {"person": BART, "trajectory": NAMELESS, "other_groups": 2},
    ],
    "joining/already_joined": [{"trajectory": TRAJECTORY}, {"trajectory": NAMELESS}],
    "joining/bad_token": [{}],
    "joining/invite": [{"trajectory": TRAJECTORY}],
    "members/overview": [
        {"trajectory": TRAJECTORY, "joined": JOINED, "waiting_names": ["Chris", "Dirk"], "waiting_count": 5},
        {"trajectory": NAMELESS, "joined": [], "waiting_names": [], "waiting_count": 1},
        {"trajectory": TRAJECTORY, "joined": JOINED, "waiting_names": [], "waiting_count": 0},
    ],
    "members/moderator_pick": [{}],
    "members/moderator_none": [{}],
    "members/moderator_added": [{"person": USER}],
    "members/moderator_already": [{"person": USER}],
    "members/moderator_not_admin": [{"person": USER}],
    "help/group": [
        {"trajectory": TRAJECTORY, "role": "member"},
        {"trajectory": NAMELESS, "role": None},
    ],
    "help/commands": [{}],
    "help/next_step": [
        {"trajectory": trajectory, "steps": steps, "upcoming": upcoming, "action": action, "open_round": 2}
        for trajectory in (TRAJECTORY, NAMELESS)
        for steps, upcoming in (progress(Facts()), progress(Facts(themes=3, meetings=1)), progress(Facts(*(1,) * 8)))
        for action in ("sluitronde", "volgende", "catalogus", "sessie", "dialoog", "stemronde", "droombeelden", "doelen",
                       "rapport", "evaluatie", "afsluiten")
    ],
    "help/private": [
        {"memberships": [], "current": None, "is_moderator": False},
        {"memberships": [(TRAJECTORY, "moderator"), (NAMELESS, "member")], "current": TRAJECTORY, "is_moderator": True},
    ],
    "language/choose": [{"scope": "group"}, {"scope": "private"}],
    "language/changed": [{"scope": "group"}, {"scope": "private"}],
    "language/unknown": [{}],
    "group_choice/choose": [{}],
    "group_choice/chosen": [{"trajectory": TRAJECTORY}],
    "group_choice/only_one": [{"trajectory": TRAJECTORY}, {"trajectory": None}],
    "common/moderator_only": [{}],
    "common/group_only": [{}],
    "common/private_only": [{}],
    "common/error": [{}],
    "common/unknown_command": [{}],
    "common/unexpected_input": [{}],
}

