"""The dream-image template: build it, fill it in as a member would, read it back."""

from __future__ import annotations

import copy
import io
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.documents.dream_template import (
    EMPTY,
    EMPTY_ROWS,
    MAX_BYTES,
    NOT_DOCX,
    NOT_OUR_TEMPLATE,
    TOO_LARGE,
    TemplateTheme,
    build_template,
    clean,
)
from bot.documents.dream_template_read import read_filled

THEMES = (
    TemplateTheme("duurzaam-aankopen", "Duurzaam aankopen", "Kraantjeswater in plaats van flessenwater."),
    TemplateTheme("toegankelijkheid", "Toegankelijkheid", "Documenten in eenvoudige taal."),
    TemplateTheme("gezondheid", "Gezondheid, leefomgeving en biodiversiteit", "Een autovrije dag organiseren."),
)


def _template(lang: str = "nl", themes=THEMES, deadline: str | None = "vrijdag 14 maart") -> bytes:
    return build_template(organisation="Gemeente Wielsbeke", themes=themes, lang=lang, deadline_text=deadline)


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph_after(table: Table) -> Paragraph:
    following = table._tbl.getnext()
    assert following is not None and following.tag == qn("w:p")
    return Paragraph(following, table._parent)


def _insert_paragraph_after(paragraph: Paragraph, text: str) -> Paragraph:
    new = copy.deepcopy(paragraph._p)
    paragraph._p.addnext(new)
    result = Paragraph(new, paragraph._parent)
    result.text = text
    return result


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _filled_by_member() -> bytes:
    document = _open(_template())
    purchase, access, health = document.tables
    # theme 1: two rows filled (one with invisible characters pasted in and spaces), an extra row added,
    # and a second line typed in the same cell
    purchase.cell(1, 0).text = "  Aankoop van\u00a0hybride/elek\u00adtrische wagens.\u200b\ufeff "
    purchase.cell(2, 0).text = "Levenscycluskost mee opnemen in overheidsopdrachten."
    purchase.cell(2, 0).add_paragraph("Hergebruiken van materialen")
    # rows 3..5 stay empty
    purchase.add_row().cells[0].text = "Aankoop kantoormateriaal centraliseren"
    # theme 2: nothing in the table, typed below it instead (with a bullet the member typed)
    below = _paragraph_after(access)
    below.text = "- Geen ambtenarentaal meer in collegebeslissingen"
    _insert_paragraph_after(below, "Diensten zoveel mogelijk op 1 locatie\tbij elkaar")
    # theme 3: one row, a line break inside it, and a paragraph below the table
    health.cell(3, 0).text = "Fietsen naar het werk:\nbeloning voor wie de meeste km doet"
    _paragraph_after(health).text = "Meer overdekte fietsenstallingen"
    return _save(document)


def test_round_trip_reads_what_the_member_wrote_per_theme():
    result = read_filled(_filled_by_member())
    assert result.ok and result.error is None
    assert result.missing == ()
    assert result.lang == "nl"
    assert result.dreams == {
        "duurzaam-aankopen": (
            "Aankoop van hybride/elektrische wagens.",
            "Levenscycluskost mee opnemen in overheidsopdrachten.",
            "Hergebruiken van materialen",
            "Aankoop kantoormateriaal centraliseren",
        ),
        "toegankelijkheid": (
            "Geen ambtenarentaal meer in collegebeslissingen",
            "Diensten zoveel mogelijk op 1 locatie bij elkaar",
        ),
        "gezondheid": (
            "Fietsen naar het werk: beloning voor wie de meeste km doet",
            "Meer overdekte fietsenstallingen",
        ),
    }
    assert [theme.name for theme in result.themes] == [theme.name for theme in THEMES]


def test_unfilled_template_is_empty_and_the_examples_are_not_dream_images():
    result = read_filled(_template())
    assert result.error == EMPTY
    assert not result.ok
    assert all(theme.dreams == () for theme in result.themes)
    assert [theme.key for theme in result.themes] == [theme.key for theme in THEMES]


def test_example_typed_again_by_the_member_is_ignored_but_other_text_is_kept():
    document = _open(_template())
    document.tables[0].cell(1, 0).text = "Kraantjeswater in plaats van flessenwater"
    document.tables[0].cell(2, 0).text = "Voorbeeld: kraantjeswater in plaats van flessenwater."
    document.tables[0].cell(3, 0).text = "Kraantjeswater in alle scholen"
    assert read_filled(_save(document)).dreams["duurzaam-aankopen"] == ("Kraantjeswater in alle scholen",)


def test_renamed_heading_is_still_found_through_its_bookmark():
    document = _open(_template())
    heading = next(p for p in document.paragraphs if p.text.startswith("Thema 2"))
    for run in heading.runs:
        run.text = ""
    heading.runs[0].text = "Toegankelijke gemeente"  # the member rewrote the title
    document.tables[1].cell(1, 0).text = "Sociale media: burgers krijgen ook antwoord"
    result = read_filled(_save(document))
    assert result.dreams["toegankelijkheid"] == ("Sociale media: burgers krijgen ook antwoord",)


