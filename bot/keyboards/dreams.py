"""Keyboards of the dream images (step 5): the member's template, one theme, the moderator's processing.

Callback data (at most 40 bytes, ids of at most 12 digits) is never trusted: handlers check again
that the presser is a joined member of that group and the theme is chosen there, that a dream
image is the presser's own, or that the presser moderates the group.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts
from method.dreams.commands import PRESETS
from storage.records import DreamProposalRecord, DreamTheme, MemberDreams

_ID = r"([0-9]{1,10})"
THEME_PATTERN = rf"^dth:{_ID}:{_ID}$"  # write for this theme (and see own dream images)
ALL_PATTERN = rf"^dall:{_ID}$"  # the template: all themes
DONE_PATTERN = rf"^ddone:{_ID}:{_ID}:([01])$"  # theme done / not done
EDIT_PATTERN = rf"^ded:{_ID}$"  # edit one's own dream image
DELETE_PATTERN = rf"^ddel:{_ID}$"  # delete one's own dream image
CANCEL_PATTERN = rf"^dcan:{_ID}$"  # stop editing
DOCUMENT_PATTERN = rf"^ddoc:{_ID}$"  # the template as a Word document
PROPOSAL_PATTERN = rf"^dpp:{_ID}:{_ID}:([yn])$"  # moderator: merge a proposed duplicate, or not
VIEW_PATTERN = rf"^dpv:{_ID}:([01])$"  # moderator: the overview with or without names
PUBLISH_PATTERN = rf"^dpub:{_ID}(?::(ok))?$"  # moderator: publish (ask, then confirmed)
HOURS_PATTERN = r"^drh:([0-9]{1,10}):(standaard|week|twee|dag|geen)$"  # moderator: reminder moments, a preset

BUTTONS_PER_THEME = 20  # edit and delete buttons for the latest dream images of a theme


def _data(*parts: object) -> str:
    data = ":".join(str(part) for part in parts)
    assert len(data.encode()) <= 64, data
    return data


def _label(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def template_keyboard(
    texts: Texts, lang: str, view: MemberDreams, themes: tuple[DreamTheme, ...] | None = None
) -> InlineKeyboardMarkup:
    """One button per theme (with the member's count and a tick when done), then list and document."""
    trajectory_id = view.trajectory.id
    rows = []
    for theme in themes if themes is not None else view.themes:
        count = len(view.images.get(theme.id, ()))
        label = texts.label(
            lang,
            "dreams.button.theme_done" if theme.id in view.done else "dreams.button.theme",
            name=theme.name,
            count=count,
        )
        rows.append([InlineKeyboardButton(_label(label), callback_data=_data("dth", trajectory_id, theme.id))])
    rows.append(
        [InlineKeyboardButton(texts.label(lang, "dreams.button.document"), callback_data=_data("ddoc", trajectory_id))]
    )
    return InlineKeyboardMarkup(rows)


def theme_keyboard(texts: Texts, lang: str, view: MemberDreams, theme_id: int) -> InlineKeyboardMarkup:
    """Edit and delete per own dream image (numbered as in the message), done, back to all themes."""
    trajectory_id = view.trajectory.id
    images = view.images.get(theme_id, ())
    rows: list[list[InlineKeyboardButton]] = []
    first = max(0, len(images) - BUTTONS_PER_THEME)
    pair: list[InlineKeyboardButton] = []
    for number, image in enumerate(images[first:], start=first + 1):
        pair += [
            InlineKeyboardButton(
                texts.label(lang, "dreams.button.edit", n=number), callback_data=_data("ded", image.id)
            ),
            InlineKeyboardButton(
                texts.label(lang, "dreams.button.delete", n=number), callback_data=_data("ddel", image.id)
            ),
        ]
        if len(pair) == 4:
            rows.append(pair)
            pair = []
    if pair:
        rows.append(pair)
    done = theme_id in view.done
    rows.append(
        [
            InlineKeyboardButton(
                texts.label(lang, "dreams.button.undone" if done else "dreams.button.done"),
                callback_data=_data("ddone", trajectory_id, theme_id, 0 if done else 1),
            ),
            InlineKeyboardButton(texts.label(lang, "dreams.button.all"), callback_data=_data("dall", trajectory_id)),
        ]
    )
    return InlineKeyboardMarkup(rows)


def saved_keyboard(texts: Texts, lang: str, view: MemberDreams, theme_id: int) -> InlineKeyboardMarkup:
    """Under "noted": this theme done, see or change this theme's dream images, another theme."""
    trajectory_id = view.trajectory.id
    rows = [
        [
            InlineKeyboardButton(
                texts.label(lang, "dreams.button.mine"), callback_data=_data("dth", trajectory_id, theme_id)
            ),
            InlineKeyboardButton(texts.label(lang, "dreams.button.all"), callback_data=_data("dall", trajectory_id)),
        ]
    ]
    if theme_id not in view.done:
        rows.insert(
            0,
            [
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.done"), callback_data=_data("ddone", trajectory_id, theme_id, 1)
                )
            ],
        )
    return InlineKeyboardMarkup(rows)


