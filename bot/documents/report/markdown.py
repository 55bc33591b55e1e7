"""The report as Markdown: the same blocks as the Word document.

Charts are referenced as PNG files beside the text (``![caption](stemronde-1.png)``): the
moderator gets both in one ZIP (``markdown_zip``), which viewers and converters such as pandoc
read as it is; the figures are in the table above each chart anyway.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from bot.documents.report.outline import Bullets, Heading, Paragraph, Picture, Table, Words, outline
from bot.render import Texts
from storage.records import ReportData

_SPECIAL = str.maketrans({char: f"\\{char}" for char in "\\`*_[]<>#|"})


def escape(text: str) -> str:
    """Plain text that Markdown shows as typed (no emphasis, links or HTML)."""
    return " ".join(text.translate(_SPECIAL).split())


def build_markdown(data: ReportData, texts: Texts, lang: str, charts: Mapping[int, bytes]) -> str:
    """The report as Markdown text (UTF-8 when written to a file), in ``lang``."""
    words = Words(texts, lang)
    parts: list[str] = []
    for block in outline(data, words, charts):
        if isinstance(block, Heading):
            parts.append(f"{'#' * (block.level + 1)} {escape(block.text)}")
        elif isinstance(block, Paragraph):
            parts.append(f"*{escape(block.text)}*" if block.italic else escape(block.text))
        elif isinstance(block, Bullets):
            lines = []
            for text, children in block.items:
                lines.append(f"- {escape(text)}")
                lines.extend(f"  - {escape(child)}" for child in children)
            parts.append("\n".join(lines))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Picture):
            parts.append(f"![{escape(block.alt or block.caption)}]({block.name})\n\n*{escape(block.caption)}*")
    return "\n\n".join(parts) + "\n"


def pictures(data: ReportData, texts: Texts, lang: str, charts: Mapping[int, bytes]) -> dict[str, bytes]:
    """The PNG files the Markdown refers to, by name."""
    return {block.name: block.png for block in outline(data, Words(texts, lang), charts) if isinstance(block, Picture)}


def markdown_zip(name: str, text: str, files: Mapping[str, bytes]) -> bytes:
    """The Markdown file and its pictures in one ZIP; the same content gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in ((name, text.encode("utf-8")), *sorted(files.items())):
            info = zipfile.ZipInfo(member, date_time=(2000, 1, 1, 0, 0, 0))  # no clock inside: same data, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def _table(block: Table) -> str:
    lines = ["| " + " | ".join(escape(cell) for cell in block.header) + " |"]
    lines.append("|" + "|".join("---:" if i in block.numeric else "---" for i in range(len(block.header))) + "|")
    for row in block.rows:
        lines.append("| " + " | ".join(escape(cell) or " " for cell in row) + " |")
    return "\n".join(lines)
