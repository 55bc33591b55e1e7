"""The dream-image template ("sjabloon") as a Word document, and reading a filled one back.

``build_template`` makes a DOCX a member fills in between two sessions: a title, a short
instruction, then per chosen theme a heading, the question, an example and a table with one
dream image per row. ``read_filled`` reads a filled document back into plain data.

How the themes are found again after the member edited the file in Word, LibreOffice or
another editor, from most to least reliable:

1. custom document properties (File > Properties > Custom) hold the theme keys, names and
   examples in order (``KopgroepThema1`` ...); Word and LibreOffice keep them;
2. each theme heading carries a bookmark ``kopgroep_thema_<n>`` pointing into that list;
3. failing a bookmark, the heading text is matched with the theme names ("Thema 1: " may be
   dropped or changed); when the properties were lost too, the caller may pass the themes.

Everything between a theme heading and the next heading belongs to that theme: the rows of
its table (rows the member added too) and paragraphs typed below or outside the table.

Pure logic: plain data in, bytes or frozen dataclasses out. Bad bytes never raise.
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
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # a 2 MB zip that unpacks to more is not a member's template
MAX_ZIP_ENTRIES = 2000
EMPTY_ROWS = 5
MAX_PROPERTY_CHARS = 255  # Word keeps custom text properties up to 255 characters

NOT_DOCX = "not_docx"
NOT_OUR_TEMPLATE = "not_our_template"
TOO_LARGE = "too_large"
EMPTY = "empty"

MARKER_PROPERTY = "KopgroepSjabloon"
MARKER_VALUE = "droombeelden/1"
LANG_PROPERTY = "KopgroepTaal"
KEY_PROPERTY = "KopgroepThema{n}"
NAME_PROPERTY = "KopgroepThemaNaam{n}"
EXAMPLE_PROPERTY = "KopgroepVoorbeeld{n}"
BOOKMARK = "kopgroep_thema_{n}"
_BOOKMARK_RE = re.compile(r"^kopgroep_thema_(\d{1,3})$", re.IGNORECASE)

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Droombeelden – {organisation}",
        "intro": (
            "Stel je voor: alles kan en alles mag. Wat zou je dan graag zien gebeuren voor onze "
            "prioritaire thema's? Schrijf het hieronder. Er zijn geen foute antwoorden: wat vandaag "
            "niet kan, kan morgen misschien wel."
        ),
        "how": "Zo ga je te werk:",
        "steps": (
            "Schrijf per thema je droombeelden in de tabel: één droombeeld per rij.",
            "Meer ideeën? Voeg gerust rijen toe. Eén idee is ook goed.",
            "Denk ook aan burgers, bedrijven en verenigingen, niet alleen aan onze eigen organisatie.",
            "Laat de titels van de thema's staan. Zo weten we bij welk thema je droombeelden horen.",
        ),
        "return": "Bewaar het bestand als Word-document (.docx) en stuur het terug naar de Kopgroep-bot.",
        "deadline": "Graag ten laatste op {deadline}. Bedankt!",
        "thanks": "Bedankt!",
        "heading": "Thema {n}: {name}",
        "question": "Wat zou je graag zien gebeuren voor dit thema, als alles mogelijk was?",
        "example": "Voorbeeld: {example}",
        "column": "Mijn droombeelden (één per rij)",
    },
    "en": {
        "title": "Dream images – {organisation}",
        "intro": (
            "Imagine that everything is possible. What would you love to see happen for our "
            "priority themes? Write it down below. There are no wrong answers: what cannot be done "
            "today may well be possible tomorrow."
        ),
        "how": "How to fill it in:",
        "steps": (
            "For each theme, write your dream images in the table: one dream image per row.",
            "More ideas? Feel free to add rows. One idea is fine too.",
            "Think of residents, businesses and associations as well, not only of our own organisation.",
            "Keep the theme titles as they are, so we know which theme your dream images belong to.",
        ),
        "return": "Save the file as a Word document (.docx) and send it back to the Kopgroep bot.",
        "deadline": "Please do so by {deadline} at the latest. Thank you!",
        "thanks": "Thank you!",
        "heading": "Theme {n}: {name}",
        "question": "What would you like to see happen for this theme, if everything were possible?",
        "example": "Example: {example}",
        "column": "My dream images (one per row)",
    },
}
_DOC_LANG = {"nl": "nl-BE", "en": "en-GB"}


@dataclass(frozen=True)
class TemplateTheme:
    key: str
    name: str
    example: str


@dataclass(frozen=True)
class FilledTheme:
    key: str
    name: str
    dreams: tuple[str, ...]


@dataclass(frozen=True)
class FilledTemplate:
    """What a member wrote. ``error`` is None, or one of not_docx, not_our_template, too_large, empty."""

    error: str | None
    themes: tuple[FilledTheme, ...] = ()
    missing: tuple[str, ...] = ()  # keys of themes whose heading was not found in the document
    lang: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def dreams(self) -> dict[str, tuple[str, ...]]:
        """Per theme key, the dream images in document order."""
        return {theme.key: theme.dreams for theme in self.themes}


def language(lang: str) -> str:
    """The template's language for a language code: English for en*, Dutch otherwise."""
    return "en" if (lang or "").lower().startswith("en") else "nl"


# ---------------------------------------------------------------------------------------------
# Cleaning text


_KEEP_FORMAT = {"\u200d"}  # the zero-width joiner holds emoji together
_BULLET_RE = re.compile(r"^(?:[-–—•·*▪◦‣>]+|\d{1,2}[.)])\s+")


