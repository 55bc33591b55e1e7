"""The report as one Markdown file: the same blocks as the Word document.

Charts are embedded as PNG data URIs, so the file stands alone (Markdown viewers and
converters such as pandoc show them); the figures are in the table above each chart anyway.
"""

from __future__ import annotations

import base64
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
            encoded = base64.b64encode(block.png).decode("ascii")
            parts.append(f"![{escape(block.caption)}](data:image/png;base64,{encoded})\n\n*{escape(block.caption)}*")
    return "\n\n".join(parts) + "\n"


def _table(block: Table) -> str:
    lines = ["| " + " | ".join(escape(cell) for cell in block.header) + " |"]
    lines.append("|" + "|".join("---:" if i in block.numeric else "---" for i in range(len(block.header))) + "|")
    for row in block.rows:
        lines.append("| " + " | ".join(escape(cell) or " " for cell in row) + " |")
    return "\n".join(lines)
