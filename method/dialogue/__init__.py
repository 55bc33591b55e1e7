"""The open dialogue: parsing the moderator's words, the group's terms, who was quiet.

Pure logic: plain data in, frozen dataclasses out; no Telegram, no SQL.
"""

from method.dialogue.commands import (
    MAX_ANSWER,
    MAX_EXPLANATION,
    MAX_QUESTION,
    MAX_QUESTIONS,
    MAX_TERM,
    MAX_TERMS,
    DialogueCommand,
    Problem,
    QuestionCommand,
    TermCommand,
    clean_answer,
    command_rest,
    parse_dialogue_command,
    parse_question_command,
    parse_term_command,
)
from method.dialogue.terms import Explanation, explain, known_terms, suggest, term_key

__all__ = [
    "MAX_ANSWER",
    "MAX_EXPLANATION",
    "MAX_QUESTION",
    "MAX_QUESTIONS",
    "MAX_TERM",
    "MAX_TERMS",
    "DialogueCommand",
    "Explanation",
    "Problem",
    "QuestionCommand",
    "TermCommand",
    "clean_answer",
    "command_rest",
    "explain",
    "known_terms",
    "parse_dialogue_command",
    "parse_question_command",
    "parse_term_command",
    "suggest",
    "term_key",
]
