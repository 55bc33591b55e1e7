"""The report's follow-up section: only once goals were reported on, values per goal with what
happened and where the goal stands, the chart beside them, owners named only in a report with names."""

from __future__ import annotations

import dataclasses

import pytest

from bot.documents.report.files import build_report
from bot.documents.report.markdown import build_markdown
from bot.documents.report.outline import FOLLOWUP_CHART
from tests.report.test_report_builders import TEXTS, full, headings, open_docx
from tests.texts.samples_followup import GOALS


@pytest.mark.parametrize(
    ("lang", "heading", "row", "status"),
    [
        (
            "nl",
            "## Opvolging van de doelen",
            "| 1 maart 2027 | 18% | Twee <stallingen> |",
            "Stand: op schema. Streefwaarde: 30%. Deadline: 31 december 2027.",
        ),
        (
            "en",
            "## Follow-up of the goals",
            "| 1 March 2027 | 18% | Twee <stallingen> |",
            "Status: on track. Target: 30%. Deadline: 31 December 2027.",
        ),
    ],
)
def test_the_section_holds_each_goal_and_its_reports(lang: str, heading: str, row: str, status: str) -> None:
    data = full(followup=tuple(GOALS[:4]))
    text = build_markdown(data, TEXTS, lang, {FOLLOWUP_CHART: b"png"})
    section = text[text.index(heading) :]
    assert status in section
    assert row.replace("<", "\\<").replace(">", "\\>") in section  # user text escaped
    assert ("Nog geen melding." if lang == "nl" else "No report yet.") in section
    assert "](opvolging.png)" in section
    assert "Target: –" not in section and "Streefwaarde: –" not in section  # a goal without numbers says less


def test_no_reports_no_section_and_names_only_with_names() -> None:
    plain = build_markdown(full(), TEXTS, "nl", {})
    assert "Opvolging van de doelen" not in plain
    anonymous = dataclasses.replace(GOALS[0], owner_name=None)
    assert "Rapporteert:" not in build_markdown(full(followup=(anonymous,)), TEXTS, "nl", {})
    assert "Rapporteert: Bart <B>." in build_markdown(full(followup=(GOALS[0],)), TEXTS, "nl", {}).replace("\\", "")


def test_the_word_document_has_the_section_and_its_chart() -> None:
    files = build_report(full(followup=tuple(GOALS[:3])), TEXTS)
    document = open_docx(files.docx)
    assert "Opvolging van de doelen" in headings(document, 1)
    assert len(document.inline_shapes) >= 2  # the voting chart and the follow-up chart
    assert "opvolging.png" in files.markdown


def test_the_chart_is_a_phone_wide_png_with_a_panel_per_goal() -> None:
    from bot.documents.progress_chart import render_progress
    from conversations.goal_followup import status_words

    class Context:  # status_words reads only the texts
        texts = TEXTS

    png = render_progress(GOALS, status_words(Context(), "nl"))  # type: ignore[arg-type]
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == 900
    assert int.from_bytes(png[20:24], "big") > int.from_bytes(
        render_progress(GOALS[:2], status_words(Context(), "nl"))[20:24], "big"
    )  # type: ignore[arg-type]
