"""Cleaning free text that users type: one place that decides what counts as empty or too long."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class CleanText:
    value: str | None
    problem: str | None = None  # empty | long

    @property
    def ok(self) -> bool:
        return self.value is not None


def clean_text(raw: str | None, limit: int, *, single_line: bool = False) -> CleanText:
    """Drop control and format characters (keeping line breaks unless ``single_line``),
    trim, and check length. Emoji and right-to-left text stay as they are."""
    if raw is None:
        return CleanText(None, "empty")
    kept = []
    for char in unicodedata.normalize("NFC", raw):
        if char in "\n\t":
            kept.append(" " if single_line or char == "\t" else "\n")
        elif unicodedata.category(char) in ("Cc", "Cs", "Co") or char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            continue  # control characters and bidi overrides that could garble a message
        else:
            kept.append(char)
    lines = ["".join(line).strip() for line in "".join(kept).split("\n")]
    text = "\n".join(" ".join(line.split()) for line in lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    if not text:
        return CleanText(None, "empty")
    if len(text) > limit:
        return CleanText(None, "long")
    return CleanText(text)
