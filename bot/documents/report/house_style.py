"""The report's Word house style: the municipality's own template, the language, the page numbers.

A municipality may give its own Word file (REPORT_TEMPLATE: a .docx or .dotx made in Word): the
report then takes its styles, page size, margins, header and footer, and leaves out its body
text. Styles the report needs and the template lacks come from python-docx's default template.
"""

from __future__ import annotations

import copy
import io
import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
NEEDED_STYLES = (
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "Caption",
    "Table Grid",
)


class TemplateError(ValueError):
    """The file is not a Word document or template the report can use; the message says why."""


def check_template(data: bytes) -> None:
    """Raise :class:`TemplateError` unless ``data`` opens as a house-style template."""
    open_template(data)


def open_template(data: bytes) -> docx.document.Document:
    """The template as an empty document in its own style."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        types = source.read("[Content_Types].xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        raise TemplateError("not a Word file (.docx or .dotx)") from None
    if "macroEnabled" in types:
        raise TemplateError("a Word file with macros (.docm, .dotm): save it as .docx or .dotx")
    if TEMPLATE_TYPE in types:  # a .dotx: the same package, another main content type
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = types.replace(TEMPLATE_TYPE, DOCUMENT_TYPE).encode("utf-8")
                target.writestr(item, content)
        data = out.getvalue()
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx says little more than "not a Word file"
        raise TemplateError(f"not a Word document python-docx can read ({type(error).__name__})") from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _add_missing_styles(document)
    return document


def _add_missing_styles(document: docx.document.Document) -> None:
    default = docx.Document()
    present = {style.name for style in document.styles}
    for name in NEEDED_STYLES:
        if name in present:
            continue
        element = copy.deepcopy(default.styles[name].element)
        for numbering in element.findall(".//" + qn("w:numPr")):  # the template has its own numbering
            numbering.getparent().remove(numbering)
        document.styles.element.append(element)


def set_language(document: docx.document.Document, tag: str) -> None:
    """Every style and the document's default in ``tag`` (nl-BE, en-GB): Word checks the spelling in it."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    if properties.find(qn("w:lang")) is None:
        properties.append(OxmlElement("w:lang"))
    for language in styles.iter(qn("w:lang")):
        language.set(qn("w:val"), tag)
    settings = document.settings.element
    for theme_language in settings.iter(qn("w:themeFontLang")):
        theme_language.set(qn("w:val"), tag)


def page_numbers(document: docx.document.Document, page: str, of: str) -> None:
    """ "Pagina 2 van 5" centred in the footer, unless the footer numbers its pages already."""
    for section in document.sections:
        footer = section.footer
        xml = "".join(p._p.xml for p in footer.paragraphs)  # type: ignore[attr-defined]
        if not footer.is_linked_to_previous and ("PAGE" in xml):
            continue
        paragraph = (
            footer.paragraphs[0] if footer.paragraphs and not footer.paragraphs[0].text else footer.add_paragraph()
        )
        paragraph.alignment = 1  # centred
        paragraph.add_run(f"{page} ")
        _field(paragraph, "PAGE")
        paragraph.add_run(f" {of} ")
        _field(paragraph, "NUMPAGES")


def _field(paragraph: object, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin, instruction, separate, a shown value, end."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()  # type: ignore[attr-defined]
        if kind is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        elif text.strip() == "1":
            run.text = text
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
