"""The DOCX as a public-sector document: the styles in the report's language (nl-BE, en-GB), an
alternative text on every chart, page numbers in the footer, title and author in the properties,
nothing of python-docx's own; and a municipality's house style (REPORT_TEMPLATE). Each check
reads the file itself: python-docx and the package's XML."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from bot.config import ConfigError, load_settings
from bot.documents.report import build_docx
from bot.documents.report.charts import round_charts
from bot.documents.report.files import build_report
from bot.documents.report.house_style import DOCUMENT_TYPE, TEMPLATE_TYPE
from tests.report.test_report_builders import TEXTS, full

LANGUAGE = {"nl": "nl-BE", "en": "en-GB"}


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def footer_xml(data: bytes) -> str:
    names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if re.fullmatch(r"word/footer\d*\.xml", n)]
    assert names, "no footer part"
    return "".join(part(data, n) for n in names)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_language_alt_texts_footer_and_properties(lang: str) -> None:
    data = full(language=lang)
    charts = round_charts(data, TEXTS, lang)
    assert charts, "the data has voting rounds: the check needs charts"
    out = build_docx(data, TEXTS, lang, charts)

    styles = part(out, "word/styles.xml")
    languages = set(re.findall(r'<w:lang w:val="([^"]+)"', styles))
    assert languages == {LANGUAGE[lang]}, languages
    assert re.search(r"<w:rPrDefault>.*<w:lang w:val=\"" + LANGUAGE[lang], styles, re.S)
    assert set(re.findall(r'<w:themeFontLang w:val="([^"]+)"', part(out, "word/settings.xml"))) <= {LANGUAGE[lang]}

    body = part(out, "word/document.xml")
    pictures = re.findall(r"<wp:docPr [^>]*>", body)
    assert len(pictures) == len(charts)
    for picture in pictures:
        alt = re.search(r'descr="([^"]*)"', picture)
        assert alt and len(alt.group(1)) > 40, picture  # a sentence, not a file name
    chart_words = "Staafdiagram van stemronde" if lang == "nl" else "Bar chart of voting round"
    assert all(chart_words in p for p in pictures)

    footer = footer_xml(out)
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer) and " NUMPAGES " in footer
    assert footer.count('w:fldCharType="begin"') == 2 and footer.count('w:fldCharType="end"') == 2
    assert ("Pagina" if lang == "nl" else "Page") in footer

    properties = docx.Document(io.BytesIO(out)).core_properties
    assert properties.title == TEXTS.label(lang, "report.doc.title", organisation=data.organisation)
    assert data.organisation and data.organisation in properties.title
    assert properties.author == data.organisation
    assert properties.language == LANGUAGE[lang]
    assert properties.comments == "" and "python-docx" not in part(out, "docProps/core.xml")
    names = zipfile.ZipFile(io.BytesIO(out)).namelist()
    assert not [n for n in names if "thumbnail" in n]
    assert "thumbnail" not in part(out, "_rels/.rels")


def house_template(tmp_path: Path, *, as_dotx: bool, numbered: bool = False) -> Path:
    """A municipality's Word template: its own font, a header, sample body text, perhaps page numbers."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Garamond"
    document.sections[0].header.paragraphs[0].text = "Gemeente Voorbeeld - huisstijl"
    document.add_paragraph("Voorbeeldtekst die niet in het rapport hoort")
    if numbered:
        run = document.sections[0].footer.paragraphs[0].add_run()
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run._r.append(field)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    path = tmp_path / ("huisstijl.dotx" if as_dotx else "huisstijl.docx")
    if as_dotx:  # what Word writes for a template: the same package, another content type
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = content.replace(DOCUMENT_TYPE.encode(), TEMPLATE_TYPE.encode())
                target.writestr(item, content)
        data = out.getvalue()
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("as_dotx", [False, True])
def test_a_house_style_template(tmp_path: Path, as_dotx: bool) -> None:
    path = house_template(tmp_path, as_dotx=as_dotx)
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123456:" + "a" * 35, "REPORT_TEMPLATE": str(path)}, env_file=None)
    assert settings.report_template == path
    out = build_report(full(), TEXTS, path.read_bytes()).docx
    document = docx.Document(io.BytesIO(out))
    text = [p.text for p in document.paragraphs]
    assert "Voorbeeldtekst die niet in het rapport hoort" not in text
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)  # the report is there
    assert document.styles["Normal"].font.name == "Garamond"
    assert "Gemeente Voorbeeld - huisstijl" in document.sections[0].header.paragraphs[0].text
    assert set(re.findall(r'<w:lang w:val="([^"]+)"', part(out, "word/styles.xml"))) == {"nl-BE"}
    assert " PAGE " in footer_xml(out)
    assert DOCUMENT_TYPE in part(out, "[Content_Types].xml")  # the report is a document, not a template


def test_a_template_that_numbers_its_pages_keeps_its_own_footer(tmp_path: Path) -> None:
    out = build_report(full(), TEXTS, house_template(tmp_path, as_dotx=False, numbered=True).read_bytes()).docx
    footer = footer_xml(out)
    assert 'w:instr="PAGE"' in footer and " NUMPAGES " not in footer


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a zip", "REPORT_TEMPLATE is malformed: '{path}' is not a Word file (.docx or .dotx)"),
        (
            None,
            "REPORT_TEMPLATE cannot be read: '{path}' (no such file or directory); give the path of a .docx or .dotx",
        ),
    ],
)
def test_a_bad_template_setting_is_one_line(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "huisstijl.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as raised:
        load_settings({"TELEGRAM_BOT_TOKEN": "123456:" + "a" * 35, "REPORT_TEMPLATE": str(path)}, env_file=None)
    assert str(raised.value) == expected.format(path=path)
