"""Reading a filled dream-image template back: every dream image per theme, whatever the editor did.

The template is made by ``dream_template.py``; its docstring says how the themes are found again.
Pure logic: bytes in, a frozen :class:`FilledTemplate` out. Bad bytes never raise.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from bot.documents.dream_template import (
    EMPTY,
    EXAMPLE_PROPERTY,
    KEY_PROPERTY,
    LANG_PROPERTY,
    MARKER_PROPERTY,
    MARKER_VALUE,
    MAX_BYTES,
    MAX_PROPERTY_CHARS,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_ENTRIES,
    NAME_PROPERTY,
    NOT_DOCX,
    NOT_OUR_TEMPLATE,
    TEXTS,
    TOO_LARGE,
    FilledTemplate,
    FilledTheme,
    TemplateTheme,
    clean,
)

BOOKMARK_RE = re.compile(r"^kopgroep_thema_(\d{1,3})$", re.IGNORECASE)
BULLET_RE = re.compile(r"^(?:[-–—•·*▪◦‣>]+|\d{1,2}[.)])\s+")


def dream_text(text: str) -> str:
    """A dream image as written, without a leading bullet or number the member typed."""
    text = clean(text)
    previous = None
    while previous != text:
        previous = text
        text = BULLET_RE.sub("", text).strip()
    return text


def fold(text: str) -> str:
    """For comparing: case, accents, punctuation and spacing do not count."""
    text = unicodedata.normalize("NFKD", clean(text).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_HEADING_PREFIX_RE = re.compile(r"^(?:(?:thema|theme|topic)\s*\d{0,3}|\d{1,3})\s*[:.)\-–—]?\s+", re.IGNORECASE)


def heading_key(text: str) -> str:
    text = clean(text)
    text = _HEADING_PREFIX_RE.sub("", text)
    return fold(text)



@dataclass(frozen=True)
class _Known:
    key: str
    name: str
    example: str


def read_filled(data: bytes, *, themes: Sequence[TemplateTheme] = ()) -> FilledTemplate:
    """The dream images a member wrote, per theme. Never raises on bad bytes.

    ``themes`` (optional) are used only when the document lost its custom properties: the
    theme headings are then matched on these names.
    """
    try:
        document = _open(data)
    except _Refused as refused:
        return FilledTemplate(error=refused.code)
    try:
        return _read(document, themes)
    except Exception:  # a damaged document python-docx could open but not walk
        return FilledTemplate(error=NOT_DOCX)


class _Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _open(data: bytes) -> Any:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _Refused(NOT_DOCX)
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise _Refused(TOO_LARGE)
    if not data:
        raise _Refused(NOT_DOCX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise _Refused(TOO_LARGE)
            if "[Content_Types].xml" not in {entry.filename for entry in entries}:
                raise _Refused(NOT_DOCX)
    except _Refused:
        raise
    except Exception as error:
        raise _Refused(NOT_DOCX) from error
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:
        raise _Refused(NOT_DOCX) from error


def _read(document: Any, given: Sequence[TemplateTheme]) -> FilledTemplate:
    properties = _custom_properties(document)
    known: list[_Known] = []
    lang = properties.get(LANG_PROPERTY)
    if properties.get(MARKER_PROPERTY) == MARKER_VALUE:
        number = 1
        while KEY_PROPERTY.format(n=number) in properties:
            known.append(
                _Known(
                    key=properties[KEY_PROPERTY.format(n=number)],
                    name=properties.get(NAME_PROPERTY.format(n=number), ""),
                    example=properties.get(EXAMPLE_PROPERTY.format(n=number), ""),
                )
            )
            number += 1
    from_properties = bool(known)
    if not known:
        known = [_Known(theme.key, clean(theme.name), clean(theme.example)) for theme in given]
    if not known:
        return FilledTemplate(error=NOT_OUR_TEMPLATE)

    by_heading: dict[str, int] = {}
    for index, theme in enumerate(known):
        by_heading.setdefault(heading_key(theme.name), index)
    boilerplate = _boilerplate(known)
    styles = _Styles(document)

    found: set[int] = set()
    dreams: list[list[str]] = [[] for _ in known]
    current: int | None = None
    pending_bookmarks: list[str] = []
    for kind, element in _blocks(document.element.body):
        if kind == "bookmark":
            pending_bookmarks.append(element.get(qn("w:name"), ""))
            continue
        if kind == "p":
            names = pending_bookmarks + [mark.get(qn("w:name"), "") for mark in element.iter(qn("w:bookmarkStart"))]
            pending_bookmarks = []
            text = _paragraph_text(element)
            theme = _theme_of(names, text, known, by_heading, from_properties)
            if theme is not None and (styles.is_heading(element) or _bookmarked(names)):
                current = theme
                found.add(theme)
                continue
            if styles.is_heading(element):
                current = None  # a heading of another kind ends the theme's part
                continue
            if current is not None:
                _take(text, current, dreams, boilerplate)
        elif kind == "tbl":
            pending_bookmarks = []
            if current is None:
                continue
            for row in element.iter(qn("w:tr")):
                if _is_header_row(row):
                    continue
                for paragraph in row.iter(qn("w:p")):
                    _take(_paragraph_text(paragraph), current, dreams, boilerplate)

    if not found:
        return FilledTemplate(error=NOT_OUR_TEMPLATE, lang=lang)
    filled = tuple(
        FilledTheme(key=theme.key, name=theme.name, dreams=tuple(dreams[index])) for index, theme in enumerate(known)
    )
    missing = tuple(theme.key for index, theme in enumerate(known) if index not in found)
    error = None if any(theme.dreams for theme in filled) else EMPTY
    return FilledTemplate(error=error, themes=filled, missing=missing, lang=lang)


def _custom_properties(document: Any) -> dict[str, str]:
    values: dict[str, str] = {}
    try:
        rels = document.part.package.rels.values()
    except Exception:
        return values
    for rel in rels:
        if rel.is_external or rel.reltype != RT.CUSTOM_PROPERTIES:
            continue
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            root = etree.fromstring(rel.target_part.blob, parser=parser)
        except Exception:
            continue
        for prop in root:
            name = prop.get("name")
            if name is None or not len(prop):
                continue
            values[name] = prop[0].text or ""
    return values


def _blocks(container: Any) -> Iterator[tuple[str, Any]]:
    """Paragraphs and tables in reading order, also inside content controls and custom XML."""
    for child in container:
        tag = child.tag
        if tag == qn("w:p"):
            yield "p", child
        elif tag == qn("w:tbl"):
            yield "tbl", child
        elif tag == qn("w:bookmarkStart"):
            yield "bookmark", child
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif tag == qn("w:customXml"):
            yield from _blocks(child)


_TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): " ", qn("w:br"): " ", qn("w:cr"): " ", qn("w:noBreakHyphen"): "-"}


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for element in paragraph.iter(*_TEXT_TAGS):
        # text boxes anchored in the paragraph are not the paragraph's own words
        if any(ancestor.tag == qn("w:txbxContent") for ancestor in element.iterancestors()):
            continue
        replacement = _TEXT_TAGS[element.tag]
        parts.append(element.text or "" if replacement is None else replacement)
    return "".join(parts)


def _is_header_row(row: Any) -> bool:
    trpr = row.find(qn("w:trPr"))
    if trpr is None:
        return False
    header = trpr.find(qn("w:tblHeader"))
    return header is not None and header.get(qn("w:val"), "true").lower() not in ("0", "false", "off")


def _bookmarked(names: Sequence[str]) -> bool:
    return any(BOOKMARK_RE.match(name) for name in names)


def _theme_of(
    names: Sequence[str],
    text: str,
    known: Sequence[_Known],
    by_heading: Mapping[str, int],
    from_properties: bool,
) -> int | None:
    if from_properties:
        for name in names:
            match = BOOKMARK_RE.match(name)
            if match and 1 <= int(match.group(1)) <= len(known):
                return int(match.group(1)) - 1
    key = heading_key(text)
    return by_heading.get(key) if key else None


@dataclass(frozen=True)
class _Boilerplate:
    """Our own words in a theme's part: the question, the column title, the examples."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]  # examples cut to 255 characters in the properties

    def __contains__(self, folded: str) -> bool:
        return folded in self.exact or any(folded.startswith(prefix) for prefix in self.prefixes)


