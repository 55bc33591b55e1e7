"""/export and /herstel through the real application: the archive goes privately to the moderator,
comes back in a new group, and a broken file or a used group changes nothing."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from conversations.onboarding import ORGANISATION_PROMPT
from storage import prompts, trajectories
from storage.archive import export_trajectory
from storage.models import Person, Theme
from tests.conversations.voting_helpers import cast, voting_group
from tests.harness import Harness
from tests.storage.archive_helpers import normalised


def _sent_zip(harness: Harness, user: dict) -> bytes:
    (sent,) = [c for c in harness.core.calls_of("sendDocument") if c.ok and c.result["chat"]["id"] == user["id"]]
    return harness.core.files[sent.result["document"]["file_id"]]["content"]


async def _fresh_group(harness: Harness, moderator: dict, title: str = "Nieuwe kopgroep") -> dict:
    chat = harness.core.add_group(title)
    harness.core.add_member(chat, moderator, "creator")
    await harness.add_bot(chat, moderator)
    return chat


async def test_export_then_restore_in_a_new_group(harness: Harness) -> None:
    core = harness.core
    group, people, theme_ids = await voting_group(harness, members=4, themes=4)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/stemronde")
    for person, scores in zip(people, ([3, 2, 1, 3], [3, 3, 1, 2], [2, 3, 1, 3], [3, 2, 2, 3]), strict=True):
        await cast(harness, person, dict(zip(theme_ids, scores, strict=True)))
    await harness.say(anne, group, "/sluitronde")
    await harness.say(bart, group, "/export")
    assert "moderator" in harness.last_text(group)
    await harness.say(anne, group, "/export")
    assert harness.last_text(group) == "Ik heb het archief van de kopgroep privé naar Anne gestuurd."
    data = _sent_zip(harness, anne)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "manifest.json" in names and "theme.csv" in names and "score.json" in names

    source = await harness.db.run(trajectories.by_chat, group["id"])
    new = await _fresh_group(harness, anne)
    assert await harness.db.run(prompts.find, new["id"], ORGANISATION_PROMPT) is not None
    await harness.say(anne, new, "/herstel")
    question = harness.last_from_bot(new)
    assert "ZIP" in question["text"]
    core.send_document(anne, new, "archief.zip", data, "application/zip", reply_to_message_id=question["message_id"])
    await harness.run()
    assert harness.last_text(new).startswith("Het archief is teruggezet.")
    assert "4 thema's, 1 stemronde, 0 dialoogbijdragen" in harness.last_text(new)
    target = await harness.db.run(trajectories.by_chat, new["id"])
    before = await harness.db.run(export_trajectory, source.id)
    after = await harness.db.run(export_trajectory, target.id)
    assert normalised(after) == normalised(before)
    # /uitslag in the new group shows the same figures.
    await harness.say(bart, group, "/uitslag 1")
    old_result = harness.last_text(group)
    core.add_member(new, bart)
    await harness.say(bart, new, "/uitslag 1")
    assert harness.last_text(new) == old_result
    # The organisation's name came with the archive: the question asked when the bot joined is closed.
    assert await harness.db.run(prompts.find, new["id"], ORGANISATION_PROMPT) is None
    assert target.organisation == "Gemeente Zottegem"
    # A second /herstel is refused: the group has data now.
    await harness.say(anne, new, "/herstel")
    assert "al gewerkt" in harness.last_text(new)


async def test_restore_with_caption_and_refusals_change_nothing(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=2)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/export")
    data = _sent_zip(harness, anne)
    new = await _fresh_group(harness, anne)
    core.add_member(new, bart)

    async def send(user: dict, content: bytes, caption: str = "/herstel") -> str:
        core.send_document(user, new, "archief.zip", content, "application/zip", caption=caption)
        await harness.run()
        return harness.last_text(new)

    def themes_in_new() -> int:
        return harness.db.run_sync(
            lambda s: s.scalar(
                select(func.count())
                .select_from(Theme)
                .join(trajectories.Trajectory)
                .where(trajectories.Trajectory.chat_id == new["id"])
            )
        )

    persons = harness.db.run_sync(lambda s: s.scalar(select(func.count()).select_from(Person)))
    assert await send(bart, data) == "Dat kan alleen de moderator van de kopgroep."
    assert (await send(anne, b"not a zip")).startswith("Ik heb niets teruggezet: dit is geen (leesbaar) ZIP-bestand.")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as out:
        for name in source.namelist():
            content = source.read(name)
            if name == "theme_sdg.json":
                rows = json.loads(content)
                rows[0]["theme_id"] = 987654
                content = json.dumps(rows).encode()
            out.writestr(name, content)
    reply = await send(anne, broken.getvalue())
    assert "verwijzing" in reply and "theme_sdg" in reply and "Er is niets veranderd" in reply
    # A well-formed archive, changed after /export (a stranger added as member): refused.
    edited = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(edited, "w") as out:
        for name in source.namelist():
            content = source.read(name)
            if name == "person.json":
                rows = json.loads(content)
                rows[-1]["telegram_id"] = 424242
                content = json.dumps(rows).encode()
            out.writestr(name, content)
    reply = await send(anne, edited.getvalue())
    assert "na /export gewijzigd" in reply and "Er is niets veranderd" in reply
    assert themes_in_new() == 0
    assert harness.db.run_sync(lambda s: s.scalar(select(func.count()).select_from(Person))) == persons
    assert (await send(anne, data)).startswith("Het archief is teruggezet.")
    assert themes_in_new() == 2
    # Into the old group (which has data) nothing goes.
    core.send_document(anne, group, "archief.zip", data, "application/zip", caption="/herstel")
    await harness.run()
    assert "al gewerkt" in harness.last_text(group)


async def test_export_to_a_moderator_without_private_chat(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=1)
    core.block_bot(people[0])
    await harness.run()
    await harness.say(people[0], group, "/export")
    assert "Ik kan je nog geen privébericht sturen" in harness.last_text(group)
