"""Read the moderator's MVO-scan file: the organisation's own candidate themes, as CSV or YAML.

``parse_scan(data, filename)`` never raises on bad input: it returns a :class:`ScanImport` with
either the themes (``rows``) or what is wrong (``errors``), never both. A file with one error
imports nothing, so the moderator fixes the file and sends it again.

Each error is a :class:`ScanError` record ``(line, code, params)``: ``line`` is the 1-based line
in the file (``None`` for the file as a whole), ``code`` one of :data:`ERROR_CODES`, ``params``
the values a message may show (texts from the file cut to 40 characters; ``name`` to 120, ``columns`` to 200).
Codes and their params:

=====================  ==========================================================================
code                   params
=====================  ==========================================================================
``too_large``          ``size``, ``max`` (bytes)
``empty_file``         (none): nothing, or only a header, or an empty YAML list
``not_utf8``           (none): not UTF-8, UTF-16 with BOM or Windows-1252 text (or binary)
``unsupported_format`` ``filename``: a spreadsheet, document or PDF instead of CSV/YAML
``bad_yaml``           ``detail`` (English, from the parser or about the structure)
``bad_csv``            ``detail`` (English, from the csv module)
``no_name_column``     ``columns`` (the header cells, comma-separated)
``unknown_column``     ``column`` (as written; ``""`` for a column without header); CSV also
                       ``position`` (1-based column number)
``duplicate_column``   ``column``, ``field``
``too_many_fields``    ``expected``, ``found``: more cells than header columns
``missing_name``       (none)
``duplicate_name``     ``name``, ``first_line``
``too_long``           ``field``, ``length``, ``max`` (characters)
``bad_sdg``            ``value`` (the token as written)
``bad_maturity``       ``value``, ``min``, ``max``
``bad_value``          ``field``: a YAML list or mapping where text was expected
``too_many_rows``      ``count``, ``max``
``too_many_errors``    ``shown``, ``count``: only the first errors are listed (always last)
=====================  ==========================================================================
"""


from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

import yaml

from method.spreadsheet import safe_row
from method.themes.catalogues import fold
from method.themes.scan_rows import (
    FIELD_OF,
    FIELDS,
    MAX_FILE_BYTES,
    MAX_THEMES,
    ScanError,
    ScanImport,
    ScanTheme,
    Value,
    clean_line,
    duplicate_names,
    error_at,
    failed,
    short,
    theme_from,
)

_THEME_LIST_KEYS = frozenset(fold(key) for key in ("themes", "thema's", "themas"))

_TEMPLATE_HEADERS = {
    "nl": ("naam", "beschrijving", "subthema's", "sdg's", "maturiteit", "sterktes", "zwaktes"),
    "en": FIELDS,
}

_SPREADSHEET_EXTENSIONS = frozenset(
    {"xlsx", "xlsm", "xls", "ods", "numbers", "docx", "doc", "odt", "pdf", "zip", "json"}
)
_YAML_EXTENSIONS = frozenset({"yaml", "yml"})
_CSV_EXTENSIONS = frozenset({"csv", "txt", "tsv"})
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")


# ---------------------------------------------------------------------------------------------
# Entry point


def parse_scan(data: bytes, filename: str | None = None) -> ScanImport:
    """Parse a scan file sent as ``data``; ``filename`` (may be None) decides CSV or YAML.

    ``.yaml``/``.yml`` is read as YAML, ``.csv``/``.txt``/``.tsv`` as CSV; any other name is
    guessed from the content. Spreadsheets (``.xlsx`` and the like) are refused with
    ``unsupported_format``: the moderator should save them as CSV first.
    """
    data = bytes(data)
    extension = _extension(filename)
    if len(data) > MAX_FILE_BYTES:
        return failed([error_at(None, "too_large", size=len(data), max=MAX_FILE_BYTES)])
    if extension in _SPREADSHEET_EXTENSIONS or data.startswith(_BINARY_MAGIC):
        return failed([error_at(None, "unsupported_format", filename=filename or "")])
    decoded = _decode(data)
    if decoded is None:
        return failed([error_at(None, "not_utf8")])
    text, encoding = decoded
    if not text.strip():
        return failed([error_at(None, "empty_file")], encoding=encoding)
    if extension in _YAML_EXTENSIONS:
        fmt = "yaml"
    elif extension in _CSV_EXTENSIONS:
        fmt = "csv"
    else:
        fmt = "yaml" if _looks_like_yaml(text) else "csv"
    themes, names, errors = _read_yaml(text) if fmt == "yaml" else _read_csv(text)
    errors += duplicate_names(names)
    if errors:
        return failed(errors, fmt, encoding)
    if not themes:
        return failed([error_at(None, "empty_file")], fmt, encoding)
    return ScanImport(rows=tuple(themes), format=fmt, encoding=encoding)


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return filename.rsplit(".", 1)[1].strip().lower()


