"""The method's three closing questions, and how far a member is with them.

A member's progress is the set of questions they have *handled*: answered or skipped alike, so
the database cannot tell which of their questions carries an (anonymous) answer.
"""

from __future__ import annotations

QUESTIONS = ("continuity", "view", "maturity")  # the order the member gets them in
MAX_ANSWER = 2000  # characters in one answer, as for dialogue answers
CLOSE_WORDS = frozenset({"sluiten", "sluit", "afronden", "stop", "close", "end"})


def parse_handled(stored: str | None) -> tuple[str, ...]:
    """The stored comma list as known question keys, in the method's order (unknown keys dropped)."""
    given = {part.strip() for part in (stored or "").split(",")}
    return tuple(key for key in QUESTIONS if key in given)


def store_handled(handled: tuple[str, ...] | set[str]) -> str:
    return ",".join(key for key in QUESTIONS if key in set(handled))


def next_question(handled: tuple[str, ...] | set[str]) -> str | None:
    """The first question not handled yet; None when the member is done."""
    return next((key for key in QUESTIONS if key not in set(handled)), None)


def number_of(question: str) -> int:
    """1, 2 or 3: the question's place, as the member sees it."""
    return QUESTIONS.index(question) + 1


def command_action(args: list[str]) -> str | None:
    """/evaluatie [sluiten]: "start" (start or show progress), "close", or None (not understood)."""
    if not args:
        return "start"
    if len(args) == 1 and args[0].casefold() in CLOSE_WORDS:
        return "close"
    return None
