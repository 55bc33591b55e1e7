"""/begrip: the group's own explanations first, then the shipped glossary (method/data/glossary.yaml).

A group term that names a shipped word (its term or any alias) is stored under that entry's key,
so "duurzaam = ..." also changes what "/begrip duurzaamheid" says for this group.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from method.themes.catalogues import fold, load_glossary


class GroupTerm(Protocol):
    key: str
    word: str
    explanation: str


@dataclass(frozen=True)
class Explanation:
    word: str  # as shown: the group's spelling, or the shipped term in the reader's language
    text: str
    own: bool  # the group's own explanation (set by the moderator)


def term_key(word: str) -> str:
    """The key a group term is stored and found under."""
    entry = load_glossary().lookup(word)
    return fold(entry.key) if entry is not None else fold(word)


def explain(word: str, group_terms: Iterable[GroupTerm], lang: str) -> Explanation | None:
    """The group's explanation of ``word``, else the shipped one in ``lang``, else None."""
    key = term_key(word)
    own = next((term for term in group_terms if term.key == key), None)
    if own is not None:
        return Explanation(own.word, own.explanation, True)
    entry = load_glossary().lookup(word)
    if entry is None:
        return None
    return Explanation(entry.term[lang], entry.explanation[lang], False)


def suggest(word: str, group_terms: Iterable[GroupTerm], lang: str, limit: int = 3) -> list[str]:
    """Known words close to ``word``: the group's own first, then the shipped ones; no doubles."""
    terms = list(group_terms)
    folded = fold(word)
    found: list[str] = []
    if folded:
        by_key = {term.key: term.word for term in terms}
        for key in difflib.get_close_matches(folded, list(by_key), n=limit, cutoff=0.6):
            found.append(by_key[key])
    for term in load_glossary().suggest(word, lang, limit=limit):
        if fold(term) not in {fold(f) for f in found}:
            found.append(term)
    return found[:limit]


def known_terms(group_terms: Iterable[GroupTerm], lang: str) -> tuple[list[str], list[str]]:
    """(the group's own words, the shipped words in ``lang``), each sorted; a shipped word the
    group explains itself is listed once, with the group's words."""
    terms = list(group_terms)
    own_keys = {term.key for term in terms}
    own = sorted((term.word for term in terms), key=fold)
    shipped = sorted(
        (entry.term[lang] for entry in load_glossary() if fold(entry.key) not in own_keys),
        key=fold,
    )
    return own, shipped