def clean(text: str) -> str:
    """Control and format characters out, whitespace collapsed, trimmed (NFC)."""
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r\v\f\u2028\u2029\u00a0":
            kept.append(" ")
        elif category in ("Cc", "Cs", "Co") or (category == "Cf" and char not in _KEEP_FORMAT):
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def _dream_text(text: str) -> str:
    """A dream image as written, without a leading bullet or number the member typed."""
    text = clean(text)
    previous = None
    while previous != text:
        previous = text
        text = _BULLET_RE.sub("", text).strip()
    return text


def _fold(text: str) -> str:
    """For comparing: case, accents, punctuation and spacing do not count."""
    text = unicodedata.normalize("NFKD", clean(text).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


_HEADING_PREFIX_RE = re.compile(r"^(?:(?:thema|theme|topic)\s*\d{0,3}|\d{1,3})\s*[:.)\-–—]?\s+", re.IGNORECASE)


def _heading_key(text: str) -> str:
    text = clean(text)
    text = _HEADING_PREFIX_RE.sub("", text)
    return _fold(text)


# ---------------------------------------------------------------------------------------------
# Building


def build_template(
    *,
    organisation: str,
    themes: Sequence[TemplateTheme],
    lang: str,
    deadline_text: str | None,
) -> bytes:
    """The template as DOCX bytes. Raises ValueError on no themes or a repeated or empty key."""
    if not themes:
        raise ValueError("a template needs at least one theme")
    keys = [theme.key for theme in themes]
    if any(not key or len(key) > MAX_PROPERTY_CHARS for key in keys) or len(set(keys)) != len(keys):
        raise ValueError("theme keys must be unique, non-empty and at most 255 characters")
    lang = language(lang)
    texts = _TEXTS[lang]
    organisation = clean(organisation)

    document = docx.Document()
    _set_language(document, _DOC_LANG[lang])
    properties = document.core_properties
    properties.title = clean(texts["title"].format(organisation=organisation))[:MAX_PROPERTY_CHARS]
    properties.subject = texts["question"]
    properties.author = "Kopgroep"
    properties.keywords = "kopgroep droombeelden"
    properties.language = _DOC_LANG[lang]
    properties.comments = ""

    document.add_heading(clean(texts["title"].format(organisation=organisation)), level=0)
    document.add_paragraph(texts["intro"])
    document.add_paragraph(texts["how"])
    for step in texts["steps"]:
        document.add_paragraph(step, style="List Bullet")
    document.add_paragraph(texts["return"])
    deadline = clean(deadline_text or "")
    document.add_paragraph(texts["deadline"].format(deadline=deadline) if deadline else texts["thanks"])

    custom: list[tuple[str, str]] = [(MARKER_PROPERTY, MARKER_VALUE), (LANG_PROPERTY, lang)]
    for number, theme in enumerate(themes, start=1):
        name = clean(theme.name)
        example = clean(theme.example)
        custom += [
            (KEY_PROPERTY.format(n=number), theme.key),
            (NAME_PROPERTY.format(n=number), name[:MAX_PROPERTY_CHARS]),
            (EXAMPLE_PROPERTY.format(n=number), example[:MAX_PROPERTY_CHARS]),
        ]
        heading = document.add_heading(texts["heading"].format(n=number, name=name), level=1)
        _add_bookmark(heading._p, BOOKMARK.format(n=number), number)
        question = document.add_paragraph()
        question.add_run(texts["question"]).bold = True
        if example:
            document.add_paragraph().add_run(texts["example"].format(example=example)).italic = True
        table = document.add_table(rows=1 + EMPTY_ROWS, cols=1)
        table.style = "Table Grid"
        header = table.rows[0]
        header.cells[0].paragraphs[0].add_run(texts["column"]).bold = True
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for row in table.rows[1:]:
            row.height = Cm(1.2)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        document.add_paragraph()  # room to type below the table, and Word wants a paragraph there

    _add_custom_properties(document, custom)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_language(document: Any, tag: str) -> None:
    """Spelling check in the template's language."""
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    rpr.append(lang)


def _add_bookmark(paragraph: Any, name: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        paragraph.insert(0, start)
    else:
        ppr.addnext(start)
    paragraph.append(end)


def _add_custom_properties(document: Any, values: Sequence[tuple[str, str]]) -> None:
    root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    for pid, (name, value) in enumerate(values, start=2):
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property", fmtid=_CUSTOM_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


# ---------------------------------------------------------------------------------------------
# Reading


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
        by_heading.setdefault(_heading_key(theme.name), index)
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
    return any(_BOOKMARK_RE.match(name) for name in names)


def _theme_of(
    names: Sequence[str],
    text: str,
    known: Sequence[_Known],
    by_heading: Mapping[str, int],
    from_properties: bool,
) -> int | None:
    if from_properties:
        for name in names:
            match = _BOOKMARK_RE.match(name)
            if match and 1 <= int(match.group(1)) <= len(known):
                return int(match.group(1)) - 1
    key = _heading_key(text)
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
    for language_texts in _TEXTS.values():
        exact.update(_fold(language_texts[name]) for name in ("question", "column"))
        for theme in known:
            if not theme.example:
                continue
            forms = {_fold(theme.example), _fold(language_texts["example"].format(example=theme.example))}
            (prefixes if len(theme.example) >= MAX_PROPERTY_CHARS else exact).update(forms)
    exact.discard("")
    prefixes.discard("")
    return _Boilerplate(frozenset(exact), tuple(sorted(prefixes)))


def _take(text: str, theme: int, dreams: list[list[str]], boilerplate: _Boilerplate) -> None:
    dream = _dream_text(text)
    folded = _fold(dream)
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