def _strip_our_markers(data: bytes) -> bytes:
    """As an editor that keeps neither custom properties nor bookmarks would save it."""
    document = _open(data)
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            del package.rels[rel_id]
    body = document.element.body
    for mark in list(body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
        mark.getparent().remove(mark)
    return _save(document)


def test_without_properties_or_bookmarks_headings_are_matched_on_the_given_theme_names():
    document = _open(_template())
    document.tables[2].cell(1, 0).text = "Een autovrije zondag"
    heading = next(p for p in document.paragraphs if p.text.startswith("Thema 3"))
    heading.runs[0].text = "3. gezondheid, leefomgeving en biodiversiteit"  # renumbered by hand
    data = _strip_our_markers(_save(document))
    assert b"KopgroepSjabloon" not in data and b"kopgroep_thema_" not in data

    assert read_filled(data).error == NOT_OUR_TEMPLATE
    result = read_filled(data, themes=THEMES)
    assert result.ok
    assert result.dreams["gezondheid"] == ("Een autovrije zondag",)
    assert result.missing == ()


def test_text_under_a_heading_of_the_members_own_ends_the_theme():
    document = _open(_template())
    document.tables[2].cell(1, 0).text = "Afval sorteren op alle locaties"
    document.add_heading("Opmerkingen", level=1)
    document.add_paragraph("Ik ben er volgende keer niet bij.")
    result = read_filled(_save(document))
    assert result.dreams["gezondheid"] == ("Afval sorteren op alle locaties",)


def test_a_deleted_theme_heading_is_reported_missing():
    document = _open(_template())
    heading = next(p for p in document.paragraphs if p.text.startswith("Thema 2"))
    heading._p.getparent().remove(heading._p)
    document.tables[0].cell(1, 0).text = "Sociale en milieucriteria in overheidsopdrachten"
    result = read_filled(_save(document))
    assert result.missing == ("toegankelijkheid",)
    assert result.dreams["duurzaam-aankopen"] == ("Sociale en milieucriteria in overheidsopdrachten",)


def test_template_texts_in_dutch_and_in_english():
    dutch = _all_text(_open(_template("nl")))
    assert "Droombeelden – Gemeente Wielsbeke" in dutch
    assert "Wat zou je graag zien gebeuren voor dit thema, als alles mogelijk was?" in dutch
    assert "Thema 1: Duurzaam aankopen" in dutch
    assert "Voorbeeld: Kraantjeswater in plaats van flessenwater." in dutch
    assert "vrijdag 14 maart" in dutch
    assert "if everything were possible" not in dutch

    english = _all_text(_open(_template("en", deadline=None)))
    assert "Dream images – Gemeente Wielsbeke" in english
    assert "What would you like to see happen for this theme, if everything were possible?" in english
    assert "Theme 2: Toegankelijkheid" in english
    assert "Example: Een autovrije dag organiseren." in english
    assert "als alles mogelijk was" not in english
    assert read_filled(_template("en")).lang == "en"


def test_each_theme_gets_a_one_column_table_with_empty_rows_under_its_heading():
    document = _open(_template())
    assert len(document.tables) == len(THEMES)
    for table in document.tables:
        assert len(table.columns) == 1
        assert len(table.rows) == 1 + EMPTY_ROWS
        assert all(row.cells[0].text == "" for row in table.rows[1:])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [f"Thema {n}: {theme.name}" for n, theme in enumerate(THEMES, start=1)]


def test_build_cleans_control_characters_and_refuses_bad_themes():
    data = build_template(
        organisation="Gemeente\x00 Wielsbeke\x1b",
        themes=[TemplateTheme("a", "Duurzaam\x0b aankopen", "Vb\x01.")],
        lang="nl",
        deadline_text="morgen\x07",
    )
    text = _all_text(_open(data))
    assert "Gemeente Wielsbeke" in text and "Duurzaam aankopen" in text and "morgen." in text
    with pytest.raises(ValueError):
        build_template(organisation="X", themes=[], lang="nl", deadline_text=None)
    with pytest.raises(ValueError):
        build_template(organisation="X", themes=[THEMES[0], THEMES[0]], lang="nl", deadline_text=None)


def test_clean_takes_out_control_and_invisible_characters():
    assert clean("  a\x07b\x1b c\u200b\n\td\u00ad\ufeff  ") == "ab c d"
    assert clean("👩\u200d💻 ok") == "👩\u200d💻 ok"


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a word file at all",
        b"PK\x03\x04broken zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,  # an old .doc (or an encrypted .docx)
        _zip({"hello.txt": b"hi"}),
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        None,
        "a string, not bytes",
    ],
)
def test_bad_bytes_are_not_docx_and_never_raise(data):
    assert read_filled(data).error == NOT_DOCX


def test_a_word_file_of_someone_else_is_not_our_template():
    document = docx.Document()
    document.add_heading("Duurzaam aankopen", level=1)
    document.add_paragraph("Iets heel anders")
    assert read_filled(_save(document)).error == NOT_OUR_TEMPLATE


def test_too_large_files_and_zip_bombs_are_refused():
    assert read_filled(b"PK" + b"\x00" * MAX_BYTES).error == TOO_LARGE
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * (60 * 1024 * 1024)})
    assert len(bomb) < MAX_BYTES
    assert read_filled(bomb).error == TOO_LARGE
    assert read_filled(bytearray(_filled_by_member())).ok  # bytearray is fine too


_dream = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=60)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_dream, min_size=1, max_size=8))
def test_whatever_a_member_types_in_the_rows_comes_back_cleaned(texts):
    document = _open(_template(themes=THEMES[:1]))
    table = document.tables[0]
    while len(table.rows) < len(texts) + 1:
        table.add_row()
    for index, text in enumerate(texts, start=1):
        # Word cannot hold XML-forbidden characters; the member cannot type them either
        table.cell(index, 0).text = "".join(ch for ch in text if ch.isprintable() or ch in "\t\n ")
    result = read_filled(_save(document))
    assert result.error in (None, EMPTY)
    for dream in result.dreams["duurzaam-aankopen"]:
        assert dream == dream.strip() and dream
        assert clean(dream) == dream
        assert all(ch.isprintable() or ch == " " for ch in dream.replace("\u200d", ""))
    assert len(result.dreams["duurzaam-aankopen"]) <= len(texts)
