"""The group's archive as one ZIP: writing it, and reading it back with every check first.

Pure: no Telegram, no SQL. The tables arrive as plain dicts (one list of rows per table, ids
as in the source, foreign keys as ids); the schema that says which columns and links a table
has comes from ``storage/archive.py``. Reading never trusts the file: sizes are bounded before
anything is inflated, every value is checked against its column, and every foreign key must
point at a row in the same archive. Any problem raises :class:`ArchiveError` with a code the
templates turn into words, and nothing is imported.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from method.spreadsheet import safe_cell

FORMAT = "kopgroep-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

# Telegram lets a bot download files up to 20 MB; a real group's archive is far below 1 MB.
MAX_ZIP_BYTES = 20 * 1024 * 1024
MAX_MEMBER_BYTES = 30 * 1024 * 1024  # one inflated table
MAX_TOTAL_BYTES = 60 * 1024 * 1024  # all inflated tables together
MAX_ROWS = 200_000  # all tables together
MAX_RATIO = 200  # inflated size / compressed size of one member; more is a ZIP bomb

Rows = list[dict[str, object]]
Tables = dict[str, Rows]


@dataclass(frozen=True)
class ColumnSpec:
    """One column as the archive sees it: its kind, whether it may be empty, what it points at."""

    name: str
    kind: str  # int | float | str | bool | datetime | date
    nullable: bool
    references: str | None = None  # table whose "id" this column holds
    max_length: int | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    has_id: bool  # a single integer primary key called "id"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


@dataclass
class ArchiveError(Exception):
    """Why an archive cannot be read: ``code`` picks the message, ``detail`` fills it in."""

    code: str
    detail: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.detail}"


def to_json_value(value: object) -> object:
    """A database value as JSON: datetimes and dates as ISO 8601 text, the rest as it is."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# --- writing -----------------------------------------------------------------------------


def manifest(tables: Mapping[str, Rows], *, app_version: str, exported_at: datetime) -> dict[str, object]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version,
        "exported_at": exported_at.isoformat(),
        "counts": {name: len(rows) for name, rows in tables.items()},
    }


def _csv(spec: TableSpec, rows: Rows) -> bytes:
    """The table for a spreadsheet: UTF-8 with BOM (Excel reads it right), ``;`` as in Belgium."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(spec.column_names)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else _csv_cell(row.get(name)) for name in spec.column_names])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    return safe_cell(value)


def signature(members: Mapping[str, bytes], key: bytes) -> str:
    """HMAC-SHA256 over the tables' JSON, keyed with the instance's secret: proves an archive
    was made by this bot (or one sharing its secret) and not changed since."""
    mac = hmac.new(hashlib.sha256(b"kopgroep-archive:" + key).digest(), digestmod=hashlib.sha256)
    for name in sorted(members):
        content = members[name]
        mac.update(f"{name}\0{len(content)}\0".encode())
        mac.update(content)
    return mac.hexdigest()


def build_zip(
    tables: Mapping[str, Rows],
    schema: Sequence[TableSpec],
    *,
    app_version: str,
    exported_at: datetime,
    key: bytes | None = None,
) -> bytes:
    """``manifest.json``, then per table ``<table>.json`` (read back by restore) and ``<table>.csv``.

    With ``key``, the manifest carries the tables' signature (see :func:`signature`)."""
    members = {
        f"{spec.name}.json": json.dumps(tables.get(spec.name, []), ensure_ascii=False, indent=1).encode("utf-8")
        for spec in schema
    }
    info = manifest(tables, app_version=app_version, exported_at=exported_at)
    if key is not None:
        info["signature"] = signature(members, key)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(info, ensure_ascii=False, indent=2))
        for spec in schema:
            archive.writestr(f"{spec.name}.json", members[f"{spec.name}.json"])
            archive.writestr(f"{spec.name}.csv", _csv(spec, tables.get(spec.name, [])))
    return buffer.getvalue()


def is_signed(data: bytes, schema: Sequence[TableSpec], key: bytes) -> bool:
    """Whether the archive carries this instance's signature over its tables, unchanged.

    Call after :func:`read_zip` accepted the file (that bounds every size first)."""
    budget = [MAX_TOTAL_BYTES]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = json.loads(_read_member(archive, MANIFEST, budget))
        members = {f"{spec.name}.json": _read_member(archive, f"{spec.name}.json", budget) for spec in schema}
    found = info.get("signature")
    return isinstance(found, str) and hmac.compare_digest(found, signature(members, key))


# --- reading -----------------------------------------------------------------------------


