"""Candidate themes: shipped catalogues (SDGs, ISO 26000, pilot examples), the reflective
questions, the glossary, and the import of the organisation's own MVO-scan file.

Pure logic: plain data in, frozen dataclasses out; no Telegram, no SQL.
"""

from method.themes.catalogues import (
    CATALOGUES,
    LANGUAGES,
    SDG_NUMBERS,
    Catalogue,
    CatalogueError,
    CatalogueTheme,
    Glossary,
    GlossaryEntry,
    fold,
    load_catalogue,
    load_glossary,
    load_questions,
    sdg_name,
)
from method.themes.scan_import import parse_scan, template_csv
from method.themes.scan_rows import (
    ERROR_CODES,
    FIELDS,
    MATURITY_MAX,
    MATURITY_MIN,
    MAX_DESCRIPTION,
    MAX_FILE_BYTES,
    MAX_NAME,
    MAX_SUB_THEME,
    MAX_TEXT,
    MAX_THEMES,
    ScanError,
    ScanImport,
    ScanTheme,
)

__all__ = [
    "CATALOGUES",
    "ERROR_CODES",
    "FIELDS",
    "LANGUAGES",
    "MATURITY_MAX",
    "MATURITY_MIN",
    "MAX_DESCRIPTION",
    "MAX_FILE_BYTES",
    "MAX_NAME",
    "MAX_SUB_THEME",
    "MAX_TEXT",
    "MAX_THEMES",
    "SDG_NUMBERS",
    "Catalogue",
    "CatalogueError",
    "CatalogueTheme",
    "Glossary",
    "GlossaryEntry",
    "ScanError",
    "ScanImport",
    "ScanTheme",
    "fold",
    "load_catalogue",
    "load_glossary",
    "load_questions",
    "parse_scan",
    "sdg_name",
    "template_csv",
]
