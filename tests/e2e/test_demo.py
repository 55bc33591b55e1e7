"""`kopgroep demo`: the whole method with a small group, in the chosen language; the transcript in
order (each reply right after what caused it, a ballot shown once, then only what changed), the
charts and the report saved in the folder it names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

EXPECTED = {
    "nl": {
        "steps": [
            "De bot komt in de groep, de leden doen mee",
            "Kandidaat-thema's",
            "Stemronde 1",
            "Stemronde 2",
            "Stemronde 3",
            "Consensus",
            "Droombeelden",
            "Herinneringen",
            "De moderator verwerkt de droombeelden",
            "SMART-doelen",
            "Beslissing van het college en het rapport",
        ],
        # (what a member types in the group, the start of the bot's very next line there)
        "replies": [
            ("Anne: Gemeente Zottegem", "Kopgroep: Genoteerd: deze kopgroep werkt voor Gemeente Zottegem."),
            ("Anne: /stemronde", "Kopgroep: Stemronde "),
            ("Anne: /consensus", "Kopgroep: Consensus! De kopgroep kiest"),
            ("Anne: /herinner", "Kopgroep: ⏰"),
            ("Anne: /beslissing", "Kopgroep: 🏛 Beslissing van het college"),
            ("Anne: /rapport", "Kopgroep: Rapport voor het college"),
        ],
        "results": (
            "Uitslag stemronde 1",
            "Nog geen consensus",
            "Uitslag stemronde 2",
            "Nog geen consensus",
            "Uitslag stemronde 3",
            "Voorstel: er is consensus over",
        ),
        "ballot": "#1 Duurzaam aankopen – nog geen score",
        "later": ("Droombeelden van de kopgroep", "Doel #1 · Duurzaam aankopen", "keurde je doel #1"),
        "saved": "De grafieken en het rapport staan in ",
        "first_heading": "Samenvatting",
        "foreign": ("[private ", " presses [", "updates the message", "(notice)", "[chart", "[file"),
    },
    "en": {
        "steps": [
            "The bot joins the group, the members join in",
            "Candidate themes",
            "Voting round 1",
            "Voting round 2",
            "Voting round 3",
            "Consensus",
            "Dream images",
            "Reminders",
            "The moderator processes the dream images",
            "SMART goals",
            "The council's decision and the report",
        ],
        "replies": [
            ("Anne: Town of Zottegem", "Kopgroep: Noted: this steering group works for Town of Zottegem."),
            ("Anne: /stemronde", "Kopgroep: Voting round "),
            ("Anne: /consensus", "Kopgroep: Consensus! The steering group chooses"),
            ("Anne: /herinner", "Kopgroep: ⏰"),
            ("Anne: /beslissing", "Kopgroep: 🏛 The board's decision"),
        ],
        "results": (
            "Result of voting round 1",
            "No consensus yet",
            "Result of voting round 2",
            "No consensus yet",
            "Result of voting round 3",
            "consensus on",
        ),
        "ballot": "#1 Sustainable purchasing – no score yet",
        "later": ("The steering group's dream images", "Goal #1 · Sustainable purchasing", "approved your goal #1"),
        "saved": "The charts and the report are in ",
        "first_heading": "Summary",
        # Dutch frame words: none with --language en.
        "foreign": (
            "privé",
            " drukt op ",
            "past het bericht aan",
            "(melding)",
            "grafiek",
            "bestand",
            "bewaard",
            "voegt",
            "hetzelfde",
        ),
    },
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_demo_runs_the_whole_method(language: str, tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--language", language, "--folder", str(folder)],
        capture_output=True,
        text=True,
        timeout=400,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    expected = EXPECTED[language]
    lines = result.stdout.splitlines()
    group = [line.removeprefix("[Kopgroep MVO] ") for line in lines if line.startswith("[Kopgroep MVO] ")]

    # The steps in the method's order, each once.
    assert [line.strip("─ ") for line in lines if line.startswith("── ")] == expected["steps"]
    # Each command's reply is the next thing in the group: none comes a step late.
    for said, reply in expected["replies"]:
        places = [i for i, line in enumerate(group) if line.startswith(said)]
        assert places, said
        for place in places:
            assert group[place + 1].startswith(reply), (said, group[place + 1])
    # Three rounds: apart, then closer, then consensus; a chart after each result.
    text = result.stdout
    positions = [
        text.find(part, text.find(expected["results"][i - 1]) if i else 0) for i, part in enumerate(expected["results"])
    ]
    assert -1 not in positions and positions == sorted(positions), positions
    # A ballot in full once per round (the first member's; the others: "the same message"), then
    # each press shows only the row it changed.
    assert text.count(expected["ballot"]) == 3
    for later in expected["later"]:
        assert later in text, later
    # The files, where the last lines say.
    assert (
        lines[-2].startswith(expected["saved"]) and Path(lines[-2].removeprefix(expected["saved"])) == folder.resolve()
    )
    charts = sorted(folder.glob("chart-*.png"))
    assert [c.name for c in charts] == ["chart-1.png", "chart-2.png", "chart-3.png"]
    assert all(c.read_bytes().startswith(b"\x89PNG") for c in charts)
    assert all(f"{c}" in text for c in charts)  # the transcript names each chart where it was sent
    (report,) = folder.glob("*.docx")
    assert (
        report.stem in text and len(list(folder.glob("*.html"))) == 1 and len(list(folder.glob("*-markdown.zip"))) == 1
    )
    document = docx.Document(str(report))
    assert document.paragraphs and any(p.text == expected["first_heading"] for p in document.paragraphs)
    # The report is the last step: nothing of the method after it.
    assert text.rfind(report.name) > text.rfind("── ")
    for word in expected["foreign"]:
        assert word not in text, word
