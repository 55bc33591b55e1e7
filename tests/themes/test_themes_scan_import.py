"""Reading the moderator's MVO-scan file (CSV or YAML): valid files, encodings, and broken files."""

from __future__ import annotations

import codecs

import pytest

from method.themes import scan_import
from method.themes.scan_import import parse_scan, template_csv
from method.themes.scan_rows import (
    ERROR_CODES,
    MAX_ERRORS,
    MAX_FILE_BYTES,
    MAX_THEMES,
    ScanError,
    ScanImport,
    ScanTheme,
)


def errors_of(result: ScanImport) -> list[tuple[int | None, str]]:
    assert result.rows == ()
    return [(error.line, error.code) for error in result.errors]


def ok(result: ScanImport) -> tuple[ScanTheme, ...]:
    assert result.errors == (), [(e.line, e.code, dict(e.params)) for e in result.errors]
    assert result.ok
    return result.rows


# ---------------------------------------------------------------------------------------------
# Valid files

BELGIAN_EXCEL = (
    "Naam;Beschrijving;Subthema's;SDG's;Maturiteit;Sterktes;Zwaktes\r\n"
    "Duurzaam aankopen;Sociale en milieucriteria in overheidsopdrachten;"
    '"Overheidsopdrachten; Kantoormateriaal";12, 8;2,5;Eerste ervaringen;Versnipperde aankoop\r\n'
    'Toegankelijkheid;"Begrijpelijke taal.\r\n\r\nDiensten op één plek.";Taal;16 10 11;3;;\r\n'
    "Gezondheid;;;3;4;;\r\n"
    "Biodiversiteit;;;;;;\r\n"
)


def test_belgian_excel_csv_with_dutch_headers_and_decimal_commas() -> None:
    result = parse_scan(BELGIAN_EXCEL.encode("utf-8"), "mvo-scan.csv")
    assert result.format == "csv"
    assert result.encoding == "utf-8"
    assert ok(result) == (
        ScanTheme(
            name="Duurzaam aankopen",
            description="Sociale en milieucriteria in overheidsopdrachten",
            sub_themes=("Overheidsopdrachten", "Kantoormateriaal"),
            sdgs=(12, 8),
            maturity=2.5,
            strengths="Eerste ervaringen",
            weaknesses="Versnipperde aankoop",
        ),
        ScanTheme(
            name="Toegankelijkheid",
            description="Begrijpelijke taal.\n\nDiensten op één plek.",
            sub_themes=("Taal",),
            sdgs=(16, 10, 11),
            maturity=3.0,
        ),
        ScanTheme(name="Gezondheid", sdgs=(3,), maturity=4.0),
        ScanTheme(name="Biodiversiteit"),
    )


def test_english_headers_comma_delimiter_and_quoted_lists() -> None:
    data = (
        b"name,description,sub_themes,sdgs,maturity,strengths,weaknesses\n"
        b'Mobility,Safe cycling routes,"Cycling;Walking","3, 11",3.5,Good network,Busy roads\n'
    )
    assert ok(parse_scan(data, "scan.csv")) == (
        ScanTheme(
            name="Mobility",
            description="Safe cycling routes",
            sub_themes=("Cycling", "Walking"),
            sdgs=(3, 11),
            maturity=3.5,
            strengths="Good network",
            weaknesses="Busy roads",
        ),
    )


@pytest.mark.parametrize(
    "header",
    [
        "NAAM;SUBTHEMA'S;SDGS;MATURITEIT",
        "naam;subthemas;sdg;maturiteit",
        "Naam;Sub-thema's;SDG's;Maturiteit",
        "name;sub themes;SDG's;Maturity",
        "Thema;subthema’s;sdg’s;maturiteitsscore",
    ],
)
def test_header_spellings(header: str) -> None:
    data = f"{header}\nEnergie;Zon;7;2\n".encode()
    assert ok(parse_scan(data, "scan.csv")) == (
        ScanTheme(name="Energie", sub_themes=("Zon",), sdgs=(7,), maturity=2.0),
    )


