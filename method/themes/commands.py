"""Parsing ``/thema ...``: the moderator's theme edits, in Dutch or English words. No Telegram."""

from __future__ import annotations

import re
from dataclasses import dataclass

ACTIONS = {
    "nieuw": "add", "toevoegen": "add", "add": "add", "new": "add",
    "hernoem": "rename", "rename": "rename",
    "beschrijf": "describe", "beschrijving": "describe", "describe": "describe",
    "verwijder": "remove", "remove": "remove", "delete": "remove",
    "splits": "split", "split": "split",
    "groepeer": "merge", "voeg": "merge", "merge": "merge", "group": "merge",
    "sdg": "sdg", "sdgs": "sdg",
    "voorbeeld": "example", "example": "example",
}


@dataclass(frozen=True)
class ThemeCommand:
    action: str  # show | add | rename | describe | remove | split | merge | sdg | example
    numbers: tuple[int, ...] = ()
    text: str = ""
    parts: tuple[str, ...] = ()
    add: tuple[int, ...] = ()
    drop: tuple[int, ...] = ()


@dataclass(frozen=True)
class CommandProblem:
    code: str  # usage | number | text | sdg


def _number(word: str) -> int | None:
    word = word.lstrip("#").rstrip(".,")
    return int(word) if word.isascii() and word.isdigit() and len(word) <= 6 else None


def parse_theme_command(text: str) -> ThemeCommand | CommandProblem:
    """``text`` is what follows ``/thema``."""
    words = text.split()
    if not words:
        return CommandProblem("usage")
    first = _number(words[0])
    if first is not None and len(words) == 1:
        return ThemeCommand("show", (first,))
    action = ACTIONS.get(words[0].lower())
    if action is None:
        return CommandProblem("usage")
    rest = text.split(None, 1)[1] if len(words) > 1 else ""
    if action == "add":
        return ThemeCommand("add", text=rest.strip()) if rest.strip() else CommandProblem("text")
    if action == "merge":
        match = re.match(r"^\s*((?:#?\d+\s*[,;&]\s*|#?\d+\s+(?=#?\d))+#?\d+)\s*(.*)$", rest, re.S)
        if not match:
            return CommandProblem("number")
        numbers = tuple(int(n) for n in re.findall(r"\d+", match.group(1)))
        if len(set(numbers)) < 2:
            return CommandProblem("number")
        return ThemeCommand("merge", numbers, text=match.group(2).strip()) if match.group(2).strip() else CommandProblem("text")
    head, _, tail = rest.strip().partition(" ")
    number = _number(head)
    if number is None:
        return CommandProblem("number")
    tail = tail.strip()
    if action == "remove":
        return ThemeCommand("remove", (number,)) if not tail else CommandProblem("usage")
    if action == "sdg":
        add, drop = [], []
        for token in tail.replace(",", " ").split():
            sign, value = (token[0], token[1:]) if token[0] in "+-" else ("+", token)
            value = value.lower().removeprefix("sdg")
            if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 17:
                return CommandProblem("sdg")
            (add if sign == "+" else drop).append(int(value))
        return ThemeCommand("sdg", (number,), add=tuple(add), drop=tuple(drop)) if add or drop else CommandProblem("sdg")
    if not tail:
        return CommandProblem("text")
    if action == "split":
        parts = tuple(p.strip() for p in re.split(r"[;\n]", tail) if p.strip())
        return ThemeCommand("split", (number,), parts=parts) if parts else CommandProblem("text")
    return ThemeCommand(action, (number,), text=tail)
