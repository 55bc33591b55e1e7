"""Theme catalogues, the reflective questions and the glossary, read from ``method/data/*.yaml``.

The data files ship inside the package and are read through :mod:`importlib.resources`, so this
works from a source checkout and from an installed wheel alike. Every file is checked when it is
loaded (both languages present, SDG numbers 1-17, unique codes, no clashing glossary aliases); a
broken data file raises :class:`CatalogueError` instead of showing half a text to a user.

Results are cached and immutable: the per-language texts are read-only mappings
(:class:`types.MappingProxyType`), so one handler cannot change what another one shows.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

LANGUAGES: tuple[str, ...] = ("nl", "en")
"""Every text in the data files exists in each of these languages."""

CATALOGUES: tuple[str, ...] = ("sdg", "iso26000", "examples")
"""Keys accepted by :func:`load_catalogue`."""

SDG_NUMBERS: tuple[int, ...] = tuple(range(1, 18))

_DATA_PACKAGE = "method"
_DATA_DIR = "data"


class CatalogueError(ValueError):
    """A data file is missing, unreadable or does not have the expected shape."""


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class CatalogueTheme:
    """One theme of a catalogue: an SDG, an ISO 26000 core subject or an example theme."""

    code: str
    name: Mapping[str, str] = field(hash=False)  # {lang: text}
    description: Mapping[str, str] = field(hash=False)  # {lang: text}
    sdgs: tuple[int, ...] = ()  # related SDG numbers, most important first

    def name_in(self, lang: str) -> str:
        return self.name[_check_lang(lang)]

    def description_in(self, lang: str) -> str:
        return self.description[_check_lang(lang)]


@dataclass(frozen=True)
class Catalogue:
    """A list of candidate themes the steering group can start from."""

    key: str
    name: Mapping[str, str] = field(hash=False)  # {lang: text}
    themes: tuple[CatalogueTheme, ...] = ()

    def theme(self, code: str) -> CatalogueTheme:
        """The theme with this code; :class:`KeyError` if there is none."""
        for theme in self.themes:
            if theme.code == code:
                return theme
        raise KeyError(code)

    def __len__(self) -> int:
        return len(self.themes)

    def __iter__(self) -> Iterator[CatalogueTheme]:
        return iter(self.themes)


@dataclass(frozen=True)
class GlossaryEntry:
    """One explained word."""

    key: str
    term: Mapping[str, str] = field(hash=False)  # {lang: the word as shown}
    explanation: Mapping[str, str] = field(hash=False)  # {lang: 2-3 short sentences}
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """The explained words, looked up ignoring case, accents, hyphens, spaces and apostrophes."""

    entries: tuple[GlossaryEntry, ...]
    _index: Mapping[str, GlossaryEntry] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, GlossaryEntry] = {}
        for entry in self.entries:
            for word in _lookup_words(entry):
                folded = fold(word)
                if not folded:
                    raise CatalogueError(f"glossary entry {entry.key!r}: {word!r} has no letters or digits")
                other = index.get(folded)
                if other is not None and other.key != entry.key:
                    raise CatalogueError(
                        f"glossary: {word!r} of {entry.key!r} clashes with {other.key!r} (both fold to {folded!r})"
                    )
                index[folded] = entry
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    def get(self, key: str) -> GlossaryEntry:
        """The entry with this key; :class:`KeyError` if there is none."""
        for entry in self.entries:
            if entry.key == key:
                return entry
        raise KeyError(key)

    def lookup(self, word: str) -> GlossaryEntry | None:
        """The entry for ``word`` (its key, its term in either language, or an alias), or None."""
        folded = fold(word)
        if not folded:
            return None
        return self._index.get(folded)

    def suggest(self, word: str, lang: str = "nl", limit: int = 3, cutoff: float = 0.6) -> list[str]:
        """Terms (in ``lang``) close to ``word``, best first, at most ``limit``, no duplicates.

        Uses :func:`difflib.get_close_matches` on the folded words, so "duurzaamheit" or
        "omgevings analyse" still find their entry. An empty list when nothing is close.
        """
        _check_lang(lang)
        folded = fold(word)
        if not folded or limit <= 0:
            return []
        matches = difflib.get_close_matches(folded, list(self._index), n=len(self._index), cutoff=cutoff)
        result: list[str] = []
        for match in matches:
            term = self._index[match].term[lang]
            if term not in result:
                result.append(term)
            if len(result) == limit:
                break
        return result


def _lookup_words(entry: GlossaryEntry) -> Iterator[str]:
    yield entry.key
    yield from entry.term.values()
    yield from entry.aliases


def fold(word: str) -> str:
    """Lower case, accents dropped, only letters and digits kept: "SDG's" -> "sdgs"."""
    # NFKD splits "é" into "e" and a combining accent; accents are not alphanumeric, so they go.
    decomposed = unicodedata.normalize("NFKD", str(word))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return lang


# ---------------------------------------------------------------------------------------------
# Loading


def _read_yaml(filename: str) -> Any:
    resource = resources.files(_DATA_PACKAGE) / _DATA_DIR / filename
    try:
        text = resource.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as error:
        raise CatalogueError(f"data file {filename} cannot be read: {error}") from error
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogueError(f"data file {filename} is not valid YAML: {error}") from error


def _texts(value: Any, where: str) -> Mapping[str, str]:
    """A ``{lang: text}`` mapping with a non-empty text for every language, and nothing else."""
    if not isinstance(value, dict):
        raise CatalogueError(f"{where}: expected a mapping of languages to texts")
    missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        raise CatalogueError(f"{where}: no text for {', '.join(missing)}")
    extra = sorted(set(value) - set(LANGUAGES), key=str)
    if extra:
        raise CatalogueError(f"{where}: unexpected languages {extra}")
    return MappingProxyType({lang: " ".join(value[lang].split()) for lang in LANGUAGES})


def _sdg_number(value: Any, where: str) -> int:
    if type(value) is not int or value not in SDG_NUMBERS:
        raise CatalogueError(f"{where}: {value!r} is not an SDG number 1-17")
    return value


def _mapping(value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(value, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    missing = [key for key in required if key not in value]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")
    extra = sorted(set(value) - set(required) - set(optional), key=str)
    if extra:
        raise CatalogueError(f"{where}: unexpected keys {extra}")
    return value


@cache
def load_catalogue(key: str) -> Catalogue:
    """The catalogue ``key`` (one of :data:`CATALOGUES`); :class:`KeyError` for another key."""
    if key not in CATALOGUES:
        raise KeyError(f"unknown catalogue {key!r}; expected one of {', '.join(CATALOGUES)}")
    filename = f"{key}.yaml"
    data = _mapping(_read_yaml(filename), filename, ("key", "name", "themes"))
    if data["key"] != key:
        raise CatalogueError(f"{filename}: key is {data['key']!r}, expected {key!r}")
    if not isinstance(data["themes"], list) or not data["themes"]:
        raise CatalogueError(f"{filename}: themes must be a non-empty list")
    themes: list[CatalogueTheme] = []
    for position, raw in enumerate(data["themes"], start=1):
        where = f"{filename} theme {position}"
        item = _mapping(raw, where, ("name", "description"), ("code", "number", "sdgs"))
        if "number" in item:
            number = _sdg_number(item["number"], where)
            code = item.get("code", f"sdg-{number}")
            sdgs: tuple[int, ...] = (number,)
            if "sdgs" in item:
                raise CatalogueError(f"{where}: give either number or sdgs, not both")
        else:
            if "code" not in item:
                raise CatalogueError(f"{where}: missing code")
            code = item["code"]
            raw_sdgs = item.get("sdgs", [])
            if not isinstance(raw_sdgs, list):
                raise CatalogueError(f"{where}: sdgs must be a list")
            sdgs = tuple(_sdg_number(value, where) for value in raw_sdgs)
            if len(set(sdgs)) != len(sdgs):
                raise CatalogueError(f"{where}: an SDG is listed twice")
        if not isinstance(code, str) or not code:
            raise CatalogueError(f"{where}: code must be a non-empty string")
        themes.append(
            CatalogueTheme(
                code=code,
                name=_texts(item["name"], f"{where} name"),
                description=_texts(item["description"], f"{where} description"),
                sdgs=sdgs,
            )
        )
    codes = [theme.code for theme in themes]
    if len(set(codes)) != len(codes):
        raise CatalogueError(f"{filename}: duplicate theme codes")
    return Catalogue(key=key, name=_texts(data["name"], f"{filename} name"), themes=tuple(themes))


def sdg_name(number: int, lang: str) -> str:
    """The short name of SDG ``number`` (1-17) in ``lang``: ``sdg_name(13, "nl") == "Klimaatactie"``."""
    if type(number) is not int or number not in SDG_NUMBERS:
        raise ValueError(f"{number!r} is not an SDG number 1-17")
    return load_catalogue("sdg").themes[number - 1].name_in(lang)


@cache
def _questions() -> tuple[Mapping[str, str], ...]:
    data = _mapping(_read_yaml("questions.yaml"), "questions.yaml", ("questions",))
    if not isinstance(data["questions"], list) or not data["questions"]:
        raise CatalogueError("questions.yaml: questions must be a non-empty list")
    return tuple(_texts(raw, f"questions.yaml question {n}") for n, raw in enumerate(data["questions"], start=1))


def load_questions() -> tuple[dict[str, str], ...]:
    """The reflective questions of the open dialogue, in order, each as ``{lang: text}``.

    Fresh dicts on every call: changing them changes nothing for the next caller.
    """
    return tuple(dict(question) for question in _questions())


@cache
def load_glossary() -> Glossary:
    """The glossary; see :meth:`Glossary.lookup` and :meth:`Glossary.suggest`."""
    data = _mapping(_read_yaml("glossary.yaml"), "glossary.yaml", ("entries",))
    if not isinstance(data["entries"], list) or not data["entries"]:
        raise CatalogueError("glossary.yaml: entries must be a non-empty list")
    entries: list[GlossaryEntry] = []
    for position, raw in enumerate(data["entries"], start=1):
        where = f"glossary.yaml entry {position}"
        item = _mapping(raw, where, ("key", "term", "explanation"), ("aliases",))
        if not isinstance(item["key"], str) or not item["key"]:
            raise CatalogueError(f"{where}: key must be a non-empty string")
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(alias, str) and alias.strip() for alias in aliases):
            raise CatalogueError(f"{where}: aliases must be a list of words")
        entries.append(
            GlossaryEntry(
                key=item["key"],
                term=_texts(item["term"], f"{where} term"),
                explanation=_texts(item["explanation"], f"{where} explanation"),
                aliases=tuple(alias.strip() for alias in aliases),
            )
        )
    keys = [entry.key for entry in entries]
    if len(set(keys)) != len(keys):
        raise CatalogueError("glossary.yaml: duplicate keys")
    return Glossary(entries=tuple(entries))