def _boilerplate(known: Sequence[_Known]) -> _Boilerplate:
    exact: set[str] = set()
    prefixes: set[str] = set()
    for language_texts in TEXTS.values():
        exact.update(fold(language_texts[name]) for name in ("question", "column"))
        for theme in known:
            if not theme.example:
                continue
            forms = {fold(theme.example), fold(language_texts["example"].format(example=theme.example))}
            (prefixes if len(theme.example) >= MAX_PROPERTY_CHARS else exact).update(forms)
    exact.discard("")
    prefixes.discard("")
    return _Boilerplate(frozenset(exact), tuple(sorted(prefixes)))


def _take(text: str, theme: int, dreams: list[list[str]], boilerplate: _Boilerplate) -> None:
    dream = dream_text(text)
    folded = fold(dream)
    if folded and folded not in boilerplate:
        dreams[theme].append(dream)


class _Styles:
    """Which paragraph styles are headings: by name (Heading n, Kop n, Title) or outline level."""

    _NAME_RE = re.compile(r"^(?:heading|kop|überschrift|titre|title|titel)\b", re.IGNORECASE)

    def __init__(self, document: Any) -> None:
        self._styles: dict[str, tuple[str, bool, str | None]] = {}
        self._cache: dict[str, bool] = {}
        try:
            root = document.styles.element
        except Exception:
            return
        for style in root.iter(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if not style_id:
                continue
            name_element = style.find(qn("w:name"))
            name = name_element.get(qn("w:val"), "") if name_element is not None else ""
            ppr = style.find(qn("w:pPr"))
            outline = ppr is not None and _has_outline(ppr)
            based = style.find(qn("w:basedOn"))
            self._styles[style_id] = (name, outline, based.get(qn("w:val")) if based is not None else None)

    def is_heading(self, paragraph: Any) -> bool:
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            return False
        if _has_outline(ppr):
            return True
        style = ppr.find(qn("w:pStyle"))
        if style is None:
            return False
        return self._style_is_heading(style.get(qn("w:val"), ""), depth=0)

    def _style_is_heading(self, style_id: str, depth: int) -> bool:
        if style_id in self._cache:
            return self._cache[style_id]
        name, outline, based = self._styles.get(style_id, (style_id, False, None))
        result = outline or bool(self._NAME_RE.match(name)) or bool(self._NAME_RE.match(style_id))
        if not result and based and depth < 10:
            result = self._style_is_heading(based, depth + 1)
        self._cache[style_id] = result
        return result


def _has_outline(ppr: Any) -> bool:
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is None:
        return False
    try:
        return 0 <= int(outline.get(qn("w:val"), "9")) < 9
    except ValueError:
        return False
