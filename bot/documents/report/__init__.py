"""The report for the council (step 7): pure builders from a ReportData tree to DOCX, Markdown, HTML.

``outline`` turns the data into a list of neutral blocks (headings, paragraphs, lists, tables,
pictures) in the chosen language; ``build_docx``, ``build_markdown`` and ``build_html`` only lay
those blocks out, so every file holds the same sections. No Telegram, no SQL.
"""

from bot.documents.report.docx_writer import build_docx
from bot.documents.report.html import build_html
from bot.documents.report.markdown import build_markdown
from bot.documents.report.outline import Block, Bullets, Heading, Paragraph, Picture, Table, Words, outline

__all__ = [
    "Block",
    "Bullets",
    "Heading",
    "Paragraph",
    "Picture",
    "Table",
    "Words",
    "build_docx",
    "build_html",
    "build_markdown",
    "outline",
]