VALID_YAML = """\
# MVO-scan gemeente Voorbeeld
themes:
  - name: Duurzaam aankopen
    description: |
      Sociale en milieucriteria in overheidsopdrachten.

      Aankopen centraliseren.
    sub_themes:
      - Overheidsopdrachten
      - Kantoormateriaal
    sdgs: [12, 8, 13]
    maturity: 2.5
    strengths: Eerste ervaringen
    weaknesses:
      - Versnipperde aankoop
      - Geen levenscycluskost
  - naam: Toegankelijkheid
    sdg's: 16
    maturiteit: "3,5"
  - Interne bestuurlijke werking
"""


def test_valid_yaml() -> None:
    result = parse_scan(VALID_YAML.encode(), "scan.yaml")
    assert result.format == "yaml"
    assert ok(result) == (
        ScanTheme(
            name="Duurzaam aankopen",
            description="Sociale en milieucriteria in overheidsopdrachten.\n\nAankopen centraliseren.",
            sub_themes=("Overheidsopdrachten", "Kantoormateriaal"),
            sdgs=(12, 8, 13),
            maturity=2.5,
            strengths="Eerste ervaringen",
            weaknesses="Versnipperde aankoop\nGeen levenscycluskost",
        ),
        ScanTheme(name="Toegankelijkheid", sdgs=(16,), maturity=3.5),
        ScanTheme(name="Interne bestuurlijke werking"),
    )


def test_yaml_as_a_plain_list_and_as_one_theme() -> None:
    plain = b"- name: Energie\n  sdgs: [7]\n- name: Water\n  maturity: 1\n"
    assert ok(parse_scan(plain, "scan.yml")) == (
        ScanTheme(name="Energie", sdgs=(7,)),
        ScanTheme(name="Water", maturity=1.0),
    )
    single = b"naam: Energie\nsdgs: [7, 13]\n"
    assert ok(parse_scan(single, "scan.yaml")) == (ScanTheme(name="Energie", sdgs=(7, 13)),)


def test_utf8_bom() -> None:
    data = codecs.BOM_UTF8 + "naam;beschrijving\nÉnergie;Zonnepanelen op het gemeentehuis\n".encode()
    result = parse_scan(data, "scan.csv")
    assert result.encoding == "utf-8-sig"
    assert ok(result) == (ScanTheme(name="Énergie", description="Zonnepanelen op het gemeentehuis"),)


def test_utf8_bom_yaml() -> None:
    data = codecs.BOM_UTF8 + b"- naam: Ruimtelijke ordening\n  sdgs: [11]\n"
    assert ok(parse_scan(data, "scan.yaml")) == (ScanTheme(name="Ruimtelijke ordening", sdgs=(11,)),)


def test_cp1252_fallback() -> None:
    text = "naam;beschrijving;maturiteit\nCrèche en kinderopvang;Plaats voor élk kind – ook ‘s avonds;2,5\n"
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = parse_scan(data, "scan.csv")
    assert result.encoding == "cp1252"
    assert ok(result) == (
        ScanTheme(name="Crèche en kinderopvang", description="Plaats voor élk kind – ook ‘s avonds", maturity=2.5),
    )


def test_utf16_tab_separated_from_excel_unicode_text() -> None:
    data = "naam\tsdgs\r\nWelzijn\t3\r\n".encode("utf-16")
    result = parse_scan(data, "scan.txt")
    assert result.encoding == "utf-16"
    assert ok(result) == (ScanTheme(name="Welzijn", sdgs=(3,)),)


def test_excel_sep_line() -> None:
    data = b"sep=,\nnaam,sdgs\nWonen,11\nZorg,99\n"
    result = parse_scan(data, "scan.csv")
    # the sep line counts as line 1, so the broken row is line 4
    assert errors_of(result) == [(4, "bad_sdg")]


def test_format_is_guessed_without_a_known_extension() -> None:
    assert parse_scan(b"- name: Energie\n", "scan").format == "yaml"
    assert parse_scan(b"themes:\n  - Energie\n", None).format == "yaml"
    assert parse_scan(b"naam;sdgs\nEnergie;7\n", "scan.dat").format == "csv"
    assert ok(parse_scan(b"naam;sdgs\nEnergie;7\n", None)) == (ScanTheme(name="Energie", sdgs=(7,)),)


