"""Voting rounds, by topic: opening and progress (rounds), filling in a ballot (casting), closing
with frozen results (closing), consensus and parked themes (consensus).

Nobody's person and ballot meet in one row or one transaction: while a round is open a member's
scores are sealed in their own delivery row (storage/voting/casting.py), and the ballots are
written at the close, all at once, under random ids. The only places that join a person to their
scores are :func:`storage.ballot_deliveries.own_scores` (a member's own feedback), :func:`storage.ballots.ballot_view` and /mijngegevens, each to
show a member their own ballot, with the ballot secret. Messages to the group and exports get
figures per theme, and ballots under pseudonyms only where enough people voted.
"""

from storage.voting.casting import MAX_REASON, erase_drafts, opened, own_cells, record_reason, submit
from storage.voting.closing import close, export_rows, names_by_id, results
from storage.voting.consensus import confirm_consensus, last_proposal, parked, themes_by_position
from storage.voting.rounds import (
    ROUND_THEMES,
    all_submitted,
    ballot_themes,
    cancel,
    candidate_theme_ids,
    change_settings,
    claim_progress_text,
    closed_rounds,
    ensure_delivery,
    extend,
    get_round,
    joined_members,
    names_of,
    next_round_plan,
    open_round,
    open_round_of,
    open_rounds_with_deadline,
    progress,
    quorum_needed,
    round_by_number,
    round_record,
    round_themes,
    set_delivery,
    set_progress_message,
    settings,
    successors,
)

__all__ = [
    "MAX_REASON",
    "ROUND_THEMES",
    "all_submitted",
    "ballot_themes",
    "cancel",
    "candidate_theme_ids",
    "change_settings",
    "claim_progress_text",
    "close",
    "closed_rounds",
    "confirm_consensus",
    "ensure_delivery",
    "erase_drafts",
    "export_rows",
    "extend",
    "get_round",
    "joined_members",
    "last_proposal",
    "names_by_id",
    "names_of",
    "next_round_plan",
    "open_round",
    "open_round_of",
    "open_rounds_with_deadline",
    "parked",
    "progress",
    "quorum_needed",
    "record_reason",
    "results",
    "round_by_number",
    "round_record",
    "round_themes",
    "set_delivery",
    "set_progress_message",
    "settings",
    "submit",
    "successors",
    "themes_by_position",
    "opened",
    "own_cells",
]
