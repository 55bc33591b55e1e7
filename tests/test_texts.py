"""Every text exists in Dutch and English, renders, and is HTML that Telegram accepts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import LANGUAGES
from bot.fake_telegram.html_check import parse_html
from bot.render import TEMPLATES, Texts
from storage.records import MemberRecord, PersonRecord, TelegramUser, TrajectoryRecord

TRAJECTORY = TrajectoryRecord(1, -100, "MVO <kopgroep>", "Gemeente Zottegem & OCMW", "nl", "Europe/Brussels", "tok", "setup", True)
NAMELESS = TrajectoryRecord(2, -101, "Groep", None, "nl", "Europe/Brussels", "tok2", "setup", True)
ANNE = PersonRecord(1, 1001, "Anne", "<b>Peeters</b>", "annep", None, True, 1)
BART = PersonRecord(2, 1002, "Bart", None, None, None, False, None)
JOINED = [
    MemberRecord(ANNE, "moderator", "joined", datetime(2026, 11, 26, 13, 5, tzinfo=UTC)),
    MemberRecord(BART, "member", "joined", None),
]
USER = TelegramUser(1001, "Anne & co")

# One or more sample contexts per template: a new template needs an entry here.
SAMPLES: dict[str, list[dict[str, object]]] = {
    "onboarding/welcome": [{"moderator": USER}],
    "onboarding/welcome_back": [{}],
    "onboarding/ask_organisation": [{"moderator": USER}],
    "onboarding/organisation_set": [{"organisation": "Gemeente <Zottegem>"}],
    "onboarding/organisation_invalid": [{"reason": "empty", "limit": 200}, {"reason": "long", "limit": 200}],
    "onboarding/not_registered": [{}],
    "onboarding/admin_needed": [{}],
    "joining/joined": [
        {"person": ANNE, "trajectory": TRAJECTORY, "other_groups": 0},
        {"person": BART, "trajectory": NAMELESS, "other_groups": 2},
    ],
    "joining/already_joined": [{"trajectory": TRAJECTORY}, {"trajectory": NAMELESS}],
    "joining/bad_token": [{}],
    "joining/invite": [{"trajectory": TRAJECTORY}],
    "members/overview": [
        {"trajectory": TRAJECTORY, "joined": JOINED, "waiting_names": ["Chris", "Dirk"], "waiting_count": 5},
        {"trajectory": NAMELESS, "joined": [], "waiting_names": [], "waiting_count": 1},
        {"trajectory": TRAJECTORY, "joined": JOINED, "waiting_names": [], "waiting_count": 0},
    ],
    "members/moderator_pick": [{}],
    "members/moderator_none": [{}],
    "members/moderator_added": [{"person": USER}],
    "members/moderator_already": [{"person": USER}],
    "members/moderator_not_admin": [{"person": USER}],
    "help/group": [
        {"trajectory": TRAJECTORY, "role": "moderator"},
        {"trajectory": TRAJECTORY, "role": "member"},
        {"trajectory": NAMELESS, "role": None},
    ],
    "help/private": [
        {"memberships": [], "current": None, "is_moderator": False},
        {"memberships": [(TRAJECTORY, "moderator"), (NAMELESS, "member")], "current": TRAJECTORY, "is_moderator": True},
    ],
    "language/choose": [{"scope": "group"}, {"scope": "private"}],
    "language/changed": [{"scope": "group"}, {"scope": "private"}],
    "language/unknown": [{}],
    "group_choice/choose": [{}],
    "group_choice/chosen": [{"trajectory": TRAJECTORY}],
    "group_choice/only_one": [{"trajectory": TRAJECTORY}, {"trajectory": None}],
    "common/moderator_only": [{}],
    "common/group_only": [{}],
    "common/private_only": [{}],
    "common/error": [{}],
    "common/unknown_command": [{}],
    "common/unexpected_input": [{}],
}


def template_names(lang: str) -> set[str]:
    root = TEMPLATES / lang
    return {str(p.relative_to(root).with_suffix("")) for p in root.rglob("*.j2")}


def test_both_languages_have_the_same_templates() -> None:
    assert template_names("nl") == template_names("en")


def test_every_template_has_a_sample() -> None:
    assert template_names("nl") == set(SAMPLES)


def test_both_languages_have_the_same_labels() -> None:
    texts = Texts()
    keys = {lang: set(texts._labels[lang]) for lang in LANGUAGES}
    assert keys["nl"] == keys["en"]
    for lang in LANGUAGES:
        assert all(value.strip() for value in texts._labels[lang].values())


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_template_renders_valid_html(lang: str, name: str) -> None:
    texts = Texts()
    for context in SAMPLES[name]:
        html = texts.render(lang, name, **context)
        plain, _ = parse_html(html)  # raises on HTML Telegram would refuse
        assert plain.strip(), f"{name} renders empty"
        assert "{{" not in html and "{%" not in html
        assert "\n\n\n" not in html, f"{name} has stray blank lines"


def test_user_text_is_escaped() -> None:
    html = Texts().render("nl", "onboarding/organisation_set", organisation="<script>x</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_languages_differ() -> None:
    texts = Texts()
    assert texts.render("nl", "common/error") != texts.render("en", "common/error")
    assert texts.render("xx", "common/error") == texts.render("nl", "common/error")  # unknown falls back