def test_one_column_names_with_commas() -> None:
    data = b"naam\nGezondheid, leefomgeving en biodiversiteit\nWonen; zorg\n"
    assert [theme.name for theme in ok(parse_scan(data, "scan.csv"))] == [
        "Gezondheid, leefomgeving en biodiversiteit",
        "Wonen; zorg",
    ]


def test_names_are_cleaned() -> None:
    data = 'naam;subthema\'s\n"  Duurzaam\t\taankopen\x07 ";" a ;A; b\u200b ;;"\n  Zorg  \u00a0 en  welzijn;\n'.encode()
    assert ok(parse_scan(data, "scan.csv")) == (
        ScanTheme(name="Duurzaam aankopen", sub_themes=("a", "b")),
        ScanTheme(name="Zorg en welzijn"),
    )


def test_free_text_keeps_paragraphs_but_not_control_characters() -> None:
    data = b'naam;sterktes\nA;"  eerste\x01 lijn  \r\n\r\n\r\n\r\ntweede\x1b lijn \r\n"\n'
    [theme] = ok(parse_scan(data, "scan.csv"))
    assert theme.strengths == "eerste lijn\n\ntweede lijn"


def test_blank_lines_and_trailing_delimiters_are_ignored() -> None:
    data = b"naam;sdgs;;\n\n;;;\nEnergie;7;;\n\n\nWater;6\n"
    assert ok(parse_scan(data, "scan.csv")) == (
        ScanTheme(name="Energie", sdgs=(7,)),
        ScanTheme(name="Water", sdgs=(6,)),
    )


def test_old_mac_line_endings_count_lines() -> None:
    data = b"naam;sdgs\rA;1\rB;18\r"
    assert errors_of(parse_scan(data, "scan.csv")) == [(3, "bad_sdg")]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3", (3,)),
        ("3, 12", (3, 12)),
        ("3,12", (3, 12)),
        ("3 12", (3, 12)),
        ("3 ; 12", (3, 12)),
        ("SDG 3, SDG12", (3, 12)),
        ("sdg-3 #12", (3, 12)),
        ("03", (3,)),
        ("12 3 12", (12, 3)),
        ("17", (17,)),
        ("", ()),
    ],
)
def test_sdg_cells(cell: str, expected: tuple[int, ...]) -> None:
    data = f'naam;sdgs\nA;"{cell}"\n'.encode()
    assert ok(parse_scan(data, "scan.csv"))[0].sdgs == expected


@pytest.mark.parametrize(("cell", "bad"), [("0", ["0"]), ("18", ["18"]), ("3.5", ["3.5"]), ("3, x, 99", ["x", "99"])])
def test_bad_sdg_cells(cell: str, bad: list[str]) -> None:
    data = f'naam;sdgs\nA;"{cell}"\n'.encode()
    result = parse_scan(data, "scan.csv")
    assert errors_of(result) == [(2, "bad_sdg")] * len(bad)
    assert [error.params["value"] for error in result.errors] == bad


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("3", 3.0), ("3,5", 3.5), ("3.5", 3.5), ("0", 0.0), ("5", 5.0), (" 4,25 ", 4.25), ("", None), ("5,0", 5.0)],
)
def test_maturity_cells(cell: str, expected: float | None) -> None:
    data = f'naam;maturiteit\nA;"{cell}"\n'.encode()
    assert ok(parse_scan(data, "scan.csv"))[0].maturity == expected


@pytest.mark.parametrize("cell", ["5,1", "-1", "6", "drie", "3,5,1", "1e0", "3.", ",5", "nan", "inf"])
def test_bad_maturity_cells(cell: str) -> None:
    data = f'naam;maturiteit\nA;"{cell}"\n'.encode()
    result = parse_scan(data, "scan.csv")
    assert errors_of(result) == [(2, "bad_maturity")]
    assert dict(result.errors[0].params) == {"value": cell.strip(), "min": 0, "max": 5}


