"""Parsing the moderator's words for the voting settings and for /consensus. No Telegram here."""

from __future__ import annotations

import re
from dataclasses import dataclass

RULE_WORDS = {
    "standaard": "default", "default": "default",
    "meerderheid": "majority", "majority": "majority",
    "gemiddelde": "top_mean", "average": "top_mean", "mean": "top_mean", "top": "top_mean",
}
ON = {"aan", "ja", "on", "yes"}
OFF = {"uit", "nee", "off", "no"}


@dataclass(frozen=True)
class SettingChange:
    name: str  # sought | rule_key | quorum_pct | close_when_all_voted
    value: object


def parse_setting(words: list[str]) -> SettingChange | None:
    """``aantal 4`` / ``number 4``, ``regel meerderheid``, ``quorum 60``, ``automatisch aan``."""
    if len(words) != 2:
        return None
    key, value = words[0].lower(), words[1].lower().rstrip("%")
    if key in {"aantal", "number", "count"} and value.isascii() and value.isdigit() and 1 <= int(value) <= 10:
        return SettingChange("sought", int(value))
    if key in {"regel", "rule"} and value in RULE_WORDS:
        return SettingChange("rule_key", RULE_WORDS[value])
    if key == "quorum" and value.isascii() and value.isdigit() and 1 <= int(value) <= 100:
        return SettingChange("quorum_pct", int(value))
    if key in {"automatisch", "automatic", "auto"} and value in ON | OFF:
        return SettingChange("close_when_all_voted", value in ON)
    return None


def parse_numbers(text: str) -> list[int] | None:
    """``1, 4 7`` or ``#1 #4`` -> [1, 4, 7]; None when anything else is in the way."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    numbers = []
    for part in parts:
        part = part.lstrip("#")
        if not (part.isascii() and part.isdigit()) or len(part) > 6:
            return None
        numbers.append(int(part))
    return numbers or None
