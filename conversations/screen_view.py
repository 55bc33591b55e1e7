"""What the meeting room's screen shows: the group's own messages, laid out for a wall.

Each scene is rendered from the templates and the values that build the group's messages
(the synthesis of /sessie, the question of /dialoog, the progress and results of a round, the
published dream images, /doelen), so the screen says what the chat says, in the same words,
and never more. Those messages are Telegram HTML (a few inline tags, newlines); ``page_html``
turns them into page HTML. The page's own words are labels (bot/templates/<lang>/screen/).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from markupsafe import Markup

from bot.render import Texts
from conversations.goals import MAX_DREAMS_SHOWN, short_flags
from conversations.session import synthesis_text
from conversations.voting import rule_context
from conversations.voting_results import MIN_VOTERS_FOR_FIGURES, results_context
from storage import voting
from storage.screen import SCENES, Look, SceneData

REFUSED = ("unknown", "stopped", "expired", "closed")


@dataclass(frozen=True)
class ScreenState:
    """One look, ready for the page: the scene's HTML and the menu around it."""

    status: str  # ok, or why the link no longer works (REFUSED)
    lang: str
    title: str  # the document's title
    heading: str
    html: str  # the scene (page HTML), or the refusal
    live: str  # a short line for screen readers when the scene changes
    scenes: tuple[tuple[str, str], ...] = ()  # (key, label) the menu offers
    shown: str = "waiting"
    pinned: str | None = None  # the scene the moderator chose, while it is there; else the group's
    chart: int | None = None  # the round whose chart the scene shows

    @property
    def version(self) -> str:
        """Changes whenever anything on the page would (the page redraws only then)."""
        payload = json.dumps([self.status, self.lang, self.title, self.html, self.scenes, self.shown, self.pinned])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "version": self.version,
            "lang": self.lang,
            "title": self.title,
            "heading": self.heading,
            "html": self.html,
            "live": self.live,
            "scenes": [{"key": key, "label": label, "number": SCENES.index(key) + 1} for key, label in self.scenes],
            "shown": self.shown,
            "pinned": self.pinned,
            "ended": self.status != "ok",
        }


def screen_state(texts: Texts, look: Look, *, pinned: str | None, chart_url: str, default_lang: str) -> ScreenState:
    """The page's state after one look; ``chart_url`` has ``{number}`` for the round's number."""
    check = look.check
    lang = texts.lang(check.trajectory.language if check.trajectory is not None else default_lang)
    if not check.ok or check.trajectory is None:
        return refused_state(texts, lang, check.status)
    trajectory = check.trajectory
    name = trajectory.organisation or trajectory.title
    data = look.data

    def label(key: str, **values: object) -> str:
        return texts.label(lang, f"screen.{key}", **values)

    heading, body, live, chart = _scene(texts, lang, trajectory, data, label, chart_url)
    scenes = tuple((scene, label(f"scene.{scene}")) for scene in SCENES if scene in look.scenes)
    return ScreenState(
        status="ok",
        lang=lang,
        title=f"{heading} · {name}",
        heading=heading,
        html=body,
        live=live,
        scenes=scenes,
        shown=data.scene,
        pinned=pinned if pinned in look.scenes else None,
        chart=chart,
    )


def refused_state(texts: Texts, lang: str, status: str) -> ScreenState:
    heading = texts.label(lang, f"screen.refused.{status}_title")
    body = f'<p class="refused">{escape(texts.label(lang, f"screen.refused.{status}"))}</p>'
    return ScreenState(status=status, lang=lang, title=heading, heading=heading, html=body, live=heading)


