"""Sample contexts for export, restore and privacy (bot/templates/<lang>/data/)."""

from __future__ import annotations

from method.portability.archive import ArchiveError

CODES = (
    "not_zip",
    "no_manifest",
    "too_large",
    "missing_table",
    "count_mismatch",
    "broken_link",
    "duplicate_id",
    "bad_value",
    "bad_row",
    "bad_table",
    "bad_json",
    "not_empty",
    "not_file",
    "broken",
    "not_signed",
)
COUNTS = {"theme": 12, "voting_round": 2, "contribution": 31, "dream_image": 40, "goal": 5, "membership": 9}

SAMPLES: dict[str, list[dict[str, object]]] = {
    "data/export_sent": [{"name": "Anne <A>"}],
    "data/export_unreachable": [{}],
    "data/restore_prompt": [{}],
    "data/restore_not_fresh": [{}],
    "data/restore_refused": [
        *({"code": code, "detail": {}} for code in CODES),
        {"code": "version", "detail": ArchiveError("version", {"found": "7", "expected": 1}).detail},
        {"code": "broken_link", "detail": {"table": "score", "row": 3, "column": "theme_id"}},
        {"code": "missing_table", "detail": {"table": "goal"}},
    ],
    "data/restore_done": [
        {"counts": COUNTS, "organisation": "Gemeente <Zottegem>"},
        {"counts": COUNTS, "organisation": None},
        {"counts": dict.fromkeys(COUNTS, 1), "organisation": None},  # singular everywhere
    ],
    "data/my_data": [
        {
            "person": {"first_name": "Anne", "last_name": "Peeters", "username": "anne_p"},
            "counts": {
                "membership": 1,
                "contribution": 3,
                "ballot": 2,
                "goal.author_id": 1,
                "groups": 1,
                "new_table": 4,
            },
        },
        {"person": {"first_name": "Bart", "last_name": None, "username": None}, "counts": {}},
    ],
    "data/my_data_none": [{}],
    "data/forget_confirm": [{}],
    "data/forget_refused": [
        {"status": "sole_moderator", "groups": ("Kopgroep MVO", "Kopgroep <OCMW>")},
        {"status": "open_round", "groups": ("Kopgroep MVO",)},
        {"status": "unknown", "groups": ()},
    ],
    "data/forgotten": [{}],
    "data/forget_kept": [{}],
}
