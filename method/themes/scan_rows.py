"""The rows of an MVO-scan file: what a theme holds, the limits, and how each value is checked.

Shared by the CSV and YAML readers in ``scan_import.py``; errors are :class:`ScanError` records
(their codes are listed there).
"""


from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from method.themes.catalogues import fold

MAX_FILE_BYTES = 200_000
MAX_THEMES = 100
MAX_NAME = 120
MAX_DESCRIPTION = 1000
MAX_TEXT = 1000  # strengths, weaknesses
MAX_SUB_THEME = 120
MATURITY_MIN = 0
MATURITY_MAX = 5
MAX_ERRORS = 50

FIELDS: tuple[str, ...] = ("name", "description", "sub_themes", "sdgs", "maturity", "strengths", "weaknesses")

ERROR_CODES: frozenset[str] = frozenset(
    {
        "too_large",
        "empty_file",
        "not_utf8",
        "unsupported_format",
        "bad_yaml",
        "bad_csv",
        "no_name_column",
        "unknown_column",
        "duplicate_column",
        "too_many_fields",
        "missing_name",
        "duplicate_name",
        "too_long",
        "bad_sdg",
        "bad_maturity",
        "bad_value",
        "too_many_rows",
        "too_many_errors",
    }
)

# Column names (CSV header) and keys (YAML), compared after fold(): case, accents, spaces,
# hyphens, underscores and apostrophes do not matter ("Subthema's" == "sub_themas").
_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "thema", "theme", "themanaam", "theme name", "titel", "title"),
    "description": ("description", "beschrijving", "omschrijving", "toelichting"),
    "sub_themes": ("sub_themes", "sub-themes", "subthema's", "subthemas", "subthema", "sub_theme", "subthemes"),
    "sdgs": ("sdgs", "sdg's", "sdg", "sdg nummers", "sdg numbers"),
    "maturity": ("maturity", "maturiteit", "maturity score", "maturiteitsscore", "maturiteitsniveau", "maturity level"),
    "strengths": ("strengths", "sterktes", "sterkten", "sterke punten", "strong points"),
    "weaknesses": ("weaknesses", "zwaktes", "zwakten", "zwakke punten", "weak points", "verbeterpunten"),
}
FIELD_OF: dict[str, str] = {fold(alias): name for name, aliases in _ALIASES.items() for alias in aliases}


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class ScanTheme:
    """One theme of the organisation's MVO-scan, cleaned and checked."""

    name: str
    description: str = ""
    sub_themes: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()  # in the order given, without repeats
    maturity: float | None = None  # 0-5, None when not given
    strengths: str = ""
    weaknesses: str = ""


@dataclass(frozen=True)
class ScanError:
    """One problem in the file (a record, not an exception)."""

    line: int | None  # 1-based line in the file; None for the file as a whole
    code: str  # one of ERROR_CODES
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)


@dataclass(frozen=True)
class ScanImport:
    """The outcome: themes, or errors; exactly one of the two is non-empty."""

    rows: tuple[ScanTheme, ...] = ()
    errors: tuple[ScanError, ...] = ()
    format: str | None = None  # "csv" or "yaml" once known
    encoding: str | None = None  # "utf-8", "utf-8-sig", "utf-16" or "cp1252" once decoded

    def __post_init__(self) -> None:
        if bool(self.rows) == bool(self.errors):
            raise ValueError("a ScanImport has either rows or errors")

    @property
    def ok(self) -> bool:
        return not self.errors


def error_at(line: int | None, code: str, **params: Any) -> ScanError:
    assert code in ERROR_CODES, code
    return ScanError(line=line, code=code, params=MappingProxyType(params))


def short(text: str, limit: int = 40) -> str:
    """A value as shown in an error message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failed(errors: Iterable[ScanError], fmt: str | None = None, encoding: str | None = None) -> ScanImport:
    ordered = sorted(errors, key=lambda error: (error.line is not None, error.line or 0))
    if len(ordered) > MAX_ERRORS:
        count = len(ordered)
        ordered = ordered[:MAX_ERRORS] + [error_at(None, "too_many_errors", shown=MAX_ERRORS, count=count)]
    return ScanImport(errors=tuple(ordered), format=fmt, encoding=encoding)


# ---------------------------------------------------------------------------------------------
# Cleaning and checking values, shared by both formats


@dataclass(frozen=True)
class Value:
    """A raw value and where it is: a text, or a list of texts (YAML), or something unusable."""

    line: int
    text: str | None = None
    items: tuple[tuple[int, str], ...] | None = None
    bad: bool = False


def _drop_controls(text: str, keep_newlines: bool) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if keep_newlines and ch == "\n":
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def clean_line(text: str) -> str:
    """One line: control and format characters removed, whitespace trimmed and collapsed."""
    return " ".join(_drop_controls(text, keep_newlines=False).split())


def clean_text(text: str) -> str:
    """Free text: like :func:`clean_line` per line, keeping single blank lines between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in _drop_controls(text, keep_newlines=True).split("\n")]
    paragraphs: list[str] = []
    for line in lines:
        if line or (paragraphs and paragraphs[-1]):
            paragraphs.append(line)
    return "\n".join(paragraphs).strip()


