"""The parts of a goal and the SMART letter each belongs to, in the order the bot asks them."""

from __future__ import annotations

LETTERS = ("S", "M", "A", "R", "T")
# (letter, part) in asking order; the part names are the columns of the ``goal`` table.
QUESTIONS = (
    ("S", "specific"),
    ("M", "indicator"),
    ("M", "baseline"),
    ("M", "target"),
    ("A", "owner"),
    ("R", "means"),
    ("T", "deadline"),
    ("T", "milestones"),
)
PARTS = tuple(part for _, part in QUESTIONS)
OPTIONAL = frozenset({"milestones"})  # may stay empty without a flag
SKIP = frozenset({"-", "–", "—", "nvt", "n.v.t.", "n/a", "skip", "?"})  # "nothing to say here"


def letter_of(part: str) -> str:
    return next(letter for letter, name in QUESTIONS if name == part)


def parts_of(letter: str) -> tuple[str, ...]:
    return tuple(name for own, name in QUESTIONS if own == letter)


def next_part(part: str, *, letter_only: bool = False) -> str | None:
    """The question after ``part``; with ``letter_only`` only within the same letter (adjusting one letter)."""
    index = PARTS.index(part)
    if index + 1 >= len(PARTS):
        return None
    following = PARTS[index + 1]
    if letter_only and letter_of(following) != letter_of(part):
        return None
    return following


def first_open(parts: dict[str, str | None]) -> str | None:
    """The first question without an answer yet: where a member continues after a pause or restart."""
    return next((part for part in PARTS if parts.get(part) is None), None)


def is_skip(text: str) -> bool:
    return text.strip().casefold() in SKIP
