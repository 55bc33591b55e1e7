"""A closed trajectory (/afsluiten) is read-only: one check, in the guard, for every step.

The guard (bot/guards.py) asks ``changes_closed`` for each update of a group or private chat
whose trajectory is closed. What only shows or hands out what is there (the report, the export,
one's own data, results, themes, help) goes on; a command, button or file that would change
something is answered with what still works, in the group's language, and goes no further.
Allowed is listed, not forbidden: a new command is refused in a closed group until it is listed.
"""

from __future__ import annotations

from telegram import Update

# Group commands that change nothing (some only without arguments, see _GROUP_WITHOUT_WORDS).
_GROUP_COMMANDS = frozenset(
    {
        "help",
        "start",
        "leden",
        "uitslag",
        "geparkeerd",
        "themas",
        "thema",
        "vragen",
        "begrip",
        "rapport",
        "beslissing",
        "export",
        "mijngegevens",
        "vergeetmij",
        "evaluatie",
        "afsluiten",
        "taal",
        "moderator",
        "scherm",
        "doelen",
        "deelname",
        "stemregel",
        # After the trajectory: following up its goals, and starting the next one from it.
        "opvolging",
        "voortgang",
        "nieuwtraject",
        "vorigtraject",
    }
)
# With words these change something: /stemregel 3, /vragen nieuw ..., /evaluatie sluiten.
_GROUP_WITHOUT_WORDS = frozenset({"stemregel", "vragen", "evaluatie", "doelen"})
_PRIVATE_COMMANDS = frozenset(
    {
        "start",
        "help",
        "groep",
        "taal",
        "mijngegevens",
        "vergeetmij",
        "begrip",
        "doelen",
        "evaluatie",
    }
)
# Buttons that show, hand out or manage roles and language; everything else would change the
# trajectory (a vote, a theme, a dream image, a goal, a setting).
# The goals' follow-up (fu*) and the next trajectory (ntj) come after closing, by design.
_FOLLOW_UP_BUTTONS = frozenset({"fuc", "fur", "fun", "fua", "fuh", "fus", "ntj"})
_GROUP_BUTTONS = frozenset({"rpt", "dec", "lang", "mod", "mtk", "tcl", "evc"}) | _FOLLOW_UP_BUTTONS
_PRIVATE_BUTTONS = frozenset({"grp", "lang", "forget", "vinfo", "vpage", "rpt"}) | _FOLLOW_UP_BUTTONS
AFTER_CLOSING_PROMPTS = frozenset({"followup"})
"""Kinds of questions (``prompt.kind``) that belong to the time after closing: a goal owner's
follow-up value and note (conversations/followup_rounds.py). A private answer to one goes on."""


def _command(text: str) -> tuple[str, list[str]] | None:
    if not text.startswith("/"):
        return None
    first, *words = text.split()
    return first[1:].split("@", 1)[0].lower(), words


def changes_closed(update: Update, *, private: bool) -> bool:
    """True when ``update`` would change a closed trajectory (so it must be refused)."""
    query = update.callback_query
    if query is not None:
        namespace = (query.data or "").split(":", 1)[0]
        if namespace == "next":  # the next-step card: after closing it offers the next trajectory
            return not (query.data or "").endswith((":nieuwtraject", ":alles"))
        return namespace not in (_PRIVATE_BUTTONS if private else _GROUP_BUTTONS)
    message = update.message
    if message is None:
        return False  # member events, edits (ignored anyway), reactions: nothing to refuse
    if message.document is not None and private:
        return True  # a scan file, a filled template: would be read into the trajectory
    # In the group a file acts only with a command as its caption (/herstel): that is checked below.
    command = _command(message.text or message.caption or "")
    if command is None:
        # In private, free text answers a question of a step (a dream image, a goal): refused.
        # In the group it is conversation, or a reply the allowed /beslissing asked for.
        # (An answer the goals' follow-up waits for is let through by the guard: is_follow_up_answer.)
        return private and bool(message.text)
    name, words = command
    if private:
        return name not in _PRIVATE_COMMANDS or (name == "start" and bool(words) and words[0].startswith("goal-"))
    if name not in _GROUP_COMMANDS:
        return True
    if name in _GROUP_WITHOUT_WORDS and words:
        return True
    if name == "thema":  # /thema <nr> shows one theme; more words edit it
        return not (len(words) == 1 and words[0].isdecimal())
    if name == "begrip":  # /begrip woord = uitleg sets a term
        return "=" in " ".join(words)
    return False


def is_private_text(update: Update) -> bool:
    """A private text that is no command: it may answer a question the bot asked."""
    message = update.message
    return message is not None and bool(message.text) and not message.text.startswith("/")
