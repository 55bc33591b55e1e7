"""Sample contexts for the candidate-theme templates."""

from __future__ import annotations

from method.themes.scan_rows import ERROR_CODES, ScanError
from storage.records import TelegramUser, ThemeDetail, ThemeRecord, TrajectoryRecord

TRAJECTORY = TrajectoryRecord(1, -100, "Kopgroep", "Gemeente Zottegem", "nl", "Europe/Brussels", "tok", "setup", True)


def theme(position: int, name: str, **changes: object) -> ThemeRecord:
    values = dict(id=position, position=position, name=name, description=None, parent_id=None, status="candidate", source="manual",
                  maturity=None, strengths=None, weaknesses=None, sdgs=())
    values.update(changes)
    return ThemeRecord(**values)  # type: ignore[arg-type]


THEMES = [
    theme(1, "Duurzaam aankopen", sdgs=(8, 12), maturity=2.5),
    theme(2, "Overheidsopdrachten <&>", parent_id=1),
    theme(3, "Toegankelijkheid", status="chosen"),
    theme(4, "Mobiliteit", status="parked"),
]
DETAIL = ThemeDetail(
    theme=theme(1, "Duurzaam aankopen", description="Sociale en <milieu> criteria", sdgs=(12,), maturity=2.5, strengths="Eerste ervaringen", weaknesses="Versnipperd"),
    parent=None, children=(THEMES[1],), practices=("Gent: aankoopcharter", "Leuven <x>"),
)
CHILD = ThemeDetail(theme=THEMES[1], parent=THEMES[0], children=(), practices=())
PARAMS = {"size": 300000, "max": 200000, "detail": "line 3 <x>", "columns": "a, b", "column": "kleur", "position": 4, "field": "name",
          "expected": 7, "found": 9, "name": "Afval", "first_line": 2, "length": 130, "value": "19", "min": 0, "count": 120,
          "shown": 50, "filename": "scan.xlsx"}

SAMPLES: dict[str, list[dict[str, object]]] = {
    "themes/ask_text": [
        {"action": action, "numbers": (3, 5), "moderator": TelegramUser(1001, "Anne <A>")}
        for action in ("ren", "desc", "split", "merge", "ex")
    ],
    "themes/merge_pick": [{"position": 3, "none": False}, {"position": 3, "none": True}],
    "themes/list": [
        {"themes": THEMES, "trajectory": TRAJECTORY, "is_moderator": True},
        {"themes": [], "trajectory": TRAJECTORY, "is_moderator": True},
        {"themes": [], "trajectory": TRAJECTORY, "is_moderator": False},
    ],
    "themes/detail": [{"d": DETAIL, "sdgs": [(12, "Verantwoorde consumptie en productie")]}, {"d": CHILD, "sdgs": []}],
    "themes/usage": [{}],
    "themes/catalogue_pick": [{}],
    "themes/catalogue_added": [{"added": 17, "skipped": 0, "catalogue": "SDG's"}, {"added": 1, "skipped": 1, "catalogue": "ISO 26000"}, {"added": 0, "skipped": 3, "catalogue": "X"}],
    "themes/changed": [
        {"action": action, "position": 3, "name": "Nieuw <b>", "numbers": [7, 8], "sdgs": sdgs}
        for action in ("add", "rename", "describe", "remove", "split", "merge", "sdg", "example") for sdgs in ((), (3, 7))
    ],
    "themes/problem": [{"code": code, "limit": 120} for code in ("usage", "number", "text", "sdg", "unknown", "exists", "voting", "long", "empty", "other")],
    "themes/remove_confirm": [{"theme": THEMES[0]}],
    "themes/sdg_pick": [{"theme": THEMES[0]}],
    "themes/import_prompt": [{}],
    "themes/import_done": [{"themes": 15, "subs": 4, "links": 20}, {"themes": 1, "subs": 1, "links": 1}],
    "themes/import_errors": [
        {"errors": [ScanError(None if code in ("too_large", "empty_file") else 3, code, PARAMS) for code in sorted(ERROR_CODES)]},
        {"errors": [ScanError(2, "missing_name", {})]},
    ],
    "themes/import_refused": [{"reason": "not_file"}, {"reason": "too_large"}],
}