def test_yaml_types_are_read_as_written() -> None:
    data = b"- name: 2030\n  sdgs: ['3', 'SDG 12']\n  maturity: 4.5\n- name: yes\n"
    assert ok(parse_scan(data, "scan.yaml")) == (
        ScanTheme(name="2030", sdgs=(3, 12), maturity=4.5),
        ScanTheme(name="yes"),
    )


# ---------------------------------------------------------------------------------------------
# Broken files: every problem reported at once, with its line; nothing imported

BROKEN_CSV = "".join(
    [
        "naam;sdgs;maturiteit;kleur\n",  # 1: unknown column "kleur"
        "Mobiliteit;3;2;\n",  # 2: fine
        ";4;1;\n",  # 3: no name
        "mobiliteit;;;\n",  # 4: same name as line 2
        "Energie;7, 18, x;3;\n",  # 5: two bad SDGs
        "Afval;12;6;\n",  # 6: maturity out of range
        '"Wonen\n',  # 7: a name over two lines is fine ...
        'en zorg";11;3,5;\n',  # 8: ... and the next record starts at line 9
        "L" * 121 + ";;;\n",  # 9: name too long
        "Water;6;1;;extra\n",  # 10: more cells than columns
        "\n",  # 11: blank
        '"Cultuur";;"vijf";\n',  # 12: bad maturity
    ]
)


def test_broken_csv_line_by_line() -> None:
    result = parse_scan(BROKEN_CSV.encode(), "scan.csv")
    assert errors_of(result) == [
        (1, "unknown_column"),
        (3, "missing_name"),
        (4, "duplicate_name"),
        (5, "bad_sdg"),
        (5, "bad_sdg"),
        (6, "bad_maturity"),
        (9, "too_long"),
        (10, "too_many_fields"),
        (12, "bad_maturity"),
    ]
    params = [dict(error.params) for error in result.errors]
    assert params[0] == {"column": "kleur", "position": 4}
    assert params[2] == {"name": "mobiliteit", "first_line": 2}
    assert [params[3]["value"], params[4]["value"]] == ["18", "x"]
    assert params[5]["value"] == "6"
    assert params[6] == {"field": "name", "length": 121, "max": 120}
    assert params[7] == {"expected": 4, "found": 5}
    assert params[8]["value"] == "vijf"


BROKEN_YAML = """\
themes:
  - name: Mobiliteit
    sdgs: [3, 18]
  - naam: Energie
    maturiteit: "3,5"
    kleur: blauw
  - description: zonder naam
  - name: MOBILITEIT
    maturity: vijf
  - name: Wonen
    sdgs:
      - 11
      - 0
    description: [a, {b: c}]
  - name: Zorg
    naam: Welzijn
  - [een, lijst]
"""


def test_broken_yaml_line_by_line() -> None:
    result = parse_scan(BROKEN_YAML.encode(), "scan.yaml")
    assert errors_of(result) == [
        (3, "bad_sdg"),
        (6, "unknown_column"),
        (7, "missing_name"),
        (8, "duplicate_name"),
        (9, "bad_maturity"),
        (13, "bad_sdg"),
        (14, "bad_value"),
        (16, "duplicate_column"),
        (17, "bad_yaml"),
    ]
    params = [dict(error.params) for error in result.errors]
    assert params[0] == {"value": "18"}
    assert params[1] == {"column": "kleur"}
    assert params[3] == {"name": "MOBILITEIT", "first_line": 2}
    assert params[5] == {"value": "0"}
    assert params[6] == {"field": "description"}
    assert params[7] == {"column": "naam", "field": "name"}


def test_yaml_syntax_error_has_its_line() -> None:
    data = b"themes:\n  - name: Energie\n  - name: [Water\n  - name: Zorg\n"
    [error] = parse_scan(data, "scan.yaml").errors
    assert error.code == "bad_yaml"
    assert error.line is not None and 3 <= error.line <= 5
    assert error.params["detail"]


