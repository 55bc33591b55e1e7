"""Sample contexts for the open dialogue's and the glossary's templates."""

from __future__ import annotations

from datetime import UTC, datetime

from method.dialogue import Explanation
from storage.records import (
    DialogueDigest,
    DialogueRecord,
    DialogueStatus,
    DigestAnswer,
    DigestSection,
    GlossaryTermRecord,
    Participation,
    ParticipationRow,
    PersonRecord,
    QuestionRecord,
)
from tests.texts.samples_core import ANNE, BART, NAMELESS, TRAJECTORY

STARTED = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
QUESTION = QuestionRecord(11, 1, "Welke thema's lijken je <b>op het eerste zicht</b> prioritair?")
LAST = QuestionRecord(18, 8, "Wat zijn de voornaamste sterktes & lokale kansen? 🌱 مرحبا")
OPEN = DialogueRecord(1, 1, "open", 11, 100, STARTED, None)
ANONYMOUS = DialogueRecord(2, 1, "anonymous", 18, None, STARTED, None)
OPEN_STATUS = DialogueStatus(OPEN, QUESTION, 8)
ANONYMOUS_STATUS = DialogueStatus(ANONYMOUS, LAST, 8)
LONELY_STATUS = DialogueStatus(OPEN, QuestionRecord(11, 1, "Enige vraag?"), 1)
NO_QUESTION = DialogueStatus(ANONYMOUS, None, 0)

SECTION = DigestSection(
    2,
    "Waarom zou je prioriteit geven aan dat specifiek thema?",
    (DigestAnswer(None, "Omdat </i> het <script>telt</script>."), DigestAnswer(None, "Eerste regel\nTweede regel")),
)
EMPTY_SECTION = DigestSection(3, "Waar situeren zich de uitdagingen?", ())
NAMED = DigestSection(
    1,
    QUESTION.text,
    (DigestAnswer("Anne <b>Peeters</b>", "Duurzaam aankopen"), DigestAnswer("Bart", "Toegankelijkheid")),
)
DIGEST = DialogueDigest(OPEN, (NAMED, EMPTY_SECTION))
ANONYMOUS_DIGEST = DialogueDigest(ANONYMOUS, (SECTION,))
ONE_ANSWER = DialogueDigest(OPEN, (DigestSection(1, "Enige vraag?", (DigestAnswer("Bart", "Ja"),)),))

CHRIS = PersonRecord(3, 1003, "Chris", None, None, "en", True, 1)
ROWS = (
    ParticipationRow(BART, "member", "joined", 0),
    ParticipationRow(CHRIS, "member", "joined", 0),
    ParticipationRow(ANNE, "moderator", "joined", 4),
)
EQUAL = (ParticipationRow(BART, "member", "joined", 2), ParticipationRow(CHRIS, "member", "joined", 2))
PARTICIPATION = Participation(TRAJECTORY, OPEN_STATUS, ROWS)
ANONYMOUS_PARTICIPATION = Participation(NAMELESS, ANONYMOUS_STATUS, EQUAL)
EMPTY_PARTICIPATION = Participation(TRAJECTORY, NO_QUESTION, ())

TERM = GlossaryTermRecord(1, 1, "duurzaamheid", "Duurzaam <b>beleid</b>", "Wat wij & ons bestuur eronder verstaan.")

