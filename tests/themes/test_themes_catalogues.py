"""The shipped catalogues (SDGs, ISO 26000, pilot examples) and the reflective questions."""

from __future__ import annotations

from importlib import resources

import pytest

from method.themes import catalogues
from method.themes.catalogues import (
    CATALOGUES,
    LANGUAGES,
    CatalogueError,
    load_catalogue,
    load_questions,
    sdg_name,
)

SDG_NL = [
    "Geen armoede",
    "Geen honger",
    "Goede gezondheid en welzijn",
    "Kwaliteitsonderwijs",
    "Gendergelijkheid",
    "Schoon water en sanitair",
    "Betaalbare en duurzame energie",
    "Waardig werk en economische groei",
    "Industrie, innovatie en infrastructuur",
    "Ongelijkheid verminderen",
    "Duurzame steden en gemeenschappen",
    "Verantwoorde consumptie en productie",
    "Klimaatactie",
    "Leven in het water",
    "Leven op het land",
    "Vrede, justitie en sterke publieke diensten",
    "Partnerschap om doelstellingen te bereiken",
]

SDG_EN = [
    "No poverty",
    "Zero hunger",
    "Good health and well-being",
    "Quality education",
    "Gender equality",
    "Clean water and sanitation",
    "Affordable and clean energy",
    "Decent work and economic growth",
    "Industry, innovation and infrastructure",
    "Reduced inequalities",
    "Sustainable cities and communities",
    "Responsible consumption and production",
    "Climate action",
    "Life below water",
    "Life on land",
    "Peace, justice and strong institutions",
    "Partnerships for the goals",
]

ISO_NAMES = [
    ("Behoorlijk bestuur", "Organisational governance"),
    ("Mensenrechten", "Human rights"),
    ("Arbeidspraktijken", "Labour practices"),
    ("Het milieu", "The environment"),
    ("Eerlijk zakelijk handelen", "Fair operating practices"),
    ("Consumentenaangelegenheden", "Consumer issues"),
    ("Betrokkenheid bij en ontwikkeling van de gemeenschap", "Community involvement and development"),
]

EXAMPLE_NAMES_NL = [
    "Duurzaam aankopen",
    "Toegankelijkheid",
    "Gezondheid, leefomgeving en biodiversiteit",
    "Interne bestuurlijke werking",
]

QUESTIONS_NL = [
    "Welke thema's lijken je op het eerste zicht prioritair?",
    "Waarom zou je prioriteit geven aan dat specifiek thema?",
    "Waar situeren zich volgens u de belangrijkste uitdagingen rond een thema?",
    "Waar denk je dat je echt het verschil kan maken?",
    "Wat zou je willen bereiken en waarom? Hoe zouden de resultaten zichtbaar worden op het terrein?",
    "Waar zou de belangrijkste meerwaarde of nut liggen en voor wie?",
    "Waar zie je drempels / knelpunten en geef ruimte aan de ervaringen hierrond uit het verleden?",
    "Wat zijn de voornaamste sterktes en lokale kansen?",
]


def test_catalogue_keys() -> None:
    assert CATALOGUES == ("sdg", "iso26000", "examples")
    assert LANGUAGES == ("nl", "en")


@pytest.mark.parametrize("name", ["sdg", "iso26000", "examples", "questions", "glossary"])
def test_data_files_are_package_resources(name: str) -> None:
    assert (resources.files("method") / "data" / f"{name}.yaml").is_file()


def test_sdg_catalogue_has_the_17_goals_in_order() -> None:
    sdg = load_catalogue("sdg")
    assert sdg.key == "sdg"
    assert len(sdg) == 17
    assert [theme.sdgs for theme in sdg] == [(n,) for n in range(1, 18)]
    assert [theme.code for theme in sdg] == [f"sdg-{n}" for n in range(1, 18)]
    assert [theme.name["nl"] for theme in sdg] == SDG_NL
    assert [theme.name["en"] for theme in sdg] == SDG_EN


def test_sdg_name() -> None:
    assert sdg_name(1, "nl") == "Geen armoede"
    assert sdg_name(13, "nl") == "Klimaatactie"
    assert sdg_name(16, "en") == "Peace, justice and strong institutions"
    assert [sdg_name(n, "en") for n in range(1, 18)] == SDG_EN


@pytest.mark.parametrize("number", [0, 18, -1, True, 3.0, "3"])
def test_sdg_name_rejects_what_is_no_sdg(number: object) -> None:
    with pytest.raises(ValueError):
        sdg_name(number, "nl")  # type: ignore[arg-type]


def test_sdg_name_rejects_unknown_language() -> None:
    with pytest.raises(ValueError):
        sdg_name(3, "fr")


def test_iso26000_has_the_7_core_subjects() -> None:
    iso = load_catalogue("iso26000")
    assert [(theme.name["nl"], theme.name["en"]) for theme in iso] == ISO_NAMES
    by_en = {theme.name["en"]: theme for theme in iso}
    assert 16 in by_en["Organisational governance"].sdgs
    assert 8 in by_en["Labour practices"].sdgs
    assert {13, 15} <= set(by_en["The environment"].sdgs)
    assert 11 in by_en["Community involvement and development"].sdgs