def test_yaml_with_a_forbidden_character() -> None:
    data = b"- name: Energie\n- name: Wa\x07ter\n"
    assert errors_of(parse_scan(data, "scan.yaml")) == [(2, "bad_yaml")]


@pytest.mark.parametrize(
    "data",
    [b"42\n", b"just a sentence\n", b"colour: green\n", b"themes: 12\n", b"themes: {a: b}\n"],
)
def test_yaml_of_the_wrong_shape(data: bytes) -> None:
    assert [error.code for error in parse_scan(data, "scan.yaml").errors] == ["bad_yaml"]


def test_deeply_nested_yaml_is_refused_not_crashing() -> None:
    assert [error.code for error in parse_scan(b"[" * 50_000, "scan.yaml").errors] == ["bad_yaml"]


def test_yaml_aliases_do_not_multiply_work() -> None:
    data = (
        b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"themes: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    )
    assert {error.code for error in parse_scan(data, "scan.yaml").errors} == {"bad_yaml"}


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "scan.csv", "empty_file"),
        (b" \r\n\t\n", "scan.csv", "empty_file"),
        (codecs.BOM_UTF8, "scan.csv", "empty_file"),
        (b"naam;sdgs\n", "scan.csv", "empty_file"),
        (b"naam;sdgs\n\n;\n", "scan.csv", "empty_file"),
        (b"", "scan.yaml", "empty_file"),
        (b"[]\n", "scan.yaml", "empty_file"),
        (b"themes:\n", "scan.yaml", "empty_file"),
        (b"# only a comment\n", "scan.yaml", "empty_file"),
        (b"\x81\x8d\x8f\x90\x9d", "scan.csv", "not_utf8"),
        (b"naam\nEner\x00gie\n", "scan.csv", "not_utf8"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "scan.csv", "not_utf8"),
        (b"PK\x03\x04\x14\x00\x06\x00", "scan.csv", "unsupported_format"),
        (b"naam\nEnergie\n", "scan.xlsx", "unsupported_format"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "scan.xls", "unsupported_format"),
        (b"%PDF-1.7\n", "scan.pdf", "unsupported_format"),
    ],
)
def test_file_level_errors(data: bytes, filename: str, code: str) -> None:
    result = parse_scan(data, filename)
    assert errors_of(result) == [(None, code)]


def test_too_large() -> None:
    data = b"naam\n" + b"x\n" * MAX_FILE_BYTES
    result = parse_scan(data, "scan.csv")
    assert errors_of(result) == [(None, "too_large")]
    assert dict(result.errors[0].params) == {"size": len(data), "max": 200_000}


def test_at_the_size_limit_is_fine() -> None:
    data = b"naam;sterktes\nA;" + b"x" * 900 + b"\n"
    data += b"\n" * (MAX_FILE_BYTES - len(data))
    assert len(data) == MAX_FILE_BYTES
    assert len(ok(parse_scan(data, "scan.csv"))) == 1


def test_one_hundred_themes_is_the_limit() -> None:
    rows = "".join(f"Thema {n}\n" for n in range(MAX_THEMES))
    assert len(ok(parse_scan(("naam\n" + rows).encode(), "scan.csv"))) == MAX_THEMES
    result = parse_scan(("naam\n" + rows + "Nog een\n").encode(), "scan.csv")
    assert errors_of(result) == [(None, "too_many_rows")]
    assert dict(result.errors[0].params) == {"count": 101, "max": 100}
    yaml_rows = "".join(f"- Thema {n}\n" for n in range(MAX_THEMES + 1))
    assert errors_of(parse_scan(yaml_rows.encode(), "scan.yaml")) == [(None, "too_many_rows")]


def test_length_limits() -> None:
    name = "N" * 120
    fine = f"naam;beschrijving;sterktes;subthema's\n{name};{'d' * 1000};{'s' * 1000};{'t' * 120}\n"
    assert ok(parse_scan(fine.encode(), "scan.csv"))[0].name == name
    long = f"naam;beschrijving;sterktes;subthema's\n{name}N;{'d' * 1001};{'s' * 1001};{'t' * 121}\n"
    result = parse_scan(long.encode(), "scan.csv")
    assert errors_of(result) == [(2, "too_long")] * 4
    assert sorted(error.params["field"] for error in result.errors) == [
        "description",
        "name",
        "strengths",
        "sub_themes",
    ]


