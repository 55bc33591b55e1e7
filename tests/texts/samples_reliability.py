"""Sample contexts for the reliability templates (database away, undelivered messages, moderators)."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.records import UndeliveredRecord
from tests.texts.samples_core import ANNE, BART, NAMELESS, TRAJECTORY, USER

_AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

SAMPLES: dict[str, list[dict[str, object]]] = {
    "common/try_again": [{}],
    "common/edit_ignored": [{}],
    "members/moderator_took_over": [{"person": USER}],
    "members/moderator_left": [
        {"person": USER, "remaining": [ANNE], "pick": False},
        {"person": USER, "remaining": [ANNE, BART], "pick": False},
        {"person": USER, "remaining": [], "pick": False},
        {"person": USER, "remaining": [], "pick": True},
    ],
    "delivery/undelivered": [
        {
            "trajectory": TRAJECTORY,
            "missed": [
                UndeliveredRecord("Anne <b>Peeters</b>", "ballot", "blocked", _AT),
                UndeliveredRecord("Bart", "dream_template", "server_error", _AT),
                UndeliveredRecord("Chris", "feedback", "timeout", _AT),
                UndeliveredRecord("Dirk", "invitation", "flood", _AT),
                UndeliveredRecord("Els", "other", "refused", _AT),
            ],
        },
        {"trajectory": NAMELESS, "missed": [UndeliveredRecord("Bart", "ballot", "refused", _AT)]},
        {"trajectory": TRAJECTORY, "missed": [UndeliveredRecord("", "announce", "timeout", _AT), UndeliveredRecord("", "progress", "server_error", _AT)]},
    ],
}
