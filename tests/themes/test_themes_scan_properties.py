"""Properties of the scan import: it never raises, and what it accepts is clean and round-trips."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from method.themes.scan_import import parse_scan
from method.themes.scan_rows import ERROR_CODES, MAX_ERRORS, MAX_NAME, MAX_THEMES, ScanImport, ScanTheme

FILENAMES = st.sampled_from([None, "", "scan.csv", "scan.CSV", "scan.yaml", "scan.yml", "scan.txt", "scan", "a.b.tsv"])
SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND_TRIP = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariants(result: ScanImport) -> None:
    assert isinstance(result, ScanImport)
    assert bool(result.rows) != bool(result.errors)
    assert len(result.errors) <= MAX_ERRORS + 1
    for error in result.errors:
        assert error.code in ERROR_CODES
        assert error.line is None or (type(error.line) is int and error.line >= 1)
        assert all(isinstance(key, str) for key in error.params)
    assert len(result.rows) <= MAX_THEMES
    names = [theme.name.casefold() for theme in result.rows]
    assert len(set(names)) == len(names)
    for theme in result.rows:
        assert theme.name and theme.name == " ".join(theme.name.split()) and len(theme.name) <= MAX_NAME
        for text in (theme.name, theme.description, theme.strengths, theme.weaknesses, *theme.sub_themes):
            assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch != "\n" for ch in text)
        assert "\n" not in theme.name
        assert all(1 <= n <= 17 for n in theme.sdgs) and len(set(theme.sdgs)) == len(theme.sdgs)
        assert theme.maturity is None or 0 <= theme.maturity <= 5


@SETTINGS
@given(data=st.binary(max_size=2000), filename=FILENAMES)
def test_random_bytes_never_raise(data: bytes, filename: str | None) -> None:
    check_invariants(parse_scan(data, filename))


# Text made of the characters that matter to CSV and YAML, so the parsers get past the first line.
_SYNTAX = st.text(
    alphabet=st.sampled_from(list(";,\"'\n\r\t :-[]{}#&*!|>%@`?\x00\x07\u200b\ufeffé3517naamsdgbx")), max_size=400
)
_LINES = st.lists(
    st.sampled_from(
        [
            "naam;sdgs;maturiteit",
            "name,sdgs,maturity,sub_themes",
            "themes:",
            "- name: A",
            "  - naam: B",
            "    sdgs: [3, 18]",
            "  sdgs: 3,5",
            "maturity: '3,5'",
            'A;"3, 12";2,5',
            'a,"x;y",4',
            "sep=;",
            "",
            '"',
            "- [x, {y: z}]",
            "&a [1]",
            "*a",
        ]
    )
    | _SYNTAX,
    max_size=30,
)


@SETTINGS
@given(text=_SYNTAX, filename=FILENAMES, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_text_never_raises(text: str, filename: str | None, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    check_invariants(parse_scan(data, filename))


@SETTINGS
@given(lines=_LINES, filename=FILENAMES, newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_lines_never_raise(lines: list[str], filename: str | None, newline: str) -> None:
    check_invariants(parse_scan(newline.join(lines).encode(), filename))


# Round trips: themes written as Excel or a YAML tool would write them come back unchanged.

_WORD = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèëçà0123456789")),
    min_size=1,
    max_size=12,
)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join).filter(lambda s: len(s) <= 60)
_PUNCTUATED = st.tuples(_LINE, st.sampled_from(["", ",", ".", ";", " - ", "'", '"', ":"]), _LINE).map("".join)


@st.composite
def scan_themes(draw: st.DrawFn) -> ScanTheme:
    tenths = draw(st.none() | st.integers(min_value=0, max_value=50))
    return ScanTheme(
        # Names within the import's limit (two lines and a separator can reach 123 characters).
        name=" ".join(draw(_PUNCTUATED.filter(lambda text: len(" ".join(text.split())) <= 120)).split()),
        description=draw(st.just("") | _PUNCTUATED),
        sub_themes=tuple(draw(st.lists(_LINE, max_size=4, unique_by=str.casefold))),
        sdgs=tuple(draw(st.lists(st.integers(min_value=1, max_value=17), max_size=5, unique=True))),
        maturity=None if tenths is None else float(f"{tenths // 10}.{tenths % 10}"),
        strengths=draw(st.just("") | _LINE),
        weaknesses=draw(st.just("") | _LINE),
    )


THEME_LISTS = st.lists(scan_themes(), min_size=1, max_size=12, unique_by=lambda theme: theme.name.casefold())


@ROUND_TRIP
@given(
    themes=THEME_LISTS,
    delimiter=st.sampled_from([";", ",", "\t"]),
    dutch=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_csv_round_trip(themes: list[ScanTheme], delimiter: str, dutch: bool, encoding: str) -> None:
    header = (
        ["Naam", "Beschrijving", "Subthema's", "SDG's", "Maturiteit", "Sterktes", "Zwaktes"]
        if dutch
        else ["name", "description", "sub_themes", "sdgs", "maturity", "strengths", "weaknesses"]
    )
    comma = delimiter == ";"  # Belgian Excel: decimal comma when the list separator is ";"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for theme in themes:
        maturity = "" if theme.maturity is None else f"{theme.maturity:.1f}"
        writer.writerow(
            [
                theme.name,
                theme.description,
                ";".join(theme.sub_themes),
                ", ".join(map(str, theme.sdgs)),
                maturity.replace(".", ",") if comma else maturity,
                theme.strengths,
                theme.weaknesses,
            ]
        )
    data = out.getvalue().encode(encoding)
    result = parse_scan(data, "scan.csv")
    assert result.errors == ()
    assert result.rows == tuple(themes)
    check_invariants(result)


@ROUND_TRIP
@given(themes=THEME_LISTS, wrapped=st.booleans())
def test_yaml_round_trip(themes: list[ScanTheme], wrapped: bool) -> None:
    items = [
        {
            "name": theme.name,
            "description": theme.description,
            "sub_themes": list(theme.sub_themes),
            "sdgs": list(theme.sdgs),
            "maturity": theme.maturity,
            "strengths": theme.strengths,
            "weaknesses": theme.weaknesses,
        }
        for theme in themes
    ]
    document = {"themes": items} if wrapped else items
    data = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
    result = parse_scan(data, "scan.yaml")
    assert result.errors == ()
    assert result.rows == tuple(themes)


def test_round_trip_strategy_can_tell_themes_apart() -> None:
    # guard for the tests above: a changed theme must not compare equal
    theme = ScanTheme(name="A", sdgs=(3,), maturity=2.5)
    assert theme != ScanTheme(name="A", sdgs=(3,), maturity=2.0)
    assert codecs.BOM_UTF8  # the BOM variant is exercised through "utf-8-sig"
