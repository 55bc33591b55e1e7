"""Every text exists in Dutch and English, renders, and is HTML that Telegram accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_telegram.html_check import parse_html

from bot.config import LANGUAGES
from bot.render import TEMPLATES, Texts
from tests.texts import all_samples

SAMPLES = all_samples()


def template_names(lang: str) -> set[str]:
    root = TEMPLATES / lang
    # Files starting with "_" hold macros that other templates import.
    return {str(p.relative_to(root).with_suffix("")) for p in root.rglob("*.j2") if not p.name.startswith("_")}


def test_both_languages_have_the_same_templates() -> None:
    assert template_names("nl") == template_names("en")


def test_every_template_has_a_sample() -> None:
    assert template_names("nl") == set(SAMPLES)


def test_both_languages_have_the_same_labels() -> None:
    texts = Texts()
    keys = {lang: set(texts._labels[lang]) for lang in LANGUAGES}
    assert keys["nl"] == keys["en"]
    for lang in LANGUAGES:
        assert all(value.strip() for value in texts._labels[lang].values())


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_template_renders_valid_html(lang: str, name: str) -> None:
    texts = Texts()
    for context in SAMPLES[name]:
        html = texts.render(lang, name, **context)
        plain, _ = parse_html(html)  # raises on HTML Telegram would refuse
        assert plain.strip(), f"{name} renders empty"
        assert "{{" not in html and "{%" not in html
        assert "\n\n\n" not in html, f"{name} has stray blank lines"


def test_user_text_is_escaped() -> None:
    html = Texts().render("nl", "onboarding/organisation_set", organisation="<script>x</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_languages_differ() -> None:
    texts = Texts()
    assert texts.render("nl", "common/error") != texts.render("en", "common/error")
    assert texts.render("xx", "common/error") == texts.render("nl", "common/error")  # unknown falls back


def test_one_apostrophe_everywhere() -> None:
    """thema's, never thema’s: every text the bot shows uses the straight apostrophe."""
    from method.themes import catalogues

    roots = [TEMPLATES, Path(catalogues.__file__).resolve().parents[1] / "data"]
    curly = [str(path) for root in roots for path in root.rglob("*") if path.is_file() and "’" in path.read_text()]
    assert curly == []
