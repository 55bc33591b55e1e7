"""The voting rounds as CSV files: ballots under pseudonyms, and the figures per theme."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from method.spreadsheet import safe_row

BALLOT_HEADER = ("round", "ballot", "theme_number", "theme", "score", "reason")
FIGURE_HEADER = ("round", "theme_number", "theme", "votes", "total", "mean", "median", "ones", "twos", "threes", "share_threes", "rank")


def to_csv(header: tuple[str, ...], rows: Iterable[tuple]) -> bytes:
    """UTF-8 with BOM and ';' so Excel in Belgium opens it as columns; numbers with '.'."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_row(["" if value is None else (f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else value) for value in row]))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
