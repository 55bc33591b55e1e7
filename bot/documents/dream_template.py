"""The dream-image template ("sjabloon") as a Word document; reading a filled one is dream_template_read.py.

``build_template`` makes a DOCX a member fills in between two sessions: a title, a short
instruction, then per chosen theme a heading, the question, an example and a table with one
dream image per row. ``read_filled`` (dream_template_read.py) reads a filled document back.

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
import unicodedata
from collections.abc import Sequence
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

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

TEXTS: dict[str, dict[str, str]] = {
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
    texts = TEXTS[lang]
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
