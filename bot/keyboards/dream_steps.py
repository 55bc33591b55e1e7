"""Keyboards for processing one dream image by button (/verwerk): pick it, then merge, place under,
remove, restore or rephrase it. The typed steps (``3+7``, ``7 onder 3`` ...) do the same.

Callback data: ``dpk:<group>:<page|new>`` pick a dream image, ``dpi:<group>:<n>`` one dream image,
``dpa:<group>:<n>:<action>`` an action on it, ``dpt:<group>:<n>:<action>:<target>`` merge into or
place under ``target``, ``dpq:<group>:<n>:<action>:<page>`` more targets. Numbers are the dream
images' numbers in the overview. Never trusted: the handler checks the presser moderates the group.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import Texts
from storage.records import DreamImageRecord

_ID = r"([0-9]{1,10})"
_N = r"([0-9]{1,6})"
PICK_PATTERN = rf"^dpk:{_ID}:([0-9]{{1,3}}|new)$"
IMAGE_PATTERN = rf"^dpi:{_ID}:{_N}$"
ACTION_PATTERN = rf"^dpa:{_ID}:{_N}:(merge|group|remove|restore|rephrase)$"
TARGET_PATTERN = rf"^dpt:{_ID}:{_N}:(merge|group):{_N}$"
TARGETS_PATTERN = rf"^dpq:{_ID}:{_N}:(merge|group):([0-9]{{1,3}})$"

PER_PAGE = 30  # numbers per page, six to a row
PER_ROW = 6


def _button(texts: Texts, lang: str, key: str, data: str, **values: object) -> InlineKeyboardButton:
    assert len(data.encode()) <= 64, data
    return InlineKeyboardButton(texts.label(lang, key, **values), callback_data=data)


def _numbers(
    texts: Texts, lang: str, numbers: list[int], page: int, data: str, more: str
) -> list[list[InlineKeyboardButton]]:
    """A page of number buttons (``data`` and ``more`` take ``{n}`` and ``{page}``)."""
    pages = max(1, -(-len(numbers) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = numbers[page * PER_PAGE : (page + 1) * PER_PAGE]
    rows = [
        [InlineKeyboardButton(str(n), callback_data=data.format(n=n)) for n in shown[i : i + PER_ROW]]
        for i in range(0, len(shown), PER_ROW)
    ]
    paging = []
    if page > 0:
        paging.append(_button(texts, lang, "dreams.button.earlier", more.format(page=page - 1)))
    if page < pages - 1:
        paging.append(_button(texts, lang, "dreams.button.later", more.format(page=page + 1)))
    return rows + ([paging] if paging else [])


def pick_keyboard(texts: Texts, lang: str, trajectory_id: int, images: tuple[DreamImageRecord, ...], page: int) -> InlineKeyboardMarkup:
    """Every dream image by its number, a page at a time."""
    numbers = sorted(image.number for image in images)
    rows = _numbers(texts, lang, numbers, page, f"dpi:{trajectory_id}:{{n}}", f"dpk:{trajectory_id}:{{page}}")
    rows.append([_button(texts, lang, "dreams.button.back", f"dpv:{trajectory_id}:0")])
    return InlineKeyboardMarkup(rows)


def image_keyboard(texts: Texts, lang: str, trajectory_id: int, image: DreamImageRecord) -> InlineKeyboardMarkup:
    """What can be done with one dream image, as it stands now."""
    n = image.number
    rows = []
    if image.active:
        rows.append(
            [
                _button(texts, lang, "dreams.button.merge_into", f"dpa:{trajectory_id}:{n}:merge"),
                _button(texts, lang, "dreams.button.place_under", f"dpa:{trajectory_id}:{n}:group"),
            ]
        )
        rows.append(
            [
                _button(texts, lang, "dreams.button.rephrase", f"dpa:{trajectory_id}:{n}:rephrase"),
                _button(texts, lang, "dreams.button.remove", f"dpa:{trajectory_id}:{n}:remove"),
            ]
        )
    if not image.active or image.parent_id is not None or image.processed_text:
        rows.append([_button(texts, lang, "dreams.button.restore", f"dpa:{trajectory_id}:{n}:restore")])
    rows.append([_button(texts, lang, "dreams.button.other_image", f"dpk:{trajectory_id}:0")])
    return InlineKeyboardMarkup(rows)


def target_keyboard(
    texts: Texts, lang: str, trajectory_id: int, image: DreamImageRecord, action: str, targets: list[int], page: int
) -> InlineKeyboardMarkup:
    """The dream images ``image`` can go into (merge) or under (group)."""
    rows = _numbers(
        texts,
        lang,
        targets,
        page,
        f"dpt:{trajectory_id}:{image.number}:{action}:{{n}}",
        f"dpq:{trajectory_id}:{image.number}:{action}:{{page}}",
    )
    rows.append([_button(texts, lang, "dreams.button.back", f"dpi:{trajectory_id}:{image.number}")])
    return InlineKeyboardMarkup(rows)
