"""The report's files, named clearly: one call from a ReportData to the DOCX, the Markdown and the HTML."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.documents.report.charts import followup_chart, round_charts
from bot.documents.report.docx_writer import build_docx
from bot.documents.report.html import build_html
from bot.documents.report.markdown import build_markdown, markdown_zip, pictures
from bot.documents.report.outline import FOLLOWUP_CHART
from bot.render import Texts
from storage.records import ReportData


@dataclass(frozen=True)
class ReportFiles:
    docx: bytes
    markdown: str
    markdown_zip: bytes  # the Markdown with its charts as PNG files
    html: str
    docx_name: str  # e.g. mvo-rapport-gemeente-zottegem-2026-12-20.docx
    markdown_name: str  # inside the ZIP
    markdown_zip_name: str
    html_name: str


def slug(text: str) -> str:
    """ASCII letters, digits and hyphens: safe in a file name on every system."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")


def house_style(path: Path | None) -> bytes | None:
    """The municipality's Word template (REPORT_TEMPLATE), read for each report so a new one counts."""
    return path.read_bytes() if path is not None else None


def build_report(data: ReportData, texts: Texts, template: bytes | None = None) -> ReportFiles:
    """Charts, DOCX, Markdown and HTML in the trajectory's language. Takes ~0.2 s per voting round
    (matplotlib): call it off the event loop. The same data gives the same bytes. ``template``:
    the house style for the DOCX (house_style.py)."""
    lang = texts.lang(data.language)
    charts = round_charts(data, texts, lang)
    if data.followup:
        charts[FOLLOWUP_CHART] = followup_chart(data, texts, lang)
    stem = "-".join(
        part
        for part in (texts.label(lang, "report.file.name"), slug(data.organisation or ""), data.on.isoformat())
        if part
    )
    markdown = build_markdown(data, texts, lang, charts)
    return ReportFiles(
        docx=build_docx(data, texts, lang, charts, template),
        markdown=markdown,
        markdown_zip=markdown_zip(f"{stem}.md", markdown, pictures(data, texts, lang, charts)),
        html=build_html(data, texts, lang, charts),
        docx_name=f"{stem}.docx",
        markdown_name=f"{stem}.md",
        markdown_zip_name=f"{stem}-markdown.zip",
        html_name=f"{stem}.html",
    )
