"""The report as a Word document: headings, short paragraphs, tables and the voting charts.

python-docx's default template (Calibri, Word's built-in heading and list styles), A4 with
2 cm margins. The output is byte-for-byte the same for the same data: the document's dates
are the report's date, and the zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime, time

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from bot.documents.report.outline import Bullets, Heading, Paragraph, Picture, Table, Words, outline
from bot.render import Texts
from storage.records import ReportData

PICTURE_WIDTH = Cm(16)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def build_docx(data: ReportData, texts: Texts, lang: str, charts: Mapping[int, bytes]) -> bytes:
    """The report as DOCX bytes, in ``lang``; ``charts`` holds a PNG per round number."""
    words = Words(texts, lang)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.styles["Normal"].font.size = Pt(11)
    moment = datetime.combine(data.on, time(0, 0), UTC)
    properties = document.core_properties
    properties.title = words("doc.title", organisation=data.organisation or words("doc.no_organisation"))
    properties.author = properties.last_modified_by = "Kopgroep"
    properties.created = properties.modified = moment
    properties.revision = 1
    properties.language = words.locale.replace("_", "-")
    for block in outline(data, words, charts):
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).italic = block.italic
        elif isinstance(block, Bullets):
            for text, children in block.items:
                document.add_paragraph(text, style="List Bullet")
                for child in children:
                    document.add_paragraph(child, style="List Bullet 2")
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Picture):
            document.add_picture(io.BytesIO(block.png), width=PICTURE_WIDTH)
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = document.add_paragraph(style="Caption")
            caption.add_run(block.caption)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _table(document: docx.document.Document, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, text in enumerate(block.header):
        cell = table.rows[0].cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _shade(cell, "D9E2F3")
    _repeat_header(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        for index, text in enumerate(row):
            cells[index].text = text
            if index in block.numeric:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()  # air below the table


def _shade(cell: object, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)  # type: ignore[attr-defined]


def _repeat_header(row: object) -> None:
    """The header row repeats on every page a long table runs over."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)  # type: ignore[attr-defined]


def _fixed_zip(data: bytes) -> bytes:
    """The same package with a fixed timestamp on every entry, so equal data gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()
