"""The SMART check: what is missing or vague in a goal, as flag codes. No Telegram, no SQL.

A helper, not a judge: the codes are explained to the author in their language
(``bot/templates/<lang>/goals/labels.toml``, ``[flag]``), the author may keep the goal as it is,
and the codes stay on the goal. Dutch and English are read together, because people mix them
("KPI", "deadline", "Q3") and a goal written in English in a Dutch group is still a goal.

``check(parts)`` looks at a goal built letter by letter (the ``goal`` table's parts);
``check_sentence(text)`` at a goal written as one sentence; ``letter_flags`` keeps the codes of one
letter, shown right after that letter was answered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from method.goals.parts import LETTERS, OPTIONAL, is_skip

# Every code, in the order they are shown; the letter each belongs to.
FLAG_LETTER = {
    "too_short": "S",
    "vague_verb": "S",
    "no_number": "M",
    "no_baseline": "M",
    "no_owner": "A",
    "vague_owner": "A",
    "no_means": "R",
    "no_date": "T",
}
FLAGS = tuple(FLAG_LETTER)
MIN_WORDS = 4  # fewer words cannot say what changes and for whom

# --- dates and periods (T) ---------------------------------------------------------------------

_YEAR = r"(?:19|20)\d{2}"
_YEAR_BEFORE = (
    "tegen|in|voor|vóór|eind|einde|begin|midden|tot|uiterlijk|vanaf|sinds|tijdens|werkjaar|jaar|"
    "by|before|until|till|end of|start of|since|from|during"
)
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|june|july|august|october"
)
# Short forms, and "may", are months only next to a day or a year ("15 may", "mrt 2027").
_SHORT_MONTHS = "jan|feb|mrt|mar|apr|may|jun|jul|aug|sep|sept|okt|oct|nov|dec"
_COUNT = r"(?:\d+(?:[.,]\d+)?|een|één|a|an|one|twee|two|drie|three|vier|four|vijf|five|zes|six|tien|ten|twaalf|twelve)"
_TIME_UNIT = (
    r"(?:dag|dagen|week|weken|maand|maanden|jaar|jaren|kwartaal|kwartalen|day|days|weeks?|months?|years?|quarters?)"
)
_DATE_PATTERNS = (
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:{_YEAR}|\d{{2}})\b",  # 31/12/2027, 31.12.27
    rf"\b{_YEAR}-\d{{1,2}}-\d{{1,2}}\b",  # 2027-12-31
    rf"\b(?:\d{{1,2}}\s+)?(?:{_MONTHS})\b(?:\s+{_YEAR})?",  # (31) december (2027)
    rf"\b\d{{1,2}}\s+(?:{_SHORT_MONTHS})\.?(?:\s+{_YEAR})?\b",  # 15 mrt (2027)
    rf"\b(?:{_SHORT_MONTHS})\.?\s+{_YEAR}\b",  # mrt 2027
    # A bare year only where it reads as one ("tegen 2027", "2026-2030", "... in 2027."), so that
    # "2000 bomen" stays a quantity.
    rf"\b{_YEAR}\s*[-–/]\s*(?:{_YEAR}|\d{{2}})\b",
    rf"\b(?:{_YEAR_BEFORE})\s+{_YEAR}\b",
    rf"\b{_YEAR}(?=\s*(?:$|[.,;:!?)]))",
    r"\b[qk][1-4]\b",  # Q3, K3 (kwartaal)
    r"\b(?:eerste|tweede|derde|vierde|first|second|third|fourth|[1-4](?:e|ste|de|st|nd|rd|th))\s+"
    r"(?:kwartaal|quarter|semester|trimester|jaarhelft|half)\b",
    rf"\b{_COUNT}\s+{_TIME_UNIT}\b",  # binnen 18 maanden, within two years
    r"\b(?:volgend|volgende|komend|komende|dit|deze|next|this|coming)\s+(?:jaar|kwartaal|semester|maand|year|quarter|month)\b",
    r"\b(?:eind|einde|begin|midden|end|start|mid)\s+(?:van\s+)?(?:het\s+|dit\s+|the\s+|this\s+|of\s+the\s+|of\s+)?(?:jaar|year)\b",
    r"\b(?:jaarlijks|maandelijks|driemaandelijks|halfjaarlijks|annually|yearly|monthly|quarterly)\b",
    r"\b(?:elk|elke|ieder|iedere|per|every|each)\s+(?:jaar|kwartaal|maand|semester|year|quarter|month)\b",
    r"\b(?:legislatuur|bestuursperiode|bestuursploeg|legislature|council term)\b",
    r"\b(?:tegen|voor|vóór|by|before|in)\s+(?:de\s+|het\s+|the\s+)?(?:zomer|winter|lente|herfst|voorjaar|najaar|"
    r"zomervakantie|kerstvakantie|summer|spring|autumn|fall)\b",
)
_DATE = re.compile("|".join(f"(?:{pattern})" for pattern in _DATE_PATTERNS))

# --- quantities (M) --------------------------------------------------------------------------------

_NUMBER_WORDS = (
    "één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|veertig|vijftig|"
    "honderd|duizend|helft|halveren|halvering|verdubbelen|verdubbeling|verdrievoudigen|"
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|"
    "thousand|half|halve|halving|double|doubling|triple|dozen"
)
_QUANTITY = re.compile(rf"(?<!\w)\d+(?:[.,]\d+)*\s*(?:%|procent|percent|pct)?|\b(?:{_NUMBER_WORDS})\b|\b(?:nul|zero)\b")

# --- vague verbs (S) ------------------------------------------------------------------------------

_VAGUE = re.compile(
    r"\b(?:"
    # Dutch; separable verbs in both word orders ("inzetten op", "we zetten sterk in op")
    r"inzetten op|zet(?:ten)?\s+(?:\w+\s+){0,3}in op|streeft|streefden|streven|verbeter\w*|sensibilis\w*|"
    r"bewustmak\w*|bewust maken|bewustzijn|aandacht (?:besteden|hebben|schenken|geven)|meer aandacht|"
    r"werk maken van|stimuler\w*|bevorder\w*|optimalis\w*|versterk\w*|aanmoedig\w*|moedig\w* aan|"
    r"ondersteun\w*|uitbouwen|inspanning\w*|bijdragen (?:aan|tot)|"
    # English
    r"focus(?:es|ed|ing)? on|striv\w*|improv\w*|(?:raise|raising|create|creating) awareness|awareness|"
    r"sensiti[sz]\w*|promot\w*|encourag\w*|enhanc\w*|optimi[sz]\w*|strengthen\w*|work(?:ing)? towards?|"
    r"contribut\w* to|pay(?:ing)? attention|support(?:s|ing)?|foster\w*|stimulat\w*"
    r")\b"
)

# --- owners (A) --------------------------------------------------------------------------------------

_OWNER = re.compile(
    r"\b(?:dienst|diensten|afdeling|team|cel|schepen|burgemeester|directeur|directie|coördinator|coordinator|"
    r"verantwoordelijke|ambtenaar|trekker|trekt|getrokken|leidt|onder leiding|eigenaar|"
    r"preventieadviseur|aankoper|ocmw-raad|gemeenteraad|college|"
    r"department|service|unit|officer|manager|director|alderman|mayor|council|owner|owned by|led by|leads|"
    r"responsible)\b|\w+dienst\b"
)
_VAGUE_OWNER_WORDS = frozenset(
    "we wij ons onze iedereen allemaal samen alle allen de het gemeente organisatie stad bestuur personeel "
    "medewerkers us our everyone everybody all of the municipality organisation organization city staff "
    "together".split()
)
_NO_OWNER = re.compile(
    r"^(?:niemand|nog niemand|nog te bepalen|te bepalen|ntb|n\.t\.b\.|onbekend|weet ik niet|nog niet|"
    r"nobody|no one|tbd|to be decided|to be determined|unknown|not yet|don'?t know)$"
)
_NO_MEANS = re.compile(
    r"^(?:geen|niets|niks|geen idee|onbekend|nog te bepalen|ntb|n\.t\.b\.|nog niet bekend|weet ik niet|"
    r"none|nothing|no idea|unknown|tbd|to be decided|not known yet|don'?t know)$"
)
_ZERO = re.compile(r"\b(?:geen|nul|niets|none|zero|nothing|no)\b")


def _clean(text: str | None) -> str:
    """Lower case, one kind of quote and space; empty for nothing or a "skip" answer."""
    if text is None or is_skip(text):
        return ""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace("\u00a0", " ")
    return " ".join(text.split())


def has_date(text: str | None) -> bool:
    """A date, year, quarter or period: "31 december 2027", "tegen 2027", "Q3", "binnen 18 maanden"."""
    return bool(_DATE.search(_clean(text)))


def has_quantity(text: str | None) -> bool:
    """A number (with or without a unit or %) that is not part of a date or period."""
    return bool(_QUANTITY.search(_DATE.sub(" ", _clean(text))))


def has_owner(text: str | None) -> bool:
    """A service, team or role that carries the goal, named in a sentence."""
    return bool(_OWNER.search(_clean(text)))


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?;])\s+|\n+", text) if part.strip()]


def vague_without_object(text: str | None) -> bool:
    """A vague verb in a sentence that holds nothing measurable ("sensibiliseren" alone, not "200 medewerkers")."""
    return any(_VAGUE.search(sentence) and not has_quantity(sentence) for sentence in _sentences(_clean(text)))


def too_short(text: str | None) -> bool:
    return len(re.findall(r"\w+", _clean(text))) < MIN_WORDS


def _owner_flag(text: str | None) -> str | None:
    owner = _clean(text).strip(" .!?")
    if not owner or _NO_OWNER.match(owner):
        return "no_owner"
    words = re.findall(r"[\w'-]+", owner)
    if words and all(word in _VAGUE_OWNER_WORDS for word in words):
        return "vague_owner"
    return None


def check(parts: Mapping[str, str | None]) -> list[str]:
    """The flag codes of a goal's parts (missing parts count as empty), in ``FLAGS`` order."""
    specific, target = parts.get("specific"), parts.get("target")
    flags = set()
    if too_short(specific):
        flags.add("too_short")
    if vague_without_object(specific) and not has_quantity(target):
        flags.add("vague_verb")
    if not has_quantity(target) and not has_quantity(specific):
        flags.add("no_number")
    baseline = _clean(parts.get("baseline"))
    if not baseline or not (has_quantity(baseline) or _ZERO.search(baseline)):
        flags.add("no_baseline")
    owner = _owner_flag(parts.get("owner"))
    if owner:
        flags.add(owner)
    means = _clean(parts.get("means")).strip(" .!?")
    if not means or _NO_MEANS.match(means):
        flags.add("no_means")
    if not any(has_date(parts.get(part)) for part in ("deadline", "milestones", "specific")):
        flags.add("no_date")
    return [code for code in FLAGS if code in flags]


def check_sentence(text: str | None) -> list[str]:
    """The flags of a goal written as one sentence: what, how much, who and by when."""
    flags = set()
    if too_short(text):
        flags.add("too_short")
    if vague_without_object(text):
        flags.add("vague_verb")
    if not has_quantity(text):
        flags.add("no_number")
    if not has_owner(text):
        flags.add("no_owner")
    if not has_date(text):
        flags.add("no_date")
    return [code for code in FLAGS if code in flags]


def letter_flags(flags: list[str] | tuple[str, ...], letter: str) -> list[str]:
    """The codes that belong to one letter (shown right after that letter was answered)."""
    assert letter in LETTERS
    return [code for code in flags if FLAG_LETTER.get(code) == letter]


__all__ = ["FLAGS", "FLAG_LETTER", "OPTIONAL", "check", "check_sentence", "letter_flags"]
