"""Likely duplicate dream images, proposed to the moderator (who decides; nothing is merged here).

Each dream image is normalised (lower case, accents folded, punctuation out, Dutch or English
stop words out, Snowball stems), then every pair is scored with rapidfuzz: the token-set ratio
of the stems (does one say what the other says?) combined with the token-sort ratio of the
stems and the plain ratio of the normalised words (do they say it about as much in the same
words?). Pairs at or above the threshold are grouped; a group never chains unrelated items:
each member must itself be close to the group's representative.

Scores are on rapidfuzz's scale, 0 to 100. Pure logic: plain data in, frozen dataclasses out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer
from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 75.0

# weights of the three scores; tuned on the examples in tests/dreams/test_dreams_duplicates.py
W_SET = 0.6
W_SORT = 0.3
W_PLAIN = 0.1


@dataclass(frozen=True)
class DreamItem:
    id: int
    theme_id: int
    text: str


@dataclass(frozen=True)
class DuplicateProposal:
    ids: tuple[int, ...]  # ascending
    score: float  # mean score of the pairs in the group, 0-100
    across_themes: bool


# Words that say nothing about what a dream image is about: function words (after the Snowball
# stop-word lists), and words dream images are full of ("meer", "graag", "zoveel mogelijk",
# "organiseren", "voorzien", "more", "possible", "provide").
_STOP = {
    "nl": frozenset(
        """
        aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
        dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
        iets ik in is ja je jij kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
        nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor
        want waren was wat we wel werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder
        zou zullen graag zoveel zo'n mogelijk mogelijkheid bv bijv bijvoorbeeld enz etc onze ook
        gewoon echt even heel best steeds vaker minder eigen jullie wij zouden willen mee
        organiseren organiseer voorzien maken zorgen gebruiken komen krijgen jaarlijks overal
        nieuwe extra voldoende goede beter plaats
        """.split()
    ),
    "en": frozenset(
        """
        a about above after again all also am an and any are as at be because been before being
        below between both but by can could did do does doing down during each etc eg few for from
        further had has have having he her here hers him his how i if in into is it its itself just
        let me more most my no nor not of off on once only or other our ours out over own same she
        should so some such than that the their theirs them then there these they this those through
        to too under until up very was we were what when where which while who whom why will with
        would you your possible possibly please really much many every eg ie organise organize
        provide make ensure use get yearly everywhere new extra enough better good instead
        """.split()
    ),
}
# "dutch_porter" (the classic Dutch Snowball stemmer) rather than Snowball 3's "dutch", which
# strips "ge-" ("gezondheid" -> "zon", "gemeente" -> "meen")
_STEMMER_NAME = {"nl": "dutch_porter", "en": "english"}
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def _lang(lang: str) -> str:
    return "en" if (lang or "").lower().startswith("en") else "nl"


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMER_NAME[lang])


@lru_cache(maxsize=50_000)
def _stem(lang: str, word: str) -> str:
    """One word's stem; cached, as the pure-Python stemmer is the slow part and words repeat."""
    return _stemmer(lang).stemWord(word)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in text if not unicodedata.combining(char))


def words(text: str, lang: str) -> list[str]:
    """The content words: lower case, accents folded, no punctuation, no stop words."""
    lang = _lang(lang)
    stop = _STOP[lang]
    # "km's" and "zo'n" stay one word; "hybride/elektrische" and "milieu-impact" become two
    tokens = _WORD_RE.findall(_fold(text).replace("'", "").replace("\u2019", ""))
    return [token for token in tokens if token not in stop and (len(token) > 1 or token.isdigit())]


def normalise(text: str, lang: str) -> str:
    """The stems of the content words, in order, joined by spaces ("" when nothing is left)."""
    lang = _lang(lang)
    return " ".join(_stem(lang, word) for word in words(text, lang))


def _plain(text: str, lang: str) -> str:
    return " ".join(words(text, lang))


def score_matrix(texts: Sequence[str], *, lang: str) -> np.ndarray:
    """Pairwise scores (0-100, symmetric, float32) of the texts; 0 where a text has no content words."""
    stems = [normalise(text, lang) for text in texts]
    plain = [_plain(text, lang) for text in texts]
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    set_scores = process.cdist(stems, stems, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=-1)
    sort_scores = process.cdist(stems, stems, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=-1)
    plain_scores = process.cdist(plain, plain, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
    scores = W_SET * set_scores + W_SORT * sort_scores + W_PLAIN * plain_scores
    empty = np.array([not stem for stem in stems])
    scores[empty, :] = 0.0
    scores[:, empty] = 0.0
    return scores


def score(a: str, b: str, *, lang: str) -> float:
    """The score of one pair (0-100), as ``propose_duplicates`` uses it."""
    return float(score_matrix([a, b], lang=lang)[0, 1])


def propose_duplicates(
    items: Sequence[DreamItem],
    *,
    lang: str,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[DuplicateProposal]:
    """Groups of likely duplicates, most likely first. Raises ValueError on repeated ids."""
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise ValueError("dream item ids must be unique")
    if len(items) < 2:
        return []
    scores = score_matrix([item.text for item in items], lang=lang)
    upper = np.triu(scores >= threshold, k=1)
    rows, cols = np.nonzero(upper)
    order = np.lexsort((cols, rows, -scores[rows, cols]))  # best pairs first; ties in item order

    # union-find, where joining two groups needs every member of one to be close to the other's
    # representative (the item that first joined a group); so "A~B, B~C" never joins A and C
    # unless C is close to A as well
    parent = list(range(len(items)))
    members: dict[int, list[int]] = {index: [index] for index in range(len(items))}

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for pair in order:
        a, b = find(int(rows[pair])), find(int(cols[pair]))
        if a == b:
            continue
        keep, join = (a, b) if len(members[a]) >= len(members[b]) else (b, a)
        if all(scores[keep, member] >= threshold for member in members[join]) and all(
            scores[join, member] >= threshold for member in members[keep]
        ):
            parent[join] = keep
            members[keep].extend(members.pop(join))

    proposals = []
    for group in members.values():
        if len(group) < 2:
            continue
        pair_scores = [scores[i, j] for n, i in enumerate(group) for j in group[n + 1 :]]
        proposals.append(
            DuplicateProposal(
                ids=tuple(sorted(items[index].id for index in group)),
                score=round(float(np.mean(pair_scores)), 1),
                across_themes=len({items[index].theme_id for index in group}) > 1,
            )
        )
    proposals.sort(key=lambda proposal: (-proposal.score, proposal.ids))
    return proposals
