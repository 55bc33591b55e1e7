"""The report's pure builders: every section in the DOCX (opened with python-docx) and in the
Markdown, in both languages; an early trajectory still gives a whole document; no names unless
chosen; the same data gives the same bytes."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import docx
import pytest

from bot.documents.report import build_docx, build_html, build_markdown
from bot.documents.report.charts import round_charts
from bot.documents.report.files import build_report, slug
from bot.render import Texts
from method.voting import tally_round
from storage.records import (
    DecisionRecord,
    DialogueDigest,
    DialogueRecord,
    DigestAnswer,
    DigestSection,
    ParkedTheme,
    ReportData,
    ReportEvaluation,
    ReportGoal,
    ReportMembers,
    ReportRound,
    ReportTheme,
    SummaryItem,
    SummaryTheme,
)

TEXTS = Texts()
SECTIONS = {
    "nl": (
        "Samenvatting",
        "De kopgroep",
        "Kandidaat-thema's en hun link met de SDG's",
        "Open dialoog",
        "Stemronden",
        "Gekozen prioritaire thema's",
        "Geparkeerde thema's",
        "Droombeelden",
        "SMART-doelen",
        "Beslissing van het college",
        "Terugblik",
    ),
    "en": (
        "Summary",
        "The steering group",
        "Candidate themes and their link with the SDGs",
        "Open dialogue",
        "Voting rounds",
        "Chosen priority themes",
        "Parked themes",
        "Dream images",
        "SMART goals",
        "The board's decision",
        "Looking back",
    ),
}
NAMES = {1: "Duurzaam aankopen", 2: "Toegankelijkheid", 3: "Mobiliteit", 4: "Afval"}
BALLOTS = {
    "a": {1: 3, 2: 3, 3: 1, 4: 2},
    "b": {1: 3, 2: 2, 3: 1, 4: 2},
    "c": {1: 3, 2: 3, 3: 2, 4: 1},
    "d": {1: 2, 2: 3, 3: 1, 4: 1},
}


def early(**changes: object) -> ReportData:
    """A trajectory that has only just begun: members, nothing else."""
    values: dict[str, object] = {
        "organisation": "Gemeente Zottegem",
        "title": "Kopgroep",
        "language": "nl",
        "timezone": "Europe/Brussels",
        "on": date(2026, 12, 20),
        "with_names": False,
        "members": ReportMembers(joined=6, moderators=1, left=0, names=None),
        "themes": (),
        "rounds": (),
        "parked": (),
        "dreams_published": None,
        "dreams": (),
        "goals": (),
        "digests": (),
        "decisions": (),
        "evaluation": None,
    }
    values.update(changes)
    return ReportData(**values)  # type: ignore[arg-type]


def full(**changes: object) -> ReportData:
    tally = tally_round(BALLOTS, themes=(1, 2, 3, 4))
    first = ReportRound(
        number=1,
        kind="round",
        members=4,
        submitted=4,
        quorum_needed=3,
        forced=False,
        w=0.72,
        alpha=0.6669,
        tally=tally,
        names=NAMES,
        positions={1: 1, 2: 2, 3: 3, 4: 4},
        reached=True,
        chosen=(1, 2),
        highlighted=(1, 2),
    )
    few = ReportRound(
        number=2,
        kind="tiebreak",
        members=4,
        submitted=2,
        quorum_needed=3,
        forced=True,
        w=None,
        tally=tally_round({"a": {3: 3, 4: 1}, "b": {3: 2, 4: 2}}, themes=(3, 4)),
        names=NAMES,
        positions={3: 3, 4: 4},
        reached=False,
        chosen=(),
        highlighted=(),
    )
    dialogue = DialogueDigest(
        DialogueRecord(1, 1, "open", None, None, None, None),  # type: ignore[arg-type]
        (
            DigestSection(
                1, "Welke thema's lijken prioritair?", (DigestAnswer(None, "Aankopen"), DigestAnswer(None, "Afval"))
            ),
            DigestSection(2, "Waar maak je echt een verschil?", ()),
        ),
    )
    values: dict[str, object] = {
        "themes": (
            ReportTheme(1, "Duurzaam aankopen", "Criteria in opdrachten", "chosen", (8, 12), 2.5, None),
            ReportTheme(2, "Toegankelijkheid", None, "chosen", (10,), 3.0, None),
            ReportTheme(3, "Mobiliteit", None, "parked", (), None, None),
            ReportTheme(4, "Afval", None, "parked", (12,), None, None),
            ReportTheme(5, "Kantoormateriaal", None, "parked", (), None, 1),
        ),
        "rounds": (first, few),
        "parked": (ParkedTheme(3, "Mobiliteit", 2, 2.5, 0.5), ParkedTheme(4, "Afval", 2, 1.5, 0.0)),
        "dreams_published": True,
        "dreams": (
            SummaryTheme(1, "Duurzaam aankopen", (SummaryItem("Kraantjeswater overal", ("Ook op evenementen",)),)),
            SummaryTheme(2, "Toegankelijkheid", ()),
        ),
        "goals": (
            ReportGoal(
                1,
                1,
                "Duurzaam aankopen",
                "approved",
                "Alle opdrachten boven 30.000 euro met duurzaamheidscriteria",
                "aandeel opdrachten met criteria",
                "20% in 2026",
                "80% eind 2028",
                "dienst aankoop",
                "0,2 VTE",
                "31 december 2028",
                "50% eind 2027",
                (),
                False,
            ),
            ReportGoal(
                2,
                2,
                "Toegankelijkheid",
                "proposed",
                "Sensibiliseren rond toegankelijkheid",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                ("vague_verb", "no_number"),
                True,
            ),
        ),
        "digests": (dialogue,),
        "decisions": (
            DecisionRecord("postponed", date(2026, 12, 5), None, "Eerst cijfers"),
            DecisionRecord("approved", date(2026, 12, 12), None, "Akkoord met de twee thema's"),
        ),
        "evaluation": ReportEvaluation(
            started=True,
            closed=True,
            respondents=3,
            answers={"continuity": ("Ja, via het meerjarenplan",), "view": ("Breder dan milieu",), "maturity": ()},
        ),
    }
    values.update(changes)
    return early(**values)


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def headings(document: docx.document.Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_docx_holds_every_section_with_tables_and_the_chart(lang: str) -> None:
    data = full(language=lang)
    charts = round_charts(data, TEXTS, lang)
    assert list(charts) == [1]  # round 2 had fewer than 3 voters: no chart, no figures
    document = open_docx(build_docx(data, TEXTS, lang, charts))
    assert headings(document, 1) == list(SECTIONS[lang])
    title = next(p.text for p in document.paragraphs if p.style.name == "Title")
    assert "Gemeente Zottegem" in title
    # Themes, round 1 figures, chosen, parked, two goals, decisions: 7 tables.
    assert len(document.tables) == 7
    themes, figures = document.tables[0], document.tables[1]
    assert len(themes.rows) == 1 + 5
    sdg_cell = themes.rows[1].cells[2].text
    assert sdg_cell.startswith("8. ") and "12. " in sdg_cell
    assert [cell.text for cell in figures.rows[1].cells][:4] == ["1", "1", "Duurzaam aankopen", "4"]
    assert len(figures.rows) == 1 + 4
    assert len(document.inline_shapes) == 1  # the chart of round 1
    blob = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[blob].blob == charts[1]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kraantjeswater overal" in text and "Ook op evenementen" in text
    assert "Ja, via het meerjarenplan" in text and "Breder dan milieu" in text
    goal_texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "80% eind 2028" in goal_texts
    flag = TEXTS.label(lang, "goals.flag.vague_verb")
    assert flag in text
    decisions = document.tables[-1]
    assert [row.cells[2].text for row in decisions.rows[1:]] == ["Eerst cijfers", "Akkoord met de twee thema's"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_markdown_holds_every_section(lang: str) -> None:
    data = full(language=lang)
    text = build_markdown(data, TEXTS, lang, round_charts(data, TEXTS, lang))
    found = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert [h.replace("\\", "") for h in found] == list(SECTIONS[lang])
    assert text.count("](round-") == 1 and "base64" not in text
    assert "| 1 | 1 | Duurzaam aankopen | 4 |" in text
    assert "- Kraantjeswater overal\n  - Ook op evenementen" in text


def test_rounds_show_the_figures_as_the_group_saw_them() -> None:
    # The same measures and words as the results in the group: alpha first (rounded down, 0.6669 is not
    # Krippendorff's .667), W with Schmidt's words, the threshold in counts for this round's voters.
    text = build_markdown(full(), TEXTS, "nl", {})
    assert "Eensgezindheid over de scores (alfa van Krippendorff" in text and "): 0,666, de meningen lopen nog uiteen." in text
    assert "Gelijke volgorde (W van Kendall" in text and "): 0,72, sterke overeenstemming." in text
    assert "Drempel bij 4 stemmers: minstens 3 keer een 3 en geen enkele 1." in text
    english = build_markdown(full(language="en"), TEXTS, "en", {})
    assert "): 0.666, opinions still differ." in english and "Threshold with 4 voters: at least 3 votes of 3" in english


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_early_report_says_what_is_not_there_yet(lang: str) -> None:
    data = early(language=lang)
    document = open_docx(build_docx(data, TEXTS, lang, {}))
    assert headings(document, 1) == list(SECTIONS[lang])
    assert len(document.tables) == 0 and len(document.inline_shapes) == 0
    text = "\n".join(p.text for p in document.paragraphs)
    for key in (
        "themes_none",
        "dialogue_none",
        "voting_none",
        "chosen_none",
        "parked_none",
        "dreams_none",
        "goals_none",
        "decision_none",
        "evaluation_none",
        "summary_no_themes",
    ):
        assert TEXTS.label(lang, f"report.doc.{key}") in text, key
    markdown = build_markdown(data, TEXTS, lang, {})
    assert TEXTS.label(lang, "report.doc.voting_none") in markdown


def test_names_only_when_chosen() -> None:
    anonymous = build_markdown(full(), TEXTS, "nl", {})
    assert "Anne" not in anonymous and TEXTS.label("nl", "report.doc.members_no_names") in anonymous
    named = full(with_names=True, members=ReportMembers(2, 1, 1, ("Anne Peeters", "Bart")))
    text = build_markdown(named, TEXTS, "nl", {})
    assert "- Anne Peeters\n- Bart" in text and "1 lid verliet de kopgroep onderweg." in text


SINGULAR = {
    "nl": (
        "De kopgroep koos 1 prioritair thema: Duurzaam aankopen.",
        "Er ligt 1 SMART-doel klaar.",
        "met dit thema verder te werken.",
        "De kopgroep telt 1 lid, van wie 1 moderator.",
        "1 lid verliet de kopgroep onderweg.",
        "1 van de 4 leden stemde.",
        "1 lid vulde alles in.",
    ),
    "en": (
        "The steering group chose 1 priority theme: Duurzaam aankopen.",
        "1 SMART goal is ready.",
        "to go on with this theme.",
        "The steering group has 1 member; 1 of them is a moderator.",
        "1 member left the steering group along the way.",
        "1 of the 4 members voted.",
        "1 member answered everything.",
    ),
}
PLURAL = {
    "nl": (
        "De kopgroep koos 2 prioritaire thema's: Duurzaam aankopen en Toegankelijkheid.",
        "Er liggen 2 SMART-doelen klaar.",
        "met deze thema's verder te werken.",
        "De kopgroep telt 6 leden, van wie 2 moderators.",
        "3 leden verlieten de kopgroep onderweg.",
        "4 van de 4 leden stemden.",
        "3 leden vulden alles in.",
    ),
    "en": (
        "The steering group chose 2 priority themes: Duurzaam aankopen and Toegankelijkheid.",
        "2 SMART goals are ready.",
        "to go on with these themes.",
        "The steering group has 6 members; 2 of them are moderators.",
        "3 members left the steering group along the way.",
        "4 of the 4 members voted.",
        "3 members answered everything.",
    ),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_counts_are_singular_or_plural(lang: str) -> None:
    data = full(language=lang)
    # Ready: approved and nothing flagged (a flagged one is not counted, tests/conversations/test_goal_send_back.py).
    approved = replace(data.goals[1], status="approved", flags=(), kept_as_is=False)
    plural = replace(data, goals=(data.goals[0], approved), members=ReportMembers(6, 2, 3, None))
    text = build_markdown(plural, TEXTS, lang, {})
    for sentence in PLURAL[lang]:
        assert sentence in text, sentence
    one_theme = tuple(theme if theme.position != 2 else replace(theme, status="parked") for theme in data.themes)
    single = replace(
        data,
        themes=one_theme,
        goals=data.goals[:1],
        members=ReportMembers(1, 1, 1, None),
        rounds=(replace(data.rounds[0], submitted=1),),
        evaluation=replace(data.evaluation, respondents=1),  # type: ignore[arg-type]
    )
    text = build_markdown(single, TEXTS, lang, {})
    for sentence in SINGULAR[lang]:
        assert sentence in text, sentence
    assert not any(hack in text for hack in ("(s)", "(en)", "(leden)", "(n)"))


def test_the_same_data_gives_the_same_files() -> None:
    first, second = build_report(full(), TEXTS), build_report(full(), TEXTS)
    assert first == second
    assert first.docx_name == "mvo-rapport-gemeente-zottegem-2026-12-20.docx"
    files = build_report(full(language="en"), TEXTS)
    assert files.markdown_name == "csr-report-gemeente-zottegem-2026-12-20.md"
    assert files.markdown_zip_name == "csr-report-gemeente-zottegem-2026-12-20-markdown.zip"
    later = build_report(full(on=date(2026, 12, 21)), TEXTS)
    assert later.docx != first.docx  # the date is the only moment in the report
    properties = open_docx(first.docx).core_properties
    assert properties.created.date() == date(2026, 12, 20) and properties.modified == properties.created


def test_user_text_cannot_break_the_markdown() -> None:
    data = full(
        organisation="Gemeente | *Zot* <b>",
        decisions=(DecisionRecord("approved", date(2026, 12, 12), None, "a | b\nc"),),
    )
    text = build_markdown(data, TEXTS, "nl", {})
    assert "# MVO-traject Gemeente \\| \\*Zot\\* \\<b\\>" in text
    assert "| 12 december 2026 | goedgekeurd | a \\| b c |" in text


def test_slug() -> None:
    assert slug("OCMW Sint-Niklaas / Waas & Dender") == "ocmw-sint-niklaas-waas-dender"
    assert slug("Gemeente Ærø") == "gemeente-r"
    assert slug("") == ""
    nameless = build_report(replace(early(), organisation=None), TEXTS)
    assert nameless.docx_name == "mvo-rapport-2026-12-20.docx"
    assert "MVO-traject onze organisatie" in nameless.markdown


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_html_holds_every_section_and_escapes_user_text(lang: str) -> None:
    from html.parser import HTMLParser

    data = full(language=lang, organisation="Gemeente <script>alert(1)</script>")
    page = build_html(data, TEXTS, lang, round_charts(data, TEXTS, lang))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    headings: list[str] = []
    open_tags: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
            if tag not in {"meta", "img"}:
                open_tags.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert open_tags.pop() == tag

        def handle_data(self, data: str) -> None:
            if open_tags and open_tags[-1] == "h2":
                headings.append(data)

    Reader().feed(page)
    assert open_tags == [] and headings == list(SECTIONS[lang])
    assert page.count('<img src="data:image/png;base64,') == 1 and page.count("<table>") == 7


def test_each_dialogue_under_its_own_heading() -> None:
    """An open and an anonymous dialogue on the same questions are two parts, not one list."""
    from datetime import UTC, datetime

    def digest(mode: str, day: int, answer: str) -> DialogueDigest:
        record = DialogueRecord(day, 1, mode, None, None, datetime(2026, 11, day, 9, tzinfo=UTC), datetime(2026, 11, day, 10, tzinfo=UTC))
        return DialogueDigest(record, (DigestSection(1, "Welke thema's lijken prioritair?", (DigestAnswer(None, answer),)),))

    data = full(digests=(digest("open", 10, "Aankopen"), digest("anonymous", 17, "Afval")))
    text = build_markdown(data, TEXTS, "nl", {})
    part = text.split("## Open dialoog", 1)[1].split("\n## ", 1)[0]
    assert "### Dialoog 1, open (met namen), 10 november 2026" in part
    assert "### Dialoog 2, anoniem, 17 november 2026" in part
    first, second = part.split("### Dialoog 2", 1)
    assert "Aankopen" in first and "Afval" not in first and "Afval" in second
    assert part.count("#### Welke thema's lijken prioritair?") == 2
    # One dialogue: no extra heading.
    single = build_markdown(full(digests=(digest("open", 10, "Aankopen"),)), TEXTS, "nl", {})
    assert "### Dialoog 1" not in single