def _decode(data: bytes) -> tuple[str, str] | None:
    """The text and the encoding it was read with; None when it is not readable text."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            text, encoding = data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text, encoding = data.decode("utf-16"), "utf-16"
        else:
            try:
                text, encoding = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return None
    if "\x00" in text:  # binary content that happened to decode
        return None
    return text.lstrip("\ufeff"), encoding


def _looks_like_yaml(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return stripped.startswith(("-", "%YAML", "{", "[")) or bool(re.match(r"^[^,;\t\"]+:(\s|$)", stripped))
    return False


# ---------------------------------------------------------------------------------------------
# CSV

_DELIMITERS = (";", ",", "\t")


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def _choose_delimiter(header_line: str, text: str) -> str:
    counts = {delimiter: _count_outside_quotes(header_line, delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: (counts[delimiter], delimiter == ";"))
    if counts[best]:
        return best
    # One column: pick a delimiter that does not occur, so a name with a comma stays whole.
    for delimiter in ("\t", ";", ","):
        if delimiter not in text:
            return delimiter
    return ";"


def _records(text: str, delimiter: str, first_line: int) -> Iterator[tuple[int, list[str]]]:
    """(line of the record's first line, cells); blank lines are left out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    for cells in reader:
        start = first_line + previous
        previous = reader.line_num
        if cells and any(cell.strip() for cell in cells):
            yield start, cells


def _read_csv(text: str) -> tuple[list[ScanTheme], list[tuple[int, str]], list[ScanError]]:
    offset = 0
    delimiter = None
    body = text
    # Excel's "sep=;" first line names the delimiter.
    sep = re.match(r"sep=([^\r\n])(?:\r\n|\r|\n|$)", text, re.IGNORECASE)
    if sep:
        delimiter = sep.group(1)
        offset = 1
        body = text[sep.end() :]
    if delimiter is None:
        # Lines as the csv module counts them: only \r\n, \r and \n end a line.
        header_line = next((line for line in re.split(r"\r\n|\r|\n", body) if line.strip()), "")
        delimiter = _choose_delimiter(header_line, body)
    try:
        records = list(_records(body, delimiter, first_line=offset + 1))
    except csv.Error as error:  # e.g. a field larger than the csv module allows
        return [], [], [error_at(None, "bad_csv", detail=str(error))]
    if not records:
        return [], [], [error_at(None, "empty_file")]

    header_at, header = records[0]
    errors: list[ScanError] = []
    columns: list[str | None] = []  # field per column; None for a column to ignore
    unnamed: list[int] = []
    for position, cell in enumerate(header, start=1):
        raw = clean_line(cell)
        field_name = FIELD_OF.get(fold(raw))
        if not fold(raw):
            unnamed.append(position)
            columns.append(None)
        elif field_name is None:
            errors.append(error_at(header_at, "unknown_column", column=short(raw), position=position))
            columns.append(None)
        elif field_name in columns:
            errors.append(error_at(header_at, "duplicate_column", column=short(raw), field=field_name))
            columns.append(None)
        else:
            columns.append(field_name)
    if "name" not in columns:
        headers = short(", ".join(clean_line(cell) for cell in header), 200)
        return [], [], errors + [error_at(header_at, "no_name_column", columns=headers)]

    data_rows = records[1:]
    if len(data_rows) > MAX_THEMES:
        return [], [], [error_at(None, "too_many_rows", count=len(data_rows), max=MAX_THEMES)]
    reported_unnamed: set[int] = set()
    themes: list[ScanTheme] = []
    names: list[tuple[int, str]] = []
    for line, cells in data_rows:
        extra = [cell for cell in cells[len(columns) :] if cell.strip()]
        if extra:
            errors.append(error_at(line, "too_many_fields", expected=len(columns), found=len(cells)))
            continue
        for position in unnamed:
            if position not in reported_unnamed and position <= len(cells) and cells[position - 1].strip():
                reported_unnamed.add(position)
                errors.append(error_at(line, "unknown_column", column="", position=position))
        values = {
            field_name: Value(line=line, text=cell)
            for field_name, cell in zip(columns, cells, strict=False)
            if field_name is not None
        }
        name, theme = theme_from(line, values, errors)
        names.append((values["name"].line if "name" in values else line, name))
        if theme is not None:
            themes.append(theme)
    return themes, names, errors


# ---------------------------------------------------------------------------------------------
# YAML


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _yaml_value(node: yaml.Node) -> Value | None:
    if _is_null(node):
        return None
    if isinstance(node, yaml.ScalarNode):
        return Value(line=_line(node), text=node.value)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            if _is_null(item):
                continue
            if not isinstance(item, yaml.ScalarNode):
                return Value(line=_line(item), bad=True)
            items.append((_line(item), item.value))
        return Value(line=_line(node), items=tuple(items))
    return Value(line=_line(node), bad=True)


def _read_yaml(text: str) -> tuple[list[ScanTheme], list[tuple[int, str]], list[ScanError]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else None
        character = ord(error.character) if isinstance(error.character, str) else error.character
        return [], [], [error_at(line, "bad_yaml", detail=f"unacceptable character #x{character:04x}")]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = error.problem or error.context or "invalid YAML"
        return [], [], [error_at(mark.line + 1 if mark else None, "bad_yaml", detail=detail)]
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        return [], [], [error_at(None, "bad_yaml", detail=type(error).__name__)]
    if root is None or _is_null(root):
        return [], [], [error_at(None, "empty_file")]

    items_node = root
    if isinstance(root, yaml.MappingNode):
        keys = {fold(key.value): value for key, value in root.value if isinstance(key, yaml.ScalarNode)}
        list_key = next((key for key in keys if key in _THEME_LIST_KEYS), None)
        if list_key is not None:
            items_node = keys[list_key]
        elif any(key in FIELD_OF for key in keys):
            items_node = yaml.SequenceNode("tag:yaml.org,2002:seq", [root], root.start_mark, root.end_mark)
        else:
            detail = "expected a list of themes, or a mapping with the key 'themes'"
            return [], [], [error_at(_line(root), "bad_yaml", detail=detail)]
    if _is_null(items_node):
        return [], [], [error_at(None, "empty_file")]
    if not isinstance(items_node, yaml.SequenceNode):
        return [], [], [error_at(_line(items_node), "bad_yaml", detail="expected a list of themes")]

    items = [item for item in items_node.value if not _is_null(item)]
    if len(items) > MAX_THEMES:
        return [], [], [error_at(None, "too_many_rows", count=len(items), max=MAX_THEMES)]
    errors: list[ScanError] = []
    themes: list[ScanTheme] = []
    names: list[tuple[int, str]] = []
    for item in items:
        line = _line(item)
        if isinstance(item, yaml.ScalarNode):  # "- Duurzaam aankopen": a theme with only a name
            values = {"name": Value(line=line, text=item.value)}
        elif isinstance(item, yaml.MappingNode):
            values = {}
            seen: set[str] = set()
            for key_node, value_node in item.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
                field_name = FIELD_OF.get(fold(key))
                if field_name is None:
                    errors.append(error_at(_line(key_node), "unknown_column", column=short(clean_line(key))))
                elif field_name in seen:
                    errors.append(
                        error_at(_line(key_node), "duplicate_column", column=short(clean_line(key)), field=field_name)
                    )
                else:
                    seen.add(field_name)
                    value = _yaml_value(value_node)
                    if value is not None:
                        values[field_name] = value
        else:
            errors.append(error_at(line, "bad_yaml", detail="expected a theme: a name, or keys like 'name' and 'sdgs'"))
            continue
        name, theme = theme_from(line, values, errors)
        names.append((values["name"].line if "name" in values else line, name))
        if theme is not None:
            themes.append(theme)
    return themes, names, errors


# ---------------------------------------------------------------------------------------------
# A template the bot can send to the moderator


def template_csv(lang: str = "nl") -> bytes:
    """An example scan file: header in ``lang`` and one example row, as Excel in Belgium writes it

    (UTF-8 with BOM, ";" between columns, decimal comma, CRLF line ends).
    """
    if lang not in _TEMPLATE_HEADERS:
        raise ValueError(f"unknown language {lang!r}")
    if lang == "nl":
        row = (
            "Duurzaam aankopen",
            "Sociale en milieucriteria opnemen in overheidsopdrachten.",
            "Overheidsopdrachten; Kantoormateriaal",
            "12, 8",
            "2,5",
            "Eerste ervaring met duurzame criteria.",
            "Aankopen zijn verspreid over de diensten.",
        )
    else:
        row = (
            "Sustainable purchasing",
            "Include social and environmental criteria in public contracts.",
            "Public contracts; Office supplies",
            "12, 8",
            "2,5",
            "First experience with sustainability criteria.",
            "Purchasing is spread over the departments.",
        )
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(safe_row(_TEMPLATE_HEADERS[lang]))
    writer.writerow(safe_row(row))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
