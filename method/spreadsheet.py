"""Cells of a CSV file that a spreadsheet opens: nothing in them runs as a formula.

Excel, LibreOffice and Google Sheets take a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and
some a tab or a carriage return) as a formula: a theme named ``=HYPERLINK(...)`` from a scan file
would run in the moderator's spreadsheet. Such a text gets a leading apostrophe, which the
spreadsheet shows as plain text (OWASP's advice for CSV injection). Numbers stay numbers: a
negative number is written as a number, not as text.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a CSV writer should get it: text that could start a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: list[object] | tuple[object, ...]) -> list[object]:
    return [safe_cell(value) for value in values]
