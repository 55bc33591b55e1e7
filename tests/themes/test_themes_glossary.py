"""The glossary: plain explanations, lookup by alias ignoring case/accents/hyphens, suggestions."""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest

from method.themes.catalogues import CatalogueError, Glossary, GlossaryEntry, fold, load_glossary

REQUIRED = {
    "mvo",
    "duurzaamheid",
    "sdg",
    "smart",
    "droombeeld",
    "kopgroep",
    "lokale-foto",
    "mvo-scan",
    "prioritair-thema",
    "stemronde",
    "consensus",
    "stakeholder",
    "meerjarenplan",
    "omgevingsanalyse",
    # every figure a voting result shows (tests/voting/test_result_texts.py checks the legend)
    "mediaan",
    "gemiddelde",
    "modus",
    "eensgezindheid",
    "kendall-w",
    "rangcorrelatie",
    "verschuiving",
    "drempel",
    "quorum",
    "beslissende-ronde",
}

# A sentence ends with . ! or ? followed by the end or by a space and a capital or "(".
_SENTENCE_END = re.compile(r"[.!?](?=$|\s+[A-Z(])")


def test_every_required_word_is_explained() -> None:
    glossary = load_glossary()
    assert {entry.key for entry in glossary} == REQUIRED
    assert len(glossary) == len(REQUIRED)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_explanations_are_two_or_three_short_sentences(lang: str) -> None:
    for entry in load_glossary():
        text = entry.explanation[lang]
        sentences = len(_SENTENCE_END.findall(text))
        assert 2 <= sentences <= 3, (entry.key, lang, sentences)
        assert len(text) <= 400, (entry.key, lang, len(text))
        assert entry.term[lang]


def test_explanations_differ_per_language() -> None:
    for entry in load_glossary():
        assert entry.explanation["nl"] != entry.explanation["en"], entry.key


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("MVO", "mvo"),
        ("mvo", "mvo"),
        ("CSR", "mvo"),
        ("Maatschappelijk verantwoord ondernemen", "mvo"),
        ("duurzaamheid", "duurzaamheid"),
        ("Duurzaamhéíd", "duurzaamheid"),
        ("sustainability", "duurzaamheid"),
        ("SDG", "sdg"),
        ("SDG's", "sdg"),
        ("sdg’s", "sdg"),
        ("sdgs", "sdg"),
        ("S.D.G.", "sdg"),
        ("smart", "smart"),
        ("SMART-doel", "smart"),
        ("smart doelen", "smart"),
        ("droombeelden", "droombeeld"),
        ("Dream image", "droombeeld"),
        ("stuurgroep", "kopgroep"),
        ("Stuur-groep", "kopgroep"),
        ("steering group", "kopgroep"),
        ("lokale foto", "lokale-foto"),
        ("LOKALE-FOTO", "lokale-foto"),
        ("lokalefoto", "lokale-foto"),
        ("MVO-scan", "mvo-scan"),
        ("mvo scan", "mvo-scan"),
        ("maturiteit", "mvo-scan"),
        ("prioritaire thema’s", "prioritair-thema"),
        ("Prioritair thema", "prioritair-thema"),
        ("stemronde", "stemronde"),
        ("stemrondes", "stemronde"),
        ("  consensus?  ", "consensus"),
        ("draagvlak", "consensus"),
        ("Stakeholders", "stakeholder"),
        ("belanghebbenden", "stakeholder"),
        ("meerjarenplan", "meerjarenplan"),
        ("multi-year plan", "meerjarenplan"),
        ("Omgevings-analyse", "omgevingsanalyse"),
    ],
)
def test_lookup(word: str, key: str) -> None:
    entry = load_glossary().lookup(word)
    assert entry is not None, word
    assert entry.key == key


@pytest.mark.parametrize("word", ["pizza", "", "   ", "---", "'"])
def test_lookup_of_unknown_words(word: str) -> None:
    assert load_glossary().lookup(word) is None


def test_every_key_term_and_alias_finds_its_own_entry() -> None:
    glossary = load_glossary()
    for entry in glossary:
        for word in (entry.key, entry.term["nl"], entry.term["en"], *entry.aliases):
            found = glossary.lookup(word)
            assert found is not None and found.key == entry.key, (word, entry.key)
        assert glossary.get(entry.key) is entry


def test_fold() -> None:
    assert fold("SDG's") == "sdgs"
    assert fold("Maturitéit") == "maturiteit"
    assert fold("Omgevings-analyse") == fold("omgevingsanalyse")
    assert fold("--") == ""


@pytest.mark.parametrize(
    ("word", "lang", "first"),
    [
        ("duurzaamheit", "nl", "Duurzaamheid"),
        ("duurzaamheit", "en", "Sustainability"),
        ("omgevingsanalyze", "nl", "Omgevingsanalyse"),
        ("stemrnde", "nl", "Stemronde"),
        ("meerjarenplaan", "en", "Multi-year plan"),
        ("stakholder", "nl", "Stakeholder"),
        ("kopgoep", "nl", "Kopgroep"),
    ],
)
def test_suggest_finds_close_words(word: str, lang: str, first: str) -> None:
    glossary = load_glossary()
    assert glossary.lookup(word) is None
    suggestions = glossary.suggest(word, lang)
    assert suggestions and suggestions[0] == first


def test_suggest_nothing_close() -> None:
    assert load_glossary().suggest("xyzzy") == []
    assert load_glossary().suggest("") == []


def test_suggest_limit_and_no_duplicates() -> None:
    glossary = load_glossary()
    suggestions = glossary.suggest("mvo", limit=10, cutoff=0.3)
    assert len(suggestions) == len(set(suggestions)) > 1
    assert suggestions[0] == "MVO"
    assert len(glossary.suggest("mvo", limit=1, cutoff=0.3)) == 1
    assert glossary.suggest("mvo", limit=0) == []
    with pytest.raises(ValueError):
        glossary.suggest("mvo", lang="de")


def _entry(key: str, *aliases: str) -> GlossaryEntry:
    texts = MappingProxyType({"nl": key, "en": key + " (en)"})
    return GlossaryEntry(key=key, term=texts, explanation=texts, aliases=aliases)


def test_clashing_aliases_are_refused() -> None:
    with pytest.raises(CatalogueError):
        Glossary(entries=(_entry("thema"), _entry("scan", "Thema's", "Thema")))
    # the same word twice within one entry is harmless
    glossary = Glossary(entries=(_entry("thema", "thema's", "Thema"),))
    assert glossary.lookup("THEMA").key == "thema"
