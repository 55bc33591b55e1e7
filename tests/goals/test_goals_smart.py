"""The SMART check on goal sentences in Dutch and English, good and bad, with the expected flags;
and on goals built letter by letter (the parts the bot asks one at a time)."""

from __future__ import annotations

import pytest

from method.goals import parts as goal_parts
from method.goals.smart import FLAGS, check, check_sentence, has_date, has_quantity, letter_flags

ALL = ["vague_verb", "no_number", "no_owner", "no_date"]

SENTENCES = [
    # --- Dutch, good: what, how much, who, by when ---
    ("Tegen eind 2027 rijden 40% van de dienstwagens van de gemeente elektrisch; de dienst facility trekt dit.", []),
    (
        "De aankoopdienst neemt in 100% van de overheidsopdrachten boven 30.000 euro sociale criteria op tegen 31/12/2026.",
        [],
    ),
    ("2000 bomen planten in de deelgemeenten tegen Q4 2028, getrokken door de groendienst.", []),
    ("Binnen 18 maanden halveren we het aantal printers; de ICT-dienst is verantwoordelijk.", []),
    ("Sensibiliseren van 200 medewerkers via 4 workshops tegen juni 2026, door de milieudienst.", []),
    (
        "Twee keer per jaar een duurzaamheidsnieuwsbrief voor alle medewerkers, door de dienst communicatie, vanaf 2026.",
        [],
    ),
    (
        "De personeelsdienst verhoogt het aandeel fietsende medewerkers van 12% naar 30% tegen het derde kwartaal van 2027.",
        [],
    ),
    (
        "Het papierverbruik van het administratief centrum daalt met 25 procent tegen 1 september 2026 (trekker: schepen van milieu).",
        [],
    ),
    ("De schepen van sociale zaken zorgt dat 50 gezinnen in 2026 een energiescan krijgen.", []),
    ("Vóór de zomervakantie herschrijft het team communicatie 20 standaardbrieven in klare taal.", []),
    # --- Dutch, bad ---
    ("We zetten in op duurzaamheid.", ALL),
    ("Inzetten op duurzaam aankopen", ALL),
    ("Het papierverbruik verbeteren", ["too_short", *ALL]),
    ("Medewerkers sensibiliseren rond afval.", ALL),
    ("Streven naar meer fietsgebruik tegen 2030.", ["vague_verb", "no_number", "no_owner"]),
    ("Meer fietsen", ["too_short", "no_number", "no_owner", "no_date"]),
    ("De gemeente wil de toegankelijkheid van haar gebouwen verbeteren.", ALL),
    ("Tegen 2028 zijn alle speelpleinen van de gemeente toegankelijk.", ["no_number", "no_owner"]),
    ("De milieudienst plant 500 bomen.", ["no_date"]),
    ("Binnen twee jaar 30% minder restafval op de werkvloer.", ["no_owner"]),
    ("Aandacht besteden aan biodiversiteit in onze parken en op de begraafplaatsen.", ALL),
    ("Het aankoopbeleid duurzamer maken door de aankoopdienst.", ["no_number", "no_date"]),
    # --- English, good ---
    ("By the end of 2026 the communication team rewrites the 50 most used letters in plain language.", []),
    ("The facilities department reduces energy use in the town hall by 15% compared to 2024 by Q3 2027.", []),
    ("Reduce CO2 emissions of the vehicle fleet by 30% by 2030; owned by the fleet manager.", []),
    ("Within 12 months the HR service offers two sustainability trainings to every new employee.", []),
    ("Raise awareness of 300 pupils through 10 school visits by June 2027, led by the environment officer.", []),
    # --- English, bad ---
    ("Focus on sustainability.", ["too_short", *ALL]),
    ("Improve accessibility of our documents.", ALL),
    ("Raise awareness among staff.", ALL),
    ("We strive for a greener municipality next year.", ["vague_verb", "no_number", "no_owner"]),
    ("Plant 1500 trees along the cycle routes.", ["no_owner", "no_date"]),
    ("The mayor will promote fair trade.", ["vague_verb", "no_number", "no_date"]),
    ("Halve food waste in the staff canteen by 2028.", ["no_owner"]),
    ("Support local farmers in every possible way.", ALL),
]


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES, ids=[s[:40] for s, _ in SENTENCES])
def test_sentence_flags(sentence: str, expected: list[str]) -> None:
    assert check_sentence(sentence) == expected


