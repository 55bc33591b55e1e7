"""Processing dream images by button (/verwerk): the same steps as the typed ones, without syntax."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import DreamImage
from tests.conversations.dream_helpers import Clock, dream_group, install_clock, latest_with_prefix, write
from tests.harness import Harness


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return install_clock(monkeypatch)


def button(message: dict, label_start: str) -> str:
    """The callback data of the button whose label starts with ``label_start``."""
    for row in message["reply_markup"]["inline_keyboard"]:
        for b in row:
            if b["text"].startswith(label_start):
                return b["callback_data"]
    raise AssertionError(f"no button {label_start!r} in {[b['text'] for r in message['reply_markup']['inline_keyboard'] for b in r]}")


def current(harness: Harness, chat_id: int, message: dict) -> dict:
    """The message as it stands now (it may have been edited in place)."""
    return next(m for m in harness.core.sent_messages(chat_id) if m["message_id"] == message["message_id"])


async def test_merge_place_under_rephrase_remove_and_restore_by_button(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=3)
    anne, bart, chris = people
    t1, t2, _ = themes
    await harness.say(anne, group, "/droombeelden")
    await write(harness, bart, trajectory_id, t1, "Kraantjeswater in plaats van flessen", "Het personeel geeft het voorbeeld")
    await write(harness, chris, trajectory_id, t1, "Water van de kraan op elke vergadering", "Materialen hergebruiken")
    await write(harness, chris, trajectory_id, t2, "Geen ambtenarentaal meer")
    numbers = {i.text: i.number for i in await harness.db.run(lambda s: list(s.scalars(select(DreamImage))))}
    water, tap = numbers["Kraantjeswater in plaats van flessen"], numbers["Water van de kraan op elke vergadering"]
    example, reuse = numbers["Het personeel geeft het voorbeeld"], numbers["Materialen hergebruiken"]
    jargon = numbers["Geen ambtenarentaal meer"]
    await harness.say(anne, group, "/verwerk")
    overview = latest_with_prefix(core, anne["id"], "dpv:")

    async def open_image(number: int) -> dict:
        await harness.press(anne, overview, button(overview, "🛠"))
        pick = latest_with_prefix(core, anne["id"], "dpi:")
        await harness.press(anne, pick, f"dpi:{trajectory_id}:{number}")
        card = current(harness, anne["id"], pick)
        assert f"Droombeeld {number}" in card["text"]
        return card

    # Merge: tap goes into water.
    card = await open_image(tap)
    await harness.press(anne, card, button(card, "🔗"))
    targets = current(harness, anne["id"], card)
    assert f"Met welk droombeeld voeg je {tap} samen?" in targets["text"]
    await harness.press(anne, targets, f"dpt:{trajectory_id}:{tap}:merge:{water}")
    assert f"✅ {tap} gaat op in {water}." in harness.bot_texts(anne["id"])
    assert f"Opgegaan in {water}." in current(harness, anne["id"], card)["text"]

    # Place under: only dream images of the same theme are offered.
    card = await open_image(reuse)
    await harness.press(anne, card, button(card, "↳"))
    targets = current(harness, anne["id"], card)
    offered = {b["text"] for row in targets["reply_markup"]["inline_keyboard"] for b in row}
    assert str(example) in offered and str(jargon) not in offered and str(tap) not in offered
    await harness.press(anne, targets, f"dpt:{trajectory_id}:{reuse}:group:{example}")
    assert f"✅ {reuse} staat nu onder {example}." in harness.bot_texts(anne["id"])

    # Rephrase: the next private message is the new wording; "-" gives the member's words back.
    card = await open_image(example)
    await harness.press(anne, card, button(card, "✏️"))
    assert f"Stuur de nieuwe tekst voor droombeeld {example}" in harness.last_text(anne["id"])
    await harness.say(anne, anne["id"], "Het gemeentepersoneel geeft het goede voorbeeld")
    assert f"✅ {example} herschreven." in harness.bot_texts(anne["id"])
    assert "Het gemeentepersoneel geeft het goede voorbeeld" in latest_with_prefix(core, anne["id"], "dpv:")["text"]

    # Remove, then restore.
    card = await open_image(jargon)
    await harness.press(anne, card, button(card, "🗑"))
    assert f"{jargon}. Geen ambtenarentaal meer (weggelaten)" in latest_with_prefix(core, anne["id"], "dpv:")["text"]
    card = current(harness, anne["id"], card)
    assert "Weggelaten." in card["text"]
    await harness.press(anne, card, button(card, "↩️"))
    assert f"✅ {jargon} staat weer op zichzelf." in harness.bot_texts(anne["id"])

    rows = {i.number: i for i in await harness.db.run(lambda s: list(s.scalars(select(DreamImage))))}
    assert rows[tap].merged_into_id == rows[water].id
    assert rows[reuse].parent_id == rows[example].id
    assert rows[example].processed_text == "Het gemeentepersoneel geeft het goede voorbeeld"
    assert not rows[jargon].removed


async def test_only_the_moderator_processes_by_button(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, themes, trajectory_id = await dream_group(harness, members=2)
    anne, bart = people
    await harness.say(anne, group, "/droombeelden")
    await write(harness, bart, trajectory_id, themes[0], "Kraantjeswater")
    number = (await harness.db.run(lambda s: list(s.scalars(select(DreamImage)))))[0].number
    for data in (f"dpa:{trajectory_id}:{number}:remove", f"dpk:{trajectory_id}:new", f"dpt:{trajectory_id}:{number}:merge:{number}"):
        query = await harness.forge_press(bart, core.sent_messages(bart["id"])[-1], data)
        assert "Dat kan alleen de moderator" in core.callback_queries[query]["answer"]["text"]
    row = (await harness.db.run(lambda s: list(s.scalars(select(DreamImage)))))[0]
    assert not row.removed
