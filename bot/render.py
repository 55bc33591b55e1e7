"""All words a user sees: Jinja2 templates (HTML, autoescaped) and button labels, per language.

Templates live in ``bot/templates/<lang>/<step>/<name>.j2``; short labels (buttons, pop-ups,
command menu descriptions) in ``bot/templates/<lang>/labels.toml`` and, per step, in
``bot/templates/<lang>/<step>/labels.toml`` (keys there are prefixed with ``<step>.``). Both
languages hold the same names; ``tests/test_texts.py`` checks that.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bot.config import LANGUAGES
from method.voting.thresholds import floor_percent, floor_to

TEMPLATES = Path(__file__).with_name("templates")
LOCALES = {"nl": "nl_BE", "en": "en_GB"}


class Texts:
    """Renders message templates and looks up labels for one of the supported languages."""

    def __init__(self, default_language: str = "nl", timezone: str = "Europe/Brussels") -> None:
        self.default_language = default_language
        self.timezone = timezone
        self.env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(enabled_extensions=("j2",), default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.filters["mention"] = mention

    def lang(self, language: str | None) -> str:
        return language if language in LANGUAGES else self.default_language

    def render(self, language: str | None, name: str, /, **context: object) -> str:
        """Render ``<lang>/<name>.j2`` to Telegram HTML."""
        lang = self.lang(language)
        tz = ZoneInfo(str(context.pop("timezone", None) or self.timezone))
        template = self.env.get_template(f"{lang}/{name}.j2")
        text = template.render(**context, lang=lang, **date_formatters(lang, tz))
        return text.strip()

    def label(self, language: str | None, key: str, /, **values: object) -> str:
        """A short label (a button, a command description), plain text."""
        text = self._labels[self.lang(language)][key]
        return text.format(**values) if values else text

    @cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            root = TEMPLATES / lang
            labels[lang] = {}
            for path in sorted(root.rglob("labels.toml")):
                folder = path.parent.relative_to(root).as_posix()
                prefix = "" if folder == "." else folder.replace("/", ".") + "."
                with path.open("rb") as handle:
                    labels[lang].update(_flatten(tomllib.load(handle), prefix))
        return labels


def _flatten(tree: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def date_formatters(lang: str, tz: ZoneInfo) -> dict[str, object]:
    """``fmt_date``, ``fmt_datetime``, ``fmt_time``, ``fmt_weekday``, ``fmt_number``, ``fmt_pct`` and
    ``fmt_down`` for templates: the user's language, the group's time zone."""
    locale = LOCALES[lang]
    at = "'om'" if lang == "nl" else "'at'"

    def fmt_date(value: date | datetime) -> str:
        if not isinstance(value, datetime):  # a calendar day (e.g. the council's decision): no time zone
            return format_date(value, "long", locale=locale)
        return format_date(value.astimezone(tz), "long", locale=locale)

    def fmt_datetime(value: datetime) -> str:
        return format_datetime(value.astimezone(tz), f"d MMMM y {at} HH:mm", locale=locale)

    def fmt_number(value: float) -> str:
        return format_decimal(value, format="#,##0.##", locale=locale)

    def fmt_time(value: datetime) -> str:
        return format_datetime(value.astimezone(tz), "HH:mm", locale=locale)

    def fmt_weekday(value: date | int) -> str:
        """The weekday of a day, or of a number (0 is Monday)."""
        if isinstance(value, int):
            day: date = date(2026, 1, 5) + timedelta(days=value)  # 5 January 2026 is a Monday
        else:
            day = value.astimezone(tz) if isinstance(value, datetime) else value
        return format_date(day, "EEEE", locale=locale)

    def fmt_pct(share: object) -> str:
        """A share in whole percent, rounded down, so it never reads as a threshold it misses."""
        return f"{floor_percent(share)}%"  # type: ignore[arg-type]

    def fmt_down(value: float, decimals: int = 2) -> str:
        """A coefficient rounded down to ``decimals`` places (0,6669 -> 0,666), zeros kept."""
        return format_decimal(floor_to(value, decimals), format="#,##0." + "0" * decimals, locale=locale)

    return {
        "fmt_date": fmt_date,
        "fmt_datetime": fmt_datetime,
        "fmt_number": fmt_number,
        "fmt_time": fmt_time,
        "fmt_weekday": fmt_weekday,
        "fmt_pct": fmt_pct,
        "fmt_down": fmt_down,
    }


def mention(person: object) -> Markup:
    """A clickable name that works without a username (tg://user?id=...)."""
    name = getattr(person, "display_name", None) or str(getattr(person, "first_name", ""))
    telegram_id = int(person.telegram_id)
    return Markup('<a href="tg://user?id={}">{}</a>').format(telegram_id, name)
