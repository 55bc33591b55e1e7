"""The archive format on its own: what it writes, and every way a file is refused."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from method.portability import archive
from method.portability.archive import ArchiveError, ColumnSpec, TableSpec, build_zip, read_zip

SCHEMA = (
    TableSpec("trajectory", (ColumnSpec("id", "int", False), ColumnSpec("title", "str", False, max_length=20)), True),
    TableSpec(
        "theme",
        (
            ColumnSpec("id", "int", False),
            ColumnSpec("trajectory_id", "int", False, "trajectory"),
            ColumnSpec("parent_id", "int", True, "theme"),
            ColumnSpec("name", "str", False),
            ColumnSpec("maturity", "float", True),
            ColumnSpec("created_at", "datetime", False),
        ),
        True,
    ),
    TableSpec("theme_sdg", (ColumnSpec("theme_id", "int", False, "theme"), ColumnSpec("sdg", "int", False)), False),
)
TABLES = {
    "trajectory": [{"id": 4, "title": "Kopgroep"}],
    "theme": [
        {
            "id": 10,
            "trajectory_id": 4,
            "parent_id": None,
            "name": 'Fiets; en "trein"',
            "maturity": 2.5,
            "created_at": "2026-03-02T09:30:00+00:00",
        },
        {
            "id": 11,
            "trajectory_id": 4,
            "parent_id": 10,
            "name": "Sub",
            "maturity": None,
            "created_at": "2026-03-02T09:30:00+00:00",
        },
    ],
    "theme_sdg": [{"theme_id": 10, "sdg": 12}],
}
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _zip(tables: dict = TABLES, *, manifest: dict | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    data = build_zip(tables, SCHEMA, app_version="0.1.0", exported_at=NOW)
    if manifest is None and extra is None:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            content = source.read(name)
            if name == "manifest.json" and manifest is not None:
                content = json.dumps(manifest).encode()
            out.writestr(name, (extra or {}).pop(name, content))
        for name, content in (extra or {}).items():
            out.writestr(name, content)
    return buffer.getvalue()


def _code(data: bytes) -> str:
    with pytest.raises(ArchiveError) as error:
        read_zip(data, SCHEMA)
    return error.value.code


def test_written_archive_reads_back_the_same() -> None:
    data = _zip()
    assert read_zip(data, SCHEMA) == TABLES
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == [
        "manifest.json",
        "trajectory.json",
        "trajectory.csv",
        "theme.json",
        "theme.csv",
        "theme_sdg.json",
        "theme_sdg.csv",
    ]
    info = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert info == {
        "format": "kopgroep-archive",
        "format_version": 1,
        "app_version": "0.1.0",
        "exported_at": "2026-11-27T12:00:00+00:00",
        "counts": {"trajectory": 1, "theme": 2, "theme_sdg": 1},
    }


def test_csv_opens_in_a_belgian_spreadsheet() -> None:
    text = zipfile.ZipFile(io.BytesIO(_zip())).read("theme.csv").decode("utf-8")
    assert text.startswith("\ufeffid;trajectory_id;parent_id;name;maturity;created_at\r\n")
    assert '10;4;;"Fiets; en ""trein""";2.5;2026-03-02T09:30:00+00:00' in text


def test_not_a_zip_and_a_truncated_zip() -> None:
    assert _code(b"hello, this is a text file") == "not_zip"
    assert _code(_zip()[:-40]) == "not_zip"


def test_foreign_zip_or_other_version() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as other:
        other.writestr("photo.jpg", b"\xff\xd8")
    assert _code(buffer.getvalue()) == "no_manifest"
    assert _code(_zip(manifest={"format": "something-else", "format_version": 1, "counts": {}})) == "no_manifest"
    manifest = {
        "format": "kopgroep-archive",
        "format_version": 2,
        "counts": {"trajectory": 1, "theme": 2, "theme_sdg": 1},
    }
    assert _code(_zip(manifest=manifest)) == "version"


def test_zip_bomb_is_refused_without_inflating_it(monkeypatch: pytest.MonkeyPatch) -> None:
    zeros = b"0" * (5 * 1024 * 1024)  # 5 MB of zeros deflate to a few kB: ratio far above the limit
    assert _code(_zip(extra={"theme.json": zeros})) == "too_large"
    monkeypatch.setattr(archive, "MAX_ZIP_BYTES", 100)
    assert _code(_zip()) == "too_large"


def test_too_many_members() -> None:
    assert _code(_zip(extra={f"x{i}.txt": b"x" for i in range(30)})) == "too_large"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda t: t["theme"][1].update(parent_id=99), "broken_link"),
        (lambda t: t["theme_sdg"][0].update(theme_id=12), "broken_link"),
        (lambda t: t["theme"][0].update(trajectory_id=5), "broken_link"),
        (lambda t: t["theme"][1].update(id=10, parent_id=None), "duplicate_id"),
        (lambda t: t["theme"][0].update(created_at="gisteren"), "bad_value"),
        (lambda t: t["theme"][0].update(created_at="2026-03-02T09:30:00"), "bad_value"),  # no time zone
        (lambda t: t["theme"][0].update(maturity="hoog"), "bad_value"),
        (lambda t: t["theme"][0].update(name=None), "bad_value"),
        (lambda t: t["theme"][0].update(id=True), "bad_value"),
        (lambda t: t["trajectory"][0].update(title="x" * 21), "bad_value"),
        (lambda t: t["theme"][0].pop("name"), "bad_row"),
        (lambda t: t["theme"][0].update(extra=1), "bad_row"),
        (lambda t: t["trajectory"].append({"id": 5, "title": "Twee"}), "bad_table"),
    ],
)
def test_broken_content_is_refused(change, code: str) -> None:  # type: ignore[no-untyped-def]
    tables = json.loads(json.dumps(TABLES))
    change(tables)
    assert _code(_zip(tables)) == code


def test_broken_json_missing_table_and_wrong_count() -> None:
    assert _code(_zip(extra={"theme.json": b"[{"})) == "bad_json"
    assert _code(_zip(extra={"theme.json": b'{"id": 1}'})) == "bad_table"
    assert _code(_zip(extra={"theme.json": b"[]"})) == "count_mismatch"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as partial:
        partial.writestr("manifest.json", json.dumps({"format": "kopgroep-archive", "format_version": 1, "counts": {}}))
    assert _code(buffer.getvalue()) == "missing_table"


def test_signature_proves_origin_and_integrity() -> None:
    key = b"k" * 40
    data = build_zip(TABLES, SCHEMA, app_version="0.1.0", exported_at=NOW, key=key)
    assert read_zip(data, SCHEMA) == TABLES
    assert archive.is_signed(data, SCHEMA, key)
    assert not archive.is_signed(data, SCHEMA, b"another instance's key 0123456789")
    assert not archive.is_signed(_zip(), SCHEMA, key)  # made without a key
    info = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    edited = json.loads(json.dumps(TABLES))
    edited["theme"][1]["name"] = "Iets anders"
    forged = _zip(edited, manifest=info)  # a valid archive with the old signature
    assert read_zip(forged, SCHEMA) == edited and not archive.is_signed(forged, SCHEMA, key)
