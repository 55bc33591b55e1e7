"""Keyboards of the voting rounds: the private ballot and the moderator's close/extend choices."""

from __future__ import annotations

from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts
from storage.records import BallotView

PAGE_SIZE = 8

VOTE_PATTERN = r"^vote:([0-9]{1,10}):([0-9]{1,10}):([123])$"
INFO_PATTERN = r"^vinfo:([0-9]{1,10}):([0-9]{1,10})$"
PAGE_PATTERN = r"^vpage:([0-9]{1,10}):([0-9]{1,10})$"
SUBMIT_PATTERN = r"^vsubmit:([0-9]{1,10})$"
WHY_PATTERN = r"^vwhy:([0-9]{1,10})(?::([0-9]{1,10}))?$"
BACK_PATTERN = r"^vback:([0-9]{1,10})$"
CLOSE_PATTERN = r"^rclose:([0-9]{1,10}):(force|extend)$"
# The voting settings as buttons (/stemregel): a stepper for the number and the quorum, the rules, a toggle.
SETTING_PATTERN = r"^vset:([0-9]{1,10}):(aantal|quorum|regel|automatisch):([a-z0-9]{1,12})$"


def pages(view: BallotView) -> int:
    return max(1, -(-len(view.themes) // PAGE_SIZE))


def page_themes(view: BallotView, page: int) -> tuple:
    return view.themes[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]


@lru_cache(maxsize=4096)
def _button(text: str, data: str) -> InlineKeyboardButton:
    """A button, built once: buttons are immutable, and a redraw after a press repeats nearly all of
    the ballot's (building them was most of the cost of rendering the ballot)."""
    return InlineKeyboardButton(text, callback_data=data)


def ballot_keyboard(texts: Texts, lang: str, view: BallotView, page: int) -> InlineKeyboardMarkup:
    """Per theme: its number (tap for the description) and 1, 2, 3 with the chosen one marked."""
    round_id = view.round.id
    rows = []
    for theme in page_themes(view, page):
        chosen = view.scores.get(theme.id)
        rows.append(
            [_button(f"#{theme.position} ℹ️", f"vinfo:{round_id}:{theme.id}")]
            + [
                _button(f"✅ {score}" if chosen == score else str(score), f"vote:{round_id}:{theme.id}:{score}")
                for score in (1, 2, 3)
            ]
        )
    total = pages(view)
    if total > 1:
        navigation = []
        if page > 0:
            navigation.append(InlineKeyboardButton(texts.label(lang, "voting.button.previous"), callback_data=f"vpage:{round_id}:{page - 1}"))
        if page < total - 1:
            navigation.append(InlineKeyboardButton(texts.label(lang, "voting.button.next"), callback_data=f"vpage:{round_id}:{page + 1}"))
        rows.append(navigation)
    rows.append(
        [
            InlineKeyboardButton(texts.label(lang, "voting.button.reason"), callback_data=f"vwhy:{round_id}"),
            InlineKeyboardButton(
                texts.label(lang, "voting.button.resubmit" if view.submitted else "voting.button.submit"),
                callback_data=f"vsubmit:{round_id}",
            ),
        ]
    )
    return InlineKeyboardMarkup(rows)


def reason_keyboard(texts: Texts, lang: str, view: BallotView) -> InlineKeyboardMarkup:
    """Which theme the reason is for: only themes that already have a score."""
    round_id = view.round.id
    rows = [
        [InlineKeyboardButton(f"#{t.position} {t.name}"[:60], callback_data=f"vwhy:{round_id}:{t.id}")]
        for t in view.themes
        if t.id in view.scores
    ]
    rows.append([InlineKeyboardButton(texts.label(lang, "voting.button.back"), callback_data=f"vback:{round_id}")])
    return InlineKeyboardMarkup(rows)


def quorum_keyboard(texts: Texts, lang: str, round_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.label(lang, "voting.button.force"), callback_data=f"rclose:{round_id}:force"),
                InlineKeyboardButton(texts.label(lang, "voting.button.extend"), callback_data=f"rclose:{round_id}:extend"),
            ]
        ]
    )


def settings_keyboard(texts: Texts, lang: str, trajectory_id: int, settings: object) -> InlineKeyboardMarkup:
    """/stemregel for the moderator: every agreement one press away (the same as the typed words)."""
    sought, quorum = settings.sought, settings.quorum_pct  # type: ignore[attr-defined]
    rule, auto = settings.rule_key, settings.close_when_all_voted  # type: ignore[attr-defined]

    def press(key: str, value: object, text: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=f"vset:{trajectory_id}:{key}:{value}")

    label = texts.label
    rules = (("standaard", "default"), ("meerderheid", "majority"), ("gemiddelde", "top_mean"))
    return InlineKeyboardMarkup(
        [
            [
                press("aantal", max(1, sought - 1), "➖"),
                InlineKeyboardButton(label(lang, "voting.button.sought", count=sought), callback_data=f"vset:{trajectory_id}:aantal:{sought}"),
                press("aantal", min(10, sought + 1), "➕"),
            ],
            [
                press("regel", word, ("✅ " if rule == key else "") + label(lang, f"voting.button.rule_{key}"))
                for word, key in rules
            ],
            [
                press("quorum", max(10, quorum - 10), "➖"),
                InlineKeyboardButton(label(lang, "voting.button.quorum", pct=quorum), callback_data=f"vset:{trajectory_id}:quorum:{quorum}"),
                press("quorum", min(100, quorum + 10), "➕"),
            ],
            [press("automatisch", "uit" if auto else "aan", label(lang, "voting.button.auto_on" if auto else "voting.button.auto_off"))],
        ]
    )
