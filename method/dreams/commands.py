"""What the moderator types while processing dream images, and the reminder moments. No Telegram.

``parse_edit("3+7")`` merges dream image 7 into 3; ``7 onder 3`` (``7 under 3``) makes 7 a
sub-item of 3; ``3: nieuwe tekst`` rephrases 3 (``3: -`` gives back the member's words);
``7 weg`` (``7 remove``) leaves 7 out; ``7 terug`` (``7 restore``) undoes merge, grouping and
leaving out. ``parse_hours(["72", "24"])`` reads reminder moments in hours (or days: ``3d``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MOMENTS = 5
MAX_HOURS = 30 * 24

_N = r"#?(\d{1,6})"
_MERGE = (
    re.compile(rf"^{_N}\s*[+&]\s*{_N}$"),
    re.compile(rf"^(?:samenvoegen|voeg samen|merge)\s+{_N}\s*(?:en|and|met|with|[+&,])?\s*{_N}$"),
)
_GROUP = (re.compile(rf"^{_N}\s+(?:onder|under)\s+{_N}$"),)
_REPHRASE = re.compile(rf"^{_N}\s*:\s*(.+)$", re.DOTALL)
_REMOVE_WORDS = "weg|schrap|schrappen|verwijder|verwijderen|remove|drop|delete"
_RESTORE_WORDS = "terug|herstel|herstellen|restore|undo|back"
_REMOVE = (re.compile(rf"^{_N}\s+(?:{_REMOVE_WORDS})$"), re.compile(rf"^(?:{_REMOVE_WORDS})\s+{_N}$"))
_RESTORE = (re.compile(rf"^{_N}\s+(?:{_RESTORE_WORDS})$"), re.compile(rf"^(?:{_RESTORE_WORDS})\s+{_N}$"))
_MOMENT = re.compile(r"^(\d{1,4})\s*(u|uur|h|hr|hrs|hour|hours|d|dag|dagen|day|days)?$")
_NONE = {"geen", "none", "uit", "off", "-"}


@dataclass(frozen=True)
class Edit:
    action: str  # merge | group | rephrase | remove | restore
    numbers: tuple[int, ...]
    text: str | None = None  # the new wording (rephrase); None gives back the member's words


def parse_edit(text: str) -> Edit | None:
    """One processing step, or None when the text is not one (then it is not meant for processing)."""
    line = " ".join(text.strip().split()) if "\n" not in text.strip() else text.strip()
    lowered = line.lower()
    for action, patterns in (("merge", _MERGE), ("group", _GROUP), ("remove", _REMOVE), ("restore", _RESTORE)):
        for pattern in patterns:
            match = pattern.match(lowered)
            if match:
                return Edit(action, tuple(int(group) for group in match.groups()))
    match = _REPHRASE.match(line)
    if match:
        wording = match.group(2).strip()
        return Edit("rephrase", (int(match.group(1)),), None if wording == "-" else wording)
    return None


PRESETS: dict[str, tuple[int, ...]] = {
    "standaard": (72, 24),  # the default: three days and one day before
    "week": (168, 24),
    "twee": (48, 2),
    "dag": (24,),
    "geen": (),
}
"""Reminder moments a moderator picks with a button (/herinneringen), by key."""


def parse_hours(words: list[str]) -> tuple[int, ...] | None:
    """Reminder moments in hours before the session, largest first; () for none; None when unclear."""
    text = " ".join(words).lower().replace(",", " ").replace(";", " ")
    text = re.sub(r"(\d)\s+(u|uur|h|hr|hrs|hour|hours|d|dag|dagen|day|days)\b", r"\1\2", text)
    tokens = text.split()
    if len(tokens) == 1 and tokens[0] in _NONE:
        return ()
    if not tokens or len(tokens) > MAX_MOMENTS:
        return None
    hours = set()
    for token in tokens:
        match = _MOMENT.match(token)
        if not match:
            return None
        value = int(match.group(1)) * (24 if (match.group(2) or "h")[0] == "d" else 1)
        if not 1 <= value <= MAX_HOURS:
            return None
        hours.add(value)
    return tuple(sorted(hours, reverse=True))