SAMPLES: dict[str, list[dict[str, object]]] = {
    "dialogue/question": [
        {"status": OPEN_STATUS, "first": True},
        {"status": OPEN_STATUS, "first": False},
        {"status": ANONYMOUS_STATUS, "first": True},
        {"status": ANONYMOUS_STATUS, "first": False},
        {"status": LONELY_STATUS, "first": True},
    ],
    "dialogue/anonymous_digest": [{"section": SECTION}, {"section": EMPTY_SECTION}],
    "dialogue/digest": [
        {"digest": DIGEST, "status": OPEN_STATUS, "stopped": True},
        {"digest": ANONYMOUS_DIGEST, "status": ANONYMOUS_STATUS, "stopped": False},
        {"digest": ONE_ANSWER, "status": LONELY_STATUS, "stopped": False},
    ],
    "dialogue/already_running": [{"status": OPEN_STATUS}, {"status": ANONYMOUS_STATUS}, {"status": NO_QUESTION}],
    "dialogue/not_running": [{}],
    "dialogue/no_questions": [{}],
    "dialogue/usage": [{}],
    "dialogue/questions": [
        {"questions": (QUESTION, LAST), "current_id": None, "change": None, "number": None, "is_moderator": False},
        {"questions": (QUESTION, LAST), "current_id": 11, "change": None, "number": None, "is_moderator": True},
        {"questions": (QUESTION,), "current_id": None, "change": "add", "number": 1, "is_moderator": True},
        {"questions": (QUESTION,), "current_id": None, "change": "edit", "number": 1, "is_moderator": True},
        {"questions": (), "current_id": None, "change": "remove", "number": 1, "is_moderator": True},
        {"questions": (LAST, QUESTION), "current_id": None, "change": "move", "number": 2, "is_moderator": True},
    ],
    "dialogue/questions_problem": [
        {"problem": problem, "action": action, "number": 9, "total": total, "limit": 500, "max_questions": 30}
        for problem, action, total in (
            ("unknown_action", None, 8),
            ("missing_number", "edit", 8),
            ("missing_number", "remove", 8),
            ("missing_number", "move", 8),
            ("bad_number", "edit", 8),
            ("bad_number", "move", 8),
            ("missing_position", "move", 8),
            ("empty", "add", 8),
            ("empty", "edit", 8),
            ("long", "add", 8),
            ("unknown_number", "edit", 8),
            ("unknown_number", "edit", 1),
            ("unknown_number", "remove", 0),
            ("bad_position", "move", 8),
            ("running", "remove", 8),
            ("too_many", "add", 30),
        )
    ],
    "dialogue/answer_problem": [{"problem": p, "limit": 2000} for p in ("long", "not_text", "empty")],
    "dialogue/answer_noted": [
        {"trajectory": TRAJECTORY, "number": 2, "several": False},
        {"trajectory": NAMELESS, "number": 8, "several": True},
    ],
    "dialogue/answer_in_group": [{"trajectory": TRAJECTORY}, {"trajectory": NAMELESS}],
    "dialogue/answer_privately": [{}],
    "dialogue/choose_group": [{}],
    "dialogue/participation": [
        {"participation": PARTICIPATION, "invited": None, "unreachable": ()},
        {"participation": ANONYMOUS_PARTICIPATION, "invited": None, "unreachable": ()},
        {"participation": PARTICIPATION, "invited": ["Chris"], "unreachable": ["Bart"]},
        {"participation": PARTICIPATION, "invited": [], "unreachable": []},
        {"participation": EMPTY_PARTICIPATION, "invited": None, "unreachable": ()},
    ],
    "dialogue/participation_sent": [{"moderator": ANNE}],
    "dialogue/participation_unreachable": [{"moderator": ANNE}],
    "dialogue/invitation": [
        {"person": CHRIS, "participation": PARTICIPATION},
        {"person": BART, "participation": ANONYMOUS_PARTICIPATION},
        {"person": BART, "participation": EMPTY_PARTICIPATION},
    ],
    "glossary/explanation": [
        {"explanation": Explanation("Duurzaamheid", "Duurzaamheid betekent ...", False)},
        {"explanation": Explanation("Duurzaam <b>beleid</b>", "Wat wij & ons bestuur eronder verstaan.", True)},
    ],
    "glossary/unknown": [
        {"word": "duurzaamheit<i>", "suggestions": ["Duurzaamheid", "Duurzaam <b>beleid</b>"]},
        {"word": "pizza", "suggestions": []},
    ],
    "glossary/list": [
        {"own": ["Duurzaam <b>beleid</b>", "Impact"], "shipped": ["Consensus", "MVO", "SDG"]},
        {"own": [], "shipped": ["Consensus", "MVO", "SDG"]},
    ],
    "glossary/saved": [{"term": TERM, "changed": False}, {"term": TERM, "changed": True}],
    "glossary/removed": [
        {"term": TERM, "shipped": Explanation("Duurzaamheid", "...", False)},
        {"term": TERM, "shipped": None},
    ],
    "glossary/problem": [
        {"problem": "empty", "part": "word", "word": None, "limit": 60},
        {"problem": "no_letters", "part": "word", "word": None, "limit": 60},
        {"problem": "long", "part": "word", "word": None, "limit": 60},
        {"problem": "long", "part": "explanation", "word": None, "limit": 1000},
        {"problem": "in_group", "part": None, "word": "SDG", "limit": 60},
        {"problem": "not_own", "part": None, "word": "<b>SDG</b>", "limit": 60},
        {"problem": "too_many", "part": None, "word": "SDG", "limit": 100},
    ],
}