def _read_member(archive: zipfile.ZipFile, name: str, budget: list[int]) -> bytes:
    """One member, inflated at most up to its limits (the sizes in the header are not trusted)."""
    info = archive.getinfo(name)
    limit = min(MAX_MEMBER_BYTES, budget[0], max(info.compress_size, 1024) * MAX_RATIO)
    with archive.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ArchiveError("too_large", {"name": name})
    budget[0] -= len(data)
    return data


def _load_json(archive: zipfile.ZipFile, name: str, budget: list[int]) -> object:
    try:
        return json.loads(_read_member(archive, name, budget).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ArchiveError("bad_json", {"name": name}) from None


def read_zip(data: bytes, schema: Sequence[TableSpec]) -> Tables:
    """The tables of an archive, fully checked; raises :class:`ArchiveError` at the first problem."""
    if len(data) > MAX_ZIP_BYTES:
        raise ArchiveError("too_large", {"name": "zip"})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveError("not_zip") from None
    try:
        with archive:
            return _read(archive, schema)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, OSError):
        # Broken CRC, encrypted or truncated members, an unknown compression method.
        raise ArchiveError("not_zip") from None


def _read(archive: zipfile.ZipFile, schema: Sequence[TableSpec]) -> Tables:
    names = set(archive.namelist())
    if len(archive.infolist()) > 4 * len(schema) + 10:
        raise ArchiveError("too_large", {"name": "zip"})
    if MANIFEST not in names:
        raise ArchiveError("no_manifest")
    budget = [MAX_TOTAL_BYTES]
    info = _load_json(archive, MANIFEST, budget)
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise ArchiveError("no_manifest")
    if info.get("format_version") != FORMAT_VERSION:
        raise ArchiveError("version", {"found": str(info.get("format_version"))[:10], "expected": FORMAT_VERSION})
    counts = info.get("counts")
    if not isinstance(counts, dict):
        raise ArchiveError("no_manifest")
    tables: Tables = {}
    total = 0
    for spec in schema:
        name = f"{spec.name}.json"
        if name not in names:
            raise ArchiveError("missing_table", {"table": spec.name})
        rows = _load_json(archive, name, budget)
        if not isinstance(rows, list):
            raise ArchiveError("bad_table", {"table": spec.name})
        if counts.get(spec.name) != len(rows):
            raise ArchiveError("count_mismatch", {"table": spec.name})
        total += len(rows)
        if total > MAX_ROWS:
            raise ArchiveError("too_large", {"name": spec.name})
        tables[spec.name] = [_checked_row(spec, row, index) for index, row in enumerate(rows, start=1)]
    check_links(tables, schema)
    return tables


def _checked_row(spec: TableSpec, row: object, index: int) -> dict[str, object]:
    if not isinstance(row, dict) or set(row) != set(spec.column_names):
        raise ArchiveError("bad_row", {"table": spec.name, "row": index})
    for column in spec.columns:
        if not _fits(column, row[column.name]):
            raise ArchiveError("bad_value", {"table": spec.name, "row": index, "column": column.name})
    return row


def _fits(column: ColumnSpec, value: object) -> bool:
    if value is None:
        return column.nullable
    if column.kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if column.kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if column.kind == "bool":
        return isinstance(value, bool)
    if column.kind == "str":
        return isinstance(value, str) and (column.max_length is None or len(value) <= column.max_length)
    if column.kind in ("datetime", "date"):
        if not isinstance(value, str) or len(value) > 40:
            return False
        try:
            parsed = datetime.fromisoformat(value) if column.kind == "datetime" else date.fromisoformat(value)
        except ValueError:
            return False
        return column.kind == "date" or parsed.tzinfo is not None  # type: ignore[union-attr]
    return False


def check_links(tables: Mapping[str, Rows], schema: Sequence[TableSpec]) -> None:
    """Ids unique per table, and every foreign key pointing at a row of this archive."""
    ids: dict[str, set[object]] = {}
    for spec in schema:
        if spec.has_id:
            seen = [row["id"] for row in tables[spec.name]]
            if len(set(seen)) != len(seen):
                raise ArchiveError("duplicate_id", {"table": spec.name})
            ids[spec.name] = set(seen)
    if len(tables.get("trajectory", [])) != 1:
        raise ArchiveError("bad_table", {"table": "trajectory"})
    for spec in schema:
        for column in spec.columns:
            if column.references is None:
                continue
            known = ids.get(column.references, set())
            for index, row in enumerate(tables[spec.name], start=1):
                value = row[column.name]
                if value is not None and value not in known:
                    raise ArchiveError("broken_link", {"table": spec.name, "row": index, "column": column.name})