def _scene(texts, lang, trajectory, data: SceneData, label, chart_url) -> tuple[str, str, str, int | None]:  # noqa: ANN001
    """(heading, HTML, live line, chart round) of one scene."""

    def message(name: str, **values: object) -> str:
        return page_html(texts.render(lang, name, timezone=trajectory.timezone, **values))

    def block(html: str, css: str = "message") -> str:
        return f'<div class="{css}">{html}</div>'

    scene = data.scene
    if scene == "synthesis" and data.meeting is not None and data.synthesis is not None:
        heading = label("scene.synthesis")
        text = synthesis_text(texts, trajectory, data.meeting, data.synthesis)
        return heading, block(page_html(text), "message columns"), heading, None
    if scene == "dialogue" and data.dialogue is not None:
        status = data.dialogue
        heading = label("scene.dialogue")
        parts = [block(message("dialogue/question", status=status, first=False), "message question")]
        if status.question is not None:
            answered = label("text.answered_one") if data.answered == 1 else label("text.answered", count=data.answered)
            parts.append(f'<p class="count" id="answered">{escape(answered)}</p>')
        else:
            answered = heading
        if data.shared is not None:
            parts.append(block(message("dialogue/anonymous_digest", section=data.shared), "message shared columns"))
        return heading, "".join(parts), answered, None
    if scene == "dialogue" and data.digest is not None:
        heading = label("scene.dialogue")
        text = message("dialogue/digest", digest=data.digest, status=None, stopped=data.stopped)
        return heading, block(text, "message columns"), heading, None
    if scene == "voting" and data.round is not None:
        round_ = data.round
        heading = label("heading.voting", number=round_.number)
        progress = message("voting/progress", round=round_, submitted=data.submitted)
        needed = voting.quorum_needed(round_.members, round_.quorum_pct)
        # The rule in the words the group read when the round opened (a tie-break's secured themes
        # are left out here: the group's message names them).
        words = rule_context(round_.rule_key, round_.sought, needed, round_.members)
        announce = message("voting/announce", round=round_, themes=data.themes, needed=needed, secured=(), **words)
        bar = (
            f'<progress class="bar" max="{max(round_.members, 1)}" value="{data.submitted}" '
            f'aria-label="{escape(label("text.voted"))}"></progress>'
        )
        body = block(progress, "message count") + bar + block(announce, "message small columns")
        return heading, body, _plain(progress), None
    if scene == "results" and data.result is not None:
        result = data.result
        assert result.round is not None
        values = results_context(result)
        heading = label("heading.results", number=result.round.number)
        parts = []
        if data.chosen:
            parts.append(
                block(message("voting/consensus", chosen=data.chosen, parked=data.parked), "message consensus")
            )
        text = block(message("voting/results", **values), "message results")
        chart = None
        if result.submitted >= MIN_VOTERS_FOR_FIGURES and result.tally is not None and result.tally.themes:
            chart = result.round.number
            alt = escape(label("text.chart_alt", number=chart))
            src = escape(chart_url.format(number=chart))
            figure = f'<figure class="chart"><img src="{src}" alt="{alt}" width="803"></figure>'
            parts.append(f'<div class="results-grid">{figure}{text}</div>')
        else:
            parts.append(text)
        return heading, "".join(parts), heading, chart
    if scene == "dreams":
        heading = label("scene.dreams")
        text = message(
            "dreams/summary", trajectory=trajectory, themes=data.dream_themes, next_session=data.next_session
        )
        return heading, block(text, "message columns"), heading, None
    if scene == "goals" and data.goals is not None:
        heading = label("scene.goals")
        text = message(
            "goals/overview",
            overview=data.goals,
            short=short_flags(_TextsOnly(texts), lang, data.goals),
            shown=MAX_DREAMS_SHOWN,
            drafts=[],
            pending=[],
            private=False,
        )
        return heading, block(text, "message columns"), heading, None
    heading = label("scene.waiting")
    body = f'<p class="waiting">{escape(label("text.waiting"))}</p>'
    return heading, body, heading, None


@dataclass(frozen=True)
class _TextsOnly:
    """What the chat's helpers read of a handler's context (only its texts)."""

    texts: Texts


# --- Telegram HTML to page HTML ----------------------------------------------------------------------

# Telegram's tags and what the page uses for them; anything else is dropped, its text kept.
_TAGS = {
    "b": "strong",
    "strong": "strong",
    "i": "em",
    "em": "em",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "span",
    "span": "span",
    "a": "span",  # mentions and links: nothing to press on a wall
}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        mapped = _TAGS.get(tag)
        if mapped is not None:
            self.open.append(mapped)
            self.out.append(f"<{mapped}>")

    def handle_endtag(self, tag: str) -> None:
        mapped = _TAGS.get(tag)
        if mapped is not None and mapped in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == mapped:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def page_html(telegram_html: str) -> str:
    """A message in Telegram's HTML as page HTML: the same words and emphasis, newlines kept
    (the page shows them with ``white-space: pre-line``), no links, no other markup."""
    converter = _Converter()
    converter.feed(telegram_html)
    return Markup(converter.result())


def _plain(html: str) -> str:
    """The text of page HTML, for the screen reader's live line."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
