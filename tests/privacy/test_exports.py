"""What the moderator (and whoever reads an export) can learn from /export and /uitslag csv.

An open round leaves nothing of its ballots; a closed round leaves figures per theme from 3
voters (as the group saw them) and scores per ballot from 5; never a person next to a ballot; a
theme named like a formula does not run in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from method.spreadsheet import safe_cell
from storage.models import Theme
from tests.conversations.voting_helpers import cast, voting_group
from tests.harness import Harness

PATTERNS = ([3, 2, 1, 3], [3, 3, 1, 2], [2, 3, 1, 3], [3, 2, 2, 3], [1, 2, 3, 3])


def _documents(harness: Harness, user: dict) -> dict[str, bytes]:
    """The files the bot sent the user, by name (the last of each name)."""
    core = harness.core
    found = {}
    for call in core.calls_of("sendDocument"):
        if call.ok and call.result["chat"]["id"] == user["id"]:
            found[call.result["document"]["file_name"]] = core.files[call.result["document"]["file_id"]]["content"]
    return found


def _archive(harness: Harness, user: dict) -> dict[str, list[dict]]:
    (name,) = [n for n in _documents(harness, user) if n.endswith(".zip")]
    archive = zipfile.ZipFile(io.BytesIO(_documents(harness, user)[name]))
    return {
        n[:-5]: json.loads(archive.read(n)) for n in archive.namelist() if n.endswith(".json") and n != "manifest.json"
    }


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


async def _round(harness: Harness, voters: int, *, close: bool = True) -> tuple[dict, list[dict], list[int]]:
    """A group of ``voters`` + 1 members; ``voters`` vote (quorum 0: the round may close)."""
    group, people, themes = await voting_group(harness, members=voters + 1, themes=4)
    anne = people[0]
    await harness.say(anne, group, "/stemregel quorum 10")
    await harness.say(anne, group, "/stemronde")
    for person, pattern in zip(people[1:], PATTERNS, strict=False):
        await cast(harness, person, dict(zip(themes, pattern, strict=True)))
    if close:
        await harness.say(anne, group, "/sluitronde forceer")
    return group, people, themes


async def test_an_open_round_leaves_no_ballot_and_no_score_in_the_export(harness: Harness) -> None:
    group, people, _ = await _round(harness, 5, close=False)
    await harness.say(people[0], group, "/export")
    tables = _archive(harness, people[0])
    assert tables["voting_round"] and tables["voting_round"][0]["status"] == "open"
    assert tables["ballot"] == [] and tables["score"] == [] and tables["round_result"] == []
    assert tables["ballot_delivery"] and "draft_score" not in tables  # the sealed cells stay home


async def test_export_of_closed_rounds_by_size(harness: Harness) -> None:
    group, people, _ = await _round(harness, 5)
    await harness.say(people[0], group, "/export")
    tables = _archive(harness, people[0])
    assert len(tables["ballot"]) == 5 and len(tables["score"]) == 20
    assert all("pseudonym" not in row and "person_id" not in row for row in tables["ballot"])
    assert all(set(row) == {"ballot_id", "theme_id", "score", "reason"} for row in tables["score"])


async def test_export_of_a_round_of_four_has_figures_but_no_scores_per_ballot(harness: Harness) -> None:
    group, people, _ = await _round(harness, 4)
    await harness.say(people[0], group, "/export")
    tables = _archive(harness, people[0])
    assert len(tables["round_result"]) == 4 and len(tables["ballot"]) == 4 and tables["score"] == []


async def test_export_of_a_round_of_two_has_no_figures(harness: Harness) -> None:
    group, people, _ = await _round(harness, 2)
    await harness.say(people[0], group, "/export")
    tables = _archive(harness, people[0])
    assert tables["voting_round"][0]["status"] == "closed"
    assert tables["round_result"] == [] and tables["ballot"] == [] and tables["score"] == []


async def test_results_csv_with_two_voters_holds_nothing_per_theme_or_ballot(harness: Harness) -> None:
    group, people, _ = await _round(harness, 2)
    await harness.say(people[0], group, "/uitslag csv")
    files = _documents(harness, people[0])
    assert _csv(files["stembiljetten.csv"]) == [["round", "ballot", "theme_number", "theme", "score", "reason"]]
    assert len(_csv(files["uitslagen.csv"])) == 1  # the header only: the group saw no figures either
    # The moderator (one of the two voters, say) cannot subtract their own ballot from anything.
    assert "minstens 5 stemmers" in harness.last_text(group)


async def test_results_csv_with_four_voters_holds_figures_per_theme_only(harness: Harness) -> None:
    group, people, themes = await _round(harness, 4)
    await harness.say(people[0], group, "/uitslag csv")
    files = _documents(harness, people[0])
    assert len(_csv(files["stembiljetten.csv"])) == 1
    figures = _csv(files["uitslagen.csv"])
    assert len(figures) == 1 + 4 and {row[3] for row in figures[1:]} == {"4"}  # 4 votes on each theme
    totals = {row[1]: int(row[4]) for row in figures[1:]}
    assert totals == {str(n): sum(p[n - 1] for p in PATTERNS[:4]) for n in range(1, 5)}


async def test_csv_cells_that_would_run_as_a_formula_are_escaped(harness: Harness) -> None:
    group, people, themes = await _round(harness, 5, close=False)

    def rename(session) -> None:  # type: ignore[no-untyped-def]
        session.get(Theme, themes[0]).name = '=HYPERLINK("http://example.invalid","klik")'
        session.get(Theme, themes[1]).name = "-2+3"

    await harness.db.run(rename)
    await harness.say(people[0], group, "/sluitronde forceer")
    await harness.say(people[0], group, "/uitslag csv")
    files = _documents(harness, people[0])
    for name in ("stembiljetten.csv", "uitslagen.csv"):
        cells = [cell for row in _csv(files[name]) for cell in row]
        assert '\'=HYPERLINK("http://example.invalid","klik")' in cells and "'-2+3" in cells
        assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)
    await harness.say(people[0], group, "/export")
    (archive_name,) = [n for n in _documents(harness, people[0]) if n.endswith(".zip")]
    theme_csv = zipfile.ZipFile(io.BytesIO(_documents(harness, people[0])[archive_name])).read("theme.csv")
    assert "'=HYPERLINK" in theme_csv.decode("utf-8-sig")


def test_the_spreadsheet_helper() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+31", "-x", "@SUM(A1)", "\tx", "\rx", "gewoon", "a=b", "")] == [
        "'=1+1",
        "'+31",
        "'-x",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "gewoon",
        "a=b",
        "",
    ]
    assert safe_cell(-2) == -2 and safe_cell(1.5) == 1.5 and safe_cell(None) is None