def test_length_is_counted_after_cleaning() -> None:
    padded = "  " + "N" * 120 + "   \x07"
    assert ok(parse_scan(f'naam\n"{padded}"\n'.encode(), "scan.csv"))[0].name == "N" * 120


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"onderwerp;sdgs\nA;3\n", [(1, "unknown_column"), (1, "no_name_column")]),
        (b"sdgs;maturiteit\n3;2\n", [(1, "no_name_column")]),
        (b"\n\nomschrijving\nA\n", [(3, "no_name_column")]),
    ],
)
def test_no_name_column(data: bytes, expected: list[tuple[int, str]]) -> None:
    assert errors_of(parse_scan(data, "scan.csv")) == expected


def test_duplicate_and_unnamed_columns() -> None:
    data = b"naam;name;sdgs;\nA;B;3;\nC;;4;note\n"
    result = parse_scan(data, "scan.csv")
    assert errors_of(result) == [(1, "duplicate_column"), (3, "unknown_column")]
    assert dict(result.errors[0].params) == {"column": "name", "field": "name"}
    assert dict(result.errors[1].params) == {"column": "", "position": 4}


def test_duplicate_names_ignore_case_and_spacing() -> None:
    data = b"naam\nDuurzaam aankopen\nDUURZAAM   AANKOPEN\nduurzaam aankopen \n"
    result = parse_scan(data, "scan.csv")
    assert errors_of(result) == [(3, "duplicate_name"), (4, "duplicate_name")]
    assert {error.params["first_line"] for error in result.errors} == {2}


def test_many_errors_are_capped() -> None:
    data = "naam;sdgs\n" + "".join(f"T{n};99\n" for n in range(MAX_THEMES))
    result = parse_scan(data.encode(), "scan.csv")
    assert len(result.errors) == MAX_ERRORS + 1
    assert [error.line for error in result.errors[:MAX_ERRORS]] == list(range(2, 2 + MAX_ERRORS))
    last = result.errors[-1]
    assert (last.line, last.code, dict(last.params)) == (None, "too_many_errors", {"shown": MAX_ERRORS, "count": 100})


# ---------------------------------------------------------------------------------------------
# The records and the list of codes


def test_scan_import_has_either_rows_or_errors() -> None:
    with pytest.raises(ValueError):
        ScanImport()
    with pytest.raises(ValueError):
        ScanImport(rows=(ScanTheme(name="A"),), errors=(ScanError(None, "empty_file"),))


def test_a_field_too_big_for_the_csv_module() -> None:
    data = b'naam\n"' + b"x" * 140_000 + b'"\n'
    assert errors_of(parse_scan(data, "scan.csv")) == [(None, "bad_csv")]


def test_error_codes_are_all_documented() -> None:
    doc = scan_import.__doc__ or ""
    for code in ERROR_CODES:
        assert f"``{code}``" in doc, code
    assert len(ERROR_CODES) == 18


def test_template_parses_in_both_languages() -> None:
    for lang in ("nl", "en"):
        data = template_csv(lang)
        assert data.startswith(codecs.BOM_UTF8)
        [theme] = ok(parse_scan(data, "sjabloon.csv"))
        assert theme.sdgs == (12, 8) and theme.maturity == 2.5 and len(theme.sub_themes) == 2
    assert template_csv("nl").decode("utf-8-sig").startswith("naam;beschrijving;subthema's;")
    with pytest.raises(ValueError):
        template_csv("fr")


def test_values_shown_in_errors_are_cut_short() -> None:
    token = "x" * 100
    [error] = parse_scan(f"naam;sdgs\nA;{token}\n".encode(), "scan.csv").errors
    assert error.code == "bad_sdg"
    assert error.params["value"] == "x" * 39 + "…"
    [error] = parse_scan(f"naam;maturiteit\nA;{token}\n".encode(), "scan.csv").errors
    assert len(error.params["value"]) == 40