def choose_keyboard(texts: Texts, lang: str, views: list[MemberDreams]) -> InlineKeyboardMarkup:
    """For a message that came without a theme: every open theme, with its group when there are several."""
    rows = []
    for view in views:
        for theme in view.themes:
            name = (
                f"{view.trajectory.organisation or view.trajectory.title}: {theme.name}"
                if len(views) > 1
                else theme.name
            )
            rows.append([InlineKeyboardButton(_label(name), callback_data=_data("dth", view.trajectory.id, theme.id))])
    return InlineKeyboardMarkup(rows)


def cancel_keyboard(texts: Texts, lang: str, trajectory_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.label(lang, "dreams.button.cancel"), callback_data=_data("dcan", trajectory_id))]]
    )


def processing_keyboard(texts: Texts, lang: str, trajectory_id: int, names: bool) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.names_hide" if names else "dreams.button.names_show"),
                    callback_data=_data("dpv", trajectory_id, 0 if names else 1),
                ),
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.refresh"),
                    callback_data=_data("dpv", trajectory_id, 1 if names else 0),
                ),
            ],
            [InlineKeyboardButton(texts.label(lang, "dreams.button.steps"), callback_data=_data("dpk", trajectory_id, "new"))],
            [
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.publish"), callback_data=_data("dpub", trajectory_id)
                )
            ],
        ]
    )


def proposal_keyboard(
    texts: Texts, lang: str, trajectory_id: int, proposal: DreamProposalRecord
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.merge"),
                    callback_data=_data("dpp", trajectory_id, proposal.id, "y"),
                ),
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.keep"), callback_data=_data("dpp", trajectory_id, proposal.id, "n")
                ),
            ]
        ]
    )


def publish_keyboard(texts: Texts, lang: str, trajectory_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.publish_confirm"), callback_data=_data("dpub", trajectory_id, "ok")
                ),
                InlineKeyboardButton(
                    texts.label(lang, "dreams.button.back"), callback_data=_data("dpv", trajectory_id, 0)
                ),
            ]
        ]
    )


def reminder_keyboard(
    texts: Texts, lang: str, trajectory_id: int, missing: tuple[tuple[DreamTheme, int], ...]
) -> InlineKeyboardMarkup:
    """Under a reminder: the themes still open, to write for them straight away."""
    rows = [
        [
            InlineKeyboardButton(
                _label(texts.label(lang, "dreams.button.theme", name=theme.name, count=count)),
                callback_data=_data("dth", trajectory_id, theme.id),
            )
        ]
        for theme, count in missing
    ]
    rows.append(
        [InlineKeyboardButton(texts.label(lang, "dreams.button.all"), callback_data=_data("dall", trajectory_id))]
    )
    return InlineKeyboardMarkup(rows)


def hours_keyboard(texts: Texts, lang: str, trajectory_id: int, current: tuple[int, ...]) -> InlineKeyboardMarkup:
    """The reminder presets (method/dreams/commands.PRESETS); the current one is marked."""

    def preset(key: str) -> InlineKeyboardButton:
        mark = "✅ " if PRESETS[key] == tuple(current) else ""
        return InlineKeyboardButton(mark + texts.label(lang, f"dreams.button.hours_{key}"), callback_data=_data("drh", trajectory_id, key))

    return InlineKeyboardMarkup([[preset("standaard"), preset("week")], [preset("twee"), preset("dag")], [preset("geen")]])
