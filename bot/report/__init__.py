"""The report for the council (step 7): pure builders from a ReportData tree to DOCX and Markdown.

``outline`` turns the data into a list of neutral blocks (headings, paragraphs, lists, tables,
pictures) in the chosen language; ``build_docx`` and ``build_markdown`` only lay those blocks out,
so both files hold the same sections. No Telegram, no SQL.
"""

from bot.report.docx_writer import build_docx
from bot.report.markdown import build_markdown
from bot.report.outline import Block, Bullets, Heading, Paragraph, Picture, Table, Words, outline

__all__ = [
    "Block",
    "Bullets",
    "Heading",
    "Paragraph",
    "Picture",
    "Table",
    "Words",
    "build_docx",
    "build_markdown",
    "outline",
]