_SDG_TOKEN = re.compile(r"(?:sdg)?[-#:.]?0*(\d{1,2})", re.IGNORECASE)
_MATURITY = re.compile(r"(\d{1,3})(?:[.,](\d{1,6}))?")


def _sdg_numbers(pieces: Iterable[tuple[int, str]], errors: list[ScanError]) -> tuple[int, ...]:
    numbers: list[int] = []
    for line, piece in pieces:
        for token in re.split(r"[,;\s]+", clean_line(piece)):
            if not token or token.casefold() == "sdg":
                continue
            match = _SDG_TOKEN.fullmatch(token)
            number = int(match.group(1)) if match else 0
            if not 1 <= number <= 17:
                errors.append(error_at(line, "bad_sdg", value=short(token)))
            elif number not in numbers:
                numbers.append(number)
    return tuple(numbers)


def _maturity(value: Value, errors: list[ScanError]) -> float | None:
    if value.items is not None or value.bad:
        raw = ", ".join(text for _, text in value.items or ())
    else:
        raw = clean_line(value.text or "")
        if not raw:
            return None
        match = _MATURITY.fullmatch(raw)
        if match:
            number = float(f"{match.group(1)}.{match.group(2) or '0'}")
            if MATURITY_MIN <= number <= MATURITY_MAX:
                return number
    errors.append(error_at(value.line, "bad_maturity", value=short(raw), min=MATURITY_MIN, max=MATURITY_MAX))
    return None


def _free_text(field_name: str, value: Value | None, limit: int, errors: list[ScanError]) -> str:
    if value is None:
        return ""
    if value.bad:
        errors.append(error_at(value.line, "bad_value", field=field_name))
        return ""
    if value.items is not None:
        text = clean_text("\n".join(item for _, item in value.items))
    else:
        text = clean_text(value.text or "")
    if len(text) > limit:
        errors.append(error_at(value.line, "too_long", field=field_name, length=len(text), max=limit))
    return text


def _sub_themes(value: Value | None, errors: list[ScanError]) -> tuple[str, ...]:
    if value is None:
        return ()
    if value.bad:
        errors.append(error_at(value.line, "bad_value", field="sub_themes"))
        return ()
    pieces = value.items if value.items is not None else ((value.line, value.text or ""),)
    result: list[str] = []
    seen: set[str] = set()
    for line, piece in pieces:
        # A list item is one sub-theme; a text holds several, separated by ";" or line breaks.
        parts = [piece] if value.items is not None else re.split(r"[;\n\r]", piece)
        for part in parts:
            name = clean_line(part)
            if not name or name.casefold() in seen:
                continue
            if len(name) > MAX_SUB_THEME:
                errors.append(error_at(line, "too_long", field="sub_themes", length=len(name), max=MAX_SUB_THEME))
            seen.add(name.casefold())
            result.append(name)
    return tuple(result)


def theme_from(line: int, values: Mapping[str, Value], errors: list[ScanError]) -> tuple[str, ScanTheme | None]:
    """The cleaned name and the theme built from the raw values (None if anything is wrong).

    What is wrong is added to ``errors``.
    """
    before = len(errors)
    name = ""
    raw_name = values.get("name")
    if raw_name is not None and (raw_name.bad or raw_name.items is not None):
        errors.append(error_at(raw_name.line, "bad_value", field="name"))
    else:
        name = clean_line(raw_name.text or "") if raw_name is not None else ""
        if not name:
            errors.append(error_at(raw_name.line if raw_name is not None else line, "missing_name"))
        elif len(name) > MAX_NAME:
            errors.append(error_at(raw_name.line, "too_long", field="name", length=len(name), max=MAX_NAME))
    description = _free_text("description", values.get("description"), MAX_DESCRIPTION, errors)
    sub_themes = _sub_themes(values.get("sub_themes"), errors)
    sdgs: tuple[int, ...] = ()
    raw_sdgs = values.get("sdgs")
    if raw_sdgs is not None:
        if raw_sdgs.bad:
            errors.append(error_at(raw_sdgs.line, "bad_value", field="sdgs"))
        else:
            pieces = raw_sdgs.items if raw_sdgs.items is not None else ((raw_sdgs.line, raw_sdgs.text or ""),)
            sdgs = _sdg_numbers(pieces, errors)
    maturity = _maturity(values["maturity"], errors) if "maturity" in values else None
    strengths = _free_text("strengths", values.get("strengths"), MAX_TEXT, errors)
    weaknesses = _free_text("weaknesses", values.get("weaknesses"), MAX_TEXT, errors)
    if len(errors) > before:
        return name, None
    return name, ScanTheme(
        name=name,
        description=description,
        sub_themes=sub_themes,
        sdgs=sdgs,
        maturity=maturity,
        strengths=strengths,
        weaknesses=weaknesses,
    )


def duplicate_names(names: list[tuple[int, str]]) -> list[ScanError]:
    """Names used twice (ignoring case), reported on the later line."""
    errors: list[ScanError] = []
    first_line: dict[str, int] = {}
    for line, name in names:
        key = name.casefold()
        if not key:
            continue
        if key in first_line:
            errors.append(error_at(line, "duplicate_name", name=short(name, MAX_NAME), first_line=first_line[key]))
        else:
            first_line[key] = line
    return errors