def test_enough_sentences_in_both_languages() -> None:
    assert len(SENTENCES) >= 30
    good = [s for s, flags in SENTENCES if not flags]
    assert len(good) >= 10 and len(SENTENCES) - len(good) >= 15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31 december 2027", True),
        ("31/12/2027", True),
        ("2027-12-31", True),
        ("eind 2027", True),
        ("Q3", True),
        ("derde kwartaal", True),
        ("binnen 18 maanden", True),
        ("within two years", True),
        ("volgend jaar", True),
        ("end of the year", True),
        ("jaarlijks", True),
        ("deze legislatuur", True),
        ("tegen de zomer", True),
        ("15 mrt", True),
        ("may 2027", True),
        ("2026-2030", True),
        ("snel", False),
        ("zo vlug mogelijk", False),
        ("as soon as possible", False),
        ("we may do it", False),  # "may" alone is no month
        ("2000 bomen", False),  # a quantity, not a year
        ("", False),
    ],
)
def test_dates_and_periods(text: str, expected: bool) -> None:
    assert has_date(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30%", True),
        ("25 procent", True),
        ("30.000 euro", True),
        ("2,5 ton CO2", True),
        ("twintig laadpalen", True),
        ("de helft", True),
        ("double the number", True),
        ("0 klachten", True),
        ("CO2-uitstoot", False),  # the 2 of CO2 is no number
        ("tegen 2027", False),  # a year is a date, not a measure
        ("binnen 6 maanden", False),  # a period, not a measure
        ("meer fietsen", False),
        ("veel minder", False),
    ],
)
def test_quantities(text: str, expected: bool) -> None:
    assert has_quantity(text) is expected


GOOD = {
    "specific": "Meer medewerkers komen met de fiets naar het werk",
    "indicator": "aandeel medewerkers dat minstens 3 dagen per week fietst (jaarlijkse enquête)",
    "baseline": "12% in 2025",
    "target": "30%",
    "owner": "personeelsdienst, met steun van het managementteam",
    "means": "fietsvergoeding, 2 overdekte stallingen, 15.000 euro",
    "deadline": "eind 2027",
    "milestones": "20% eind 2026",
}


def test_a_good_goal_has_no_flags() -> None:
    assert check(GOOD) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"specific": "Fietsen"}, ["too_short"]),
        ({"specific": "Het fietsgebruik verbeteren bij het personeel", "target": "meer"}, ["vague_verb", "no_number"]),
        # The target makes a vague verb measurable after all.
        ({"specific": "Het fietsgebruik verbeteren bij het personeel"}, []),
        ({"baseline": None}, ["no_baseline"]),
        ({"baseline": "nog niet gemeten"}, ["no_baseline"]),
        ({"baseline": "geen"}, []),  # none today is a start value (zero)
        ({"baseline": "-"}, ["no_baseline"]),
        ({"owner": ""}, ["no_owner"]),
        ({"owner": "nog te bepalen"}, ["no_owner"]),
        ({"owner": "iedereen"}, ["vague_owner"]),
        ({"owner": "We all"}, ["vague_owner"]),
        ({"owner": "de gemeente"}, ["vague_owner"]),
        ({"means": "geen"}, ["no_means"]),
        ({"means": "TBD"}, ["no_means"]),
        ({"deadline": "zo snel mogelijk", "milestones": None}, ["no_date"]),
        ({"deadline": "asap", "milestones": "-"}, ["no_date"]),
        ({"deadline": "-", "milestones": "-", "specific": "Tegen 2028 fietsen meer medewerkers naar het werk"}, []),
        ({"milestones": None}, []),  # milestones are optional
    ],
)
def test_parts(changes: dict[str, str | None], expected: list[str]) -> None:
    assert check({**GOOD, **changes}) == expected


def test_an_empty_goal_gets_every_flag_but_the_vague_ones() -> None:
    assert check({}) == ["too_short", "no_number", "no_baseline", "no_owner", "no_means", "no_date"]


def test_flags_per_letter() -> None:
    flags = check({"specific": "Inzetten op duurzaamheid in de hele organisatie", "owner": "iedereen"})
    assert letter_flags(flags, "S") == ["vague_verb"]
    assert letter_flags(flags, "M") == ["no_number", "no_baseline"]
    assert letter_flags(flags, "A") == ["vague_owner"]
    assert letter_flags(flags, "R") == ["no_means"]
    assert letter_flags(flags, "T") == ["no_date"]
    assert set(FLAGS) == {
        "too_short",
        "vague_verb",
        "no_number",
        "no_baseline",
        "no_owner",
        "vague_owner",
        "no_means",
        "no_date",
    }


def test_question_order() -> None:
    assert goal_parts.next_part("specific") == "indicator"
    assert goal_parts.next_part("target", letter_only=True) is None
    assert goal_parts.next_part("indicator", letter_only=True) == "baseline"
    assert goal_parts.next_part("milestones") is None
    assert goal_parts.first_open({"specific": "x", "indicator": "y"}) == "baseline"
    assert goal_parts.first_open(dict.fromkeys(goal_parts.PARTS, "x")) is None
    assert goal_parts.parts_of("M") == ("indicator", "baseline", "target")
