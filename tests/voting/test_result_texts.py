"""The result and rule texts: every figure explained and known to /begrip, shares that never round into
a threshold, counts for this round's voters, in both languages."""

from __future__ import annotations

import re

import pytest

from bot.render import Texts
from conversations.voting import rule_context
from conversations.voting_results import results_context
from method.themes.catalogues import load_glossary
from method.voting import DEFAULT_RULE, evaluate, ordinal_alpha, stability, tally_round
from storage.records import CloseResult
from tests.texts.samples_voting import TALLY, round_

TEXTS = Texts()


def render_results(lang: str, tally=TALLY, **changes: object) -> str:  # type: ignore[no-untyped-def]
    values: dict[str, object] = dict(
        status="closed", round=round_(status="closed", members=tally.ballots), submitted=tally.ballots, needed=1, tally=tally,
        w=0.55, alpha=0.7, stability=stability(tally, tally, top_n=2), previous_number=1,
        outcome=evaluate(DEFAULT_RULE, tally, 0.7), names={t.theme_id: f"Thema {t.theme_id}" for t in tally.themes},
    )
    values.update(changes)
    return TEXTS.render(lang, "voting/results", **results_context(CloseResult(**values)))  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_figure_has_a_line_and_a_glossary_entry(lang: str) -> None:
    text = render_results(lang)
    legend = text.split("<i>")[1]
    labels = re.findall(r"^• ([^:\n]+):", legend, flags=re.MULTILINE)
    assert len(labels) == 6, labels  # median, average, alpha, W, rank correlation, shift (the top held)
    glossary = load_glossary()
    for label in labels:
        assert glossary.lookup(label) is not None, label
    for word in ("mediaan" if lang == "nl" else "median", "W van Kendall" if lang == "nl" else "Kendall's W"):
        assert word.lower() in text.lower()


def test_a_share_never_rounds_into_the_threshold() -> None:
    # 67 voters; theme 1 got 50 threes: 74.63%, below the 75% (51 of 67) it needs.
    ballots = {f"v{i}": {1: 3 if i < 50 else 2, 2: 3, 3: 3, 4: 1} for i in range(67)}
    tally = tally_round(ballots)
    text = render_results("nl", tally, outcome=evaluate(DEFAULT_RULE, tally, ordinal_alpha(ballots)), stability=None)
    line = next(line for line in text.splitlines() if line.strip().startswith("50 van de 67"))
    assert "(74%)" in line and "75%" not in line
    assert "Thema 1</b> ✅" not in text and "Thema 2</b> ✅" in text
    assert "✅ haalt de drempel: bij 67 stemmers minstens 51 keer een 3 en hoogstens 10 keer een 1." in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_announcement_states_the_whole_rule(lang: str) -> None:
    text = TEXTS.render(lang, "voting/announce", round=round_(members=8), themes=(), needed=6, secured=[], **rule_context("default", 3, 6, 8))
    words = {
        "nl": ["7 of 8 stemmers: minstens 6 keer een 3, hoogstens 1 keer een 1", "6 stemmers: minstens 5 keer een 3, geen enkele 1",
               "afgerond naar boven", "afgerond naar beneden", "Volgorde", "minder dan 15%", "Er blijven altijd minstens 3",
               "beslissende ronde", "zonder stemming"],
        "en": ["7 or 8 voters: at least 6 votes of 3, at most 1 vote of 1", "6 voters: at least 5 votes of 3, no vote of 1",
               "rounded up", "rounded down", "Order", "less than 15%", "At least 3 themes always stay", "deciding round",
               "without a vote"],
    }[lang]
    for word in words:
        assert word in text, word


def test_thirty_themes_and_twenty_five_voters_render() -> None:
    ballots = {f"v{i}": {t: 1 + (i * t) % 3 for t in range(1, 31)} for i in range(25)}
    tally = tally_round(ballots)
    for lang in ("nl", "en"):
        text = render_results(lang, tally, outcome=evaluate(DEFAULT_RULE, tally, ordinal_alpha(ballots)), stability=None)
        themes = [line for line in text.splitlines() if re.match(r"^\d+\. <b>Thema \d+</b>", line)]
        assert len(themes) == 30
        assert ("25 van de 25 leden stemden" if lang == "nl" else "25 of the 25 members voted") in text