def test_examples_come_from_the_source_text() -> None:
    examples = load_catalogue("examples")
    assert [theme.name["nl"] for theme in examples] == EXAMPLE_NAMES_NL
    by_code = {theme.code: theme for theme in examples}
    assert by_code["duurzaam-aankopen"].sdgs[0] == 12
    assert 15 in by_code["gezondheid-leefomgeving-biodiversiteit"].sdgs
    assert 3 in by_code["gezondheid-leefomgeving-biodiversiteit"].sdgs
    assert by_code["interne-bestuurlijke-werking"].sdgs[0] == 16


@pytest.mark.parametrize("key", CATALOGUES)
def test_every_theme_is_complete_in_both_languages(key: str) -> None:
    catalogue = load_catalogue(key)
    assert set(catalogue.name) == {"nl", "en"}
    assert all(catalogue.name.values())
    codes = [theme.code for theme in catalogue]
    assert len(set(codes)) == len(codes)
    for theme in catalogue:
        for texts in (theme.name, theme.description):
            assert set(texts) == {"nl", "en"}, theme.code
            for text in texts.values():
                assert text and text == text.strip() and "\n" not in text, theme.code
        assert theme.description["nl"] != theme.description["en"], theme.code
        assert theme.name_in("en") == theme.name["en"]
        assert theme.description_in("nl") == theme.description["nl"]
        # every theme links to at least one SDG, each 1-17, none twice
        assert theme.sdgs, theme.code
        assert all(type(n) is int and 1 <= n <= 17 for n in theme.sdgs), theme.code
        assert len(set(theme.sdgs)) == len(theme.sdgs), theme.code


def test_theme_lookup_by_code() -> None:
    iso = load_catalogue("iso26000")
    assert iso.theme("environment").name["nl"] == "Het milieu"
    with pytest.raises(KeyError):
        iso.theme("nope")


def test_unknown_catalogue() -> None:
    with pytest.raises(KeyError):
        load_catalogue("gri")


def test_catalogues_are_cached_and_read_only() -> None:
    sdg = load_catalogue("sdg")
    assert load_catalogue("sdg") is sdg
    with pytest.raises(TypeError):
        sdg.themes[0].name["nl"] = "iets anders"  # type: ignore[index]
    with pytest.raises(AttributeError):
        sdg.themes[0].code = "x"  # type: ignore[misc]
    assert hash(sdg.themes[0]) == hash(load_catalogue("sdg").themes[0])


def test_questions() -> None:
    questions = load_questions()
    assert len(questions) == 8
    assert [question["nl"] for question in questions] == QUESTIONS_NL
    for question in questions:
        assert set(question) == {"nl", "en"}
        assert question["en"].strip() and question["en"] != question["nl"]
        assert question["en"].isascii()


def test_questions_are_fresh_copies() -> None:
    load_questions()[0]["nl"] = "gewijzigd"
    assert load_questions()[0]["nl"] == QUESTIONS_NL[0]


# The loader refuses broken data files instead of showing half a text.


def _with_data(monkeypatch: pytest.MonkeyPatch, data: object) -> None:
    monkeypatch.setattr(catalogues, "_read_yaml", lambda filename: data)


def _sdg_file(**theme_changes: object) -> dict:
    theme = {"number": 1, "name": {"nl": "a", "en": "b"}, "description": {"nl": "c", "en": "d"}}
    theme.update(theme_changes)
    return {"key": "sdg", "name": {"nl": "x", "en": "y"}, "themes": [theme]}


def test_loader_accepts_a_minimal_file(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_data(monkeypatch, _sdg_file())
    catalogue = load_catalogue.__wrapped__("sdg")
    assert catalogue.themes[0].sdgs == (1,)


@pytest.mark.parametrize(
    "changes",
    [
        {"name": {"nl": "a"}},  # English missing
        {"name": {"nl": "a", "en": "  "}},  # English blank
        {"description": {"nl": "c", "en": "d", "fr": "e"}},  # a language nobody reads
        {"number": 18},
        {"number": True},
        {"colour": "green"},
    ],
)
def test_loader_refuses_broken_catalogues(monkeypatch: pytest.MonkeyPatch, changes: dict) -> None:
    _with_data(monkeypatch, _sdg_file(**changes))
    with pytest.raises(CatalogueError):
        load_catalogue.__wrapped__("sdg")


def test_loader_refuses_bad_sdg_links_and_duplicate_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    theme = {"code": "a", "name": {"nl": "a", "en": "a"}, "description": {"nl": "a", "en": "b"}, "sdgs": [3, 3]}
    _with_data(monkeypatch, {"key": "examples", "name": {"nl": "x", "en": "y"}, "themes": [theme]})
    with pytest.raises(CatalogueError):
        load_catalogue.__wrapped__("examples")
    _with_data(monkeypatch, {"key": "examples", "name": {"nl": "x", "en": "y"}, "themes": [theme | {"sdgs": [0]}]})
    with pytest.raises(CatalogueError):
        load_catalogue.__wrapped__("examples")
    _with_data(monkeypatch, {"key": "examples", "name": {"nl": "x", "en": "y"}, "themes": [theme | {"sdgs": [1]}] * 2})
    with pytest.raises(CatalogueError):
        load_catalogue.__wrapped__("examples")


def test_loader_refuses_questions_without_english(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_data(monkeypatch, {"questions": [{"nl": "Waarom?"}]})
    with pytest.raises(CatalogueError):
        catalogues._questions.__wrapped__()
