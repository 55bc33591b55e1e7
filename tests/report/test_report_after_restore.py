"""Issue #5: export then restore gives the same report (on SQLite and PostgreSQL).

The seeded trajectory fills every exported table (themes with SDGs, a closed round with figures,
dream images, goals, the council's decision, evaluation answers), so each report section has
content to lose.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from docx import Document

from bot.documents.report.files import build_report
from bot.render import Texts
from method.portability.archive import build_zip, read_zip
from storage.archive import export_trajectory, restore, schema
from storage.db import Database
from storage.report import report_data
from tests.storage.archive_helpers import new_group, seed

ON = date(2026, 12, 20)
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _docx_text(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return lines


@pytest.mark.parametrize("with_names", [False, True])
def test_export_then_restore_gives_the_same_report(db: Database, with_names: bool) -> None:
    source = db.run_sync(seed)
    archive = build_zip(db.run_sync(export_trajectory, source), schema(), app_version="test", exported_at=NOW)
    target = db.run_sync(new_group, -7002)
    db.run_sync(restore, target, read_zip(archive, schema()))

    texts = Texts()
    before = build_report(db.run_sync(report_data, source, on=ON, with_names=with_names), texts)
    after = build_report(db.run_sync(report_data, target, on=ON, with_names=with_names), texts)

    # Not an empty comparison: the seeded goals, decision, figures and answers are in the report.
    markdown = before.markdown
    assert "Thema 1" in markdown and "| " in markdown and "![" in markdown
    assert after.markdown == markdown
    assert after.html == before.html
    assert _docx_text(after.docx) == _docx_text(before.docx)
    assert after.docx_name == before.docx_name
