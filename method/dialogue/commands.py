"""The moderator's words for /vragen, /dialoog and /begrip, and the checks on answers. No Telegram here.

Each parser takes the text after the command (see :func:`command_rest`) and gives back either a
command or a :class:`Problem` whose ``code`` a template turns into a clear message. Dutch and
English words are accepted alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from method.text_input import CleanText, clean_text
from method.themes.catalogues import fold

MAX_QUESTION = 500  # characters in one reflective question
MAX_QUESTIONS = 30  # questions per group
MAX_ANSWER = 2000  # characters in one answer
MAX_TERM = 60  # characters in a word explained with /begrip
MAX_EXPLANATION = 1000  # characters in the group's own explanation
MAX_TERMS = 100  # the group's own terms

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_NUMBER = re.compile(r"^#?([0-9]{1,4})\.?$")

QUESTION_ACTIONS = {
    "nieuw": "add",
    "toevoegen": "add",
    "voegtoe": "add",
    "add": "add",
    "new": "add",
    "wijzig": "edit",
    "wijzigen": "edit",
    "bewerk": "edit",
    "edit": "edit",
    "change": "edit",
    "verwijder": "remove",
    "verwijderen": "remove",
    "schrap": "remove",
    "remove": "remove",
    "delete": "remove",
    "verplaats": "move",
    "verplaatsen": "move",
    "move": "move",
}
DIALOGUE_ACTIONS = {
    "open": "open",
    "openlijk": "open",
    "anoniem": "anonymous",
    "anonymous": "anonymous",
    "anon": "anonymous",
    "stop": "stop",
    "einde": "stop",
    "sluit": "stop",
    "end": "stop",
}


@dataclass(frozen=True)
class Problem:
    """Why the words could not be used: a code for the template, and the action if known."""

    code: str  # unknown_action | missing_number | bad_number | missing_position | empty | long | no_letters
    action: str | None = None


@dataclass(frozen=True)
class QuestionCommand:
    action: str  # list | add | edit | remove | move
    number: int | None = None
    position: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class DialogueCommand:
    action: str  # open | anonymous | stop


@dataclass(frozen=True)
class TermCommand:
    action: str  # list | lookup | set | remove
    word: str | None = None
    explanation: str | None = None


def command_rest(text: str | None) -> str:
    """What follows ``/command`` or ``/command@bot``; line breaks inside are kept."""
    if not text:
        return ""
    return _COMMAND.sub("", text, count=1).strip()


def _number(word: str) -> int | None:
    """``3``, ``#3`` or ``3.`` -> 3; None for anything else (0, -1, 3a, ¹, ...)."""
    match = _NUMBER.match(word)
    if match is None:
        return None
    value = int(match.group(1))
    return value if value >= 1 else None


def _text(raw: str, action: str, limit: int) -> str | Problem:
    cleaned = clean_text(raw, limit, single_line=True)
    if not cleaned.ok:
        return Problem(cleaned.problem or "empty", action)
    assert cleaned.value is not None
    return cleaned.value


def parse_question_command(rest: str) -> QuestionCommand | Problem:
    """``""`` (list), ``nieuw <tekst>``, ``wijzig <nr> <tekst>``, ``verwijder <nr>``,
    ``verplaats <nr> <positie>``; English: add, edit, remove, move."""
    words = rest.split(maxsplit=1)
    if not words:
        return QuestionCommand("list")
    action = QUESTION_ACTIONS.get(words[0].casefold())
    if action is None:
        return Problem("unknown_action")
    tail = words[1] if len(words) > 1 else ""
    if action == "add":
        text = _text(tail, action, MAX_QUESTION)
        return text if isinstance(text, Problem) else QuestionCommand("add", text=text)
    parts = tail.split(maxsplit=1)
    if not parts:
        return Problem("missing_number", action)
    number = _number(parts[0])
    if number is None:
        return Problem("bad_number", action)
    more = parts[1] if len(parts) > 1 else ""
    if action == "edit":
        text = _text(more, action, MAX_QUESTION)
        return text if isinstance(text, Problem) else QuestionCommand("edit", number=number, text=text)
    if action == "remove":
        if more.strip():
            return Problem("bad_number", action)
        return QuestionCommand("remove", number=number)
    positions = more.split()
    if not positions:
        return Problem("missing_position", action)
    position = _number(positions[0])
    if position is None or len(positions) > 1:
        return Problem("bad_number", action)
    return QuestionCommand("move", number=number, position=position)


def parse_dialogue_command(rest: str) -> DialogueCommand | Problem:
    """``""`` or ``open`` (open mode), ``anoniem``/``anonymous``, ``stop``."""
    words = rest.split()
    if not words:
        return DialogueCommand("open")
    action = DIALOGUE_ACTIONS.get(words[0].casefold())
    if action is None or len(words) > 1:
        return Problem("unknown_action")
    return DialogueCommand(action)


def parse_term_command(rest: str) -> TermCommand | Problem:
    """``""`` (list), ``<woord>`` (explain), ``<woord> = <uitleg>`` (set), ``<woord> =`` (remove)."""
    if not rest.strip():
        return TermCommand("list")
    word_part, equals, explanation_part = rest.partition("=")
    word = clean_text(word_part, MAX_TERM, single_line=True)
    if not word.ok:
        return Problem(word.problem or "empty", "word")
    assert word.value is not None
    if not fold(word.value):
        return Problem("no_letters", "word")
    if not equals:
        return TermCommand("lookup", word=word.value)
    explanation = clean_text(explanation_part, MAX_EXPLANATION)
    if explanation.problem == "long":
        return Problem("long", "explanation")
    if not explanation.ok:
        return TermCommand("remove", word=word.value)
    return TermCommand("set", word=word.value, explanation=explanation.value)


def clean_answer(raw: str | None) -> CleanText:
    """An answer to a question: line breaks kept, at most :data:`MAX_ANSWER` characters."""
    return clean_text(raw, MAX_ANSWER)
