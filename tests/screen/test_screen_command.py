"""/scherm and /scherm stop: the link goes to the moderator alone, works one session, stops on request."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from method.screen_link import read_token
from storage import screen, trajectories
from storage.models import Trajectory, utcnow
from tests.conversations.voting_helpers import voting_group
from tests.harness import Harness
from tests.screen.screen_helpers import ask_link, hub_of, look


async def test_the_moderator_gets_a_working_link_privately_and_the_group_never_sees_it(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    url, token = await ask_link(harness, group, anne)
    assert url.startswith("http://127.0.0.1:8080/scherm/")  # polling mode: the bot's own address
    private = harness.last_text(anne["id"])
    assert private.startswith("📺 Het scherm van Gemeente Zottegem")
    assert "De link werkt op de computer waarop de bot draait" in private
    assert "of tot je in de groep /scherm stop typt" in private
    assert harness.last_text(group) == "Anne, ik stuurde je privé de link naar het scherm. Open hem op de computer aan de beamer."
    assert not any("/scherm/" in text for text in harness.bot_texts(group))
    for person in people[1:]:
        assert not any("/scherm/" in text for text in harness.bot_texts(person["id"]))
    state = await look(harness, token)
    assert (state.status, state.shown, state.lang) == ("ok", "waiting", "nl")
    assert not harness.errors


async def test_each_link_is_new_and_stop_ends_them_all(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    _, first = await ask_link(harness, group, anne)
    _, second = await ask_link(harness, group, anne)
    assert first != second
    assert (await look(harness, first)).status == (await look(harness, second)).status == "ok"
    await harness.say(anne, group, "/scherm stop")
    assert harness.last_text(group) == "Het scherm is gestopt: de 2 links werken niet meer. Een nieuwe link vraag je met /scherm."
    assert (await look(harness, first)).status == (await look(harness, second)).status == "stopped"
    await harness.say(anne, group, "/scherm stop")
    assert "Er was geen link naar het scherm die nog werkte" in harness.last_text(group)
    _, third = await ask_link(harness, group, anne)
    assert (await look(harness, third)).status == "ok" and (await look(harness, first)).status == "stopped"
    await harness.say(anne, group, "/scherm iets")
    assert harness.last_text(group).startswith("/scherm stuurt je privé een link")
    assert not harness.errors


async def test_a_link_lasts_one_session_and_ends_with_the_trajectory(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4)
    _, token = await ask_link(harness, group, people[0])
    parts = read_token(hub_of(harness).key, token)
    assert parts is not None
    now = utcnow()
    assert (await harness.db.run(screen.check_link, parts, now + timedelta(hours=11, minutes=59))).status == "ok"
    assert (await harness.db.run(screen.check_link, parts, now + timedelta(hours=12, minutes=1))).status == "expired"
    # Another group's moderator's link opens only that group (and this one's, only this one).
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert (await look(harness, token)).heading == "Even geduld"
    assert (await harness.db.run(screen.check_link, parts, now)).trajectory.id == trajectory.id

    def close(session) -> None:  # type: ignore[no-untyped-def]
        session.get(Trajectory, trajectory.id).closed_at = utcnow()

    await harness.db.run(close)
    state = await look(harness, token)
    assert state.status == "closed" and "afgesloten" in state.html and "Thema" not in state.html


async def test_a_moderator_whose_private_chat_is_closed_gets_the_join_button_and_no_live_link(harness: Harness) -> None:
    core = harness.core
    chat = core.add_group("Kopgroep")
    anne = core.add_user("Anne")
    core.add_member(chat, anne, "creator")
    await harness.add_bot(chat, anne)  # Anne moderates, but never opened the private chat
    await harness.say(anne, chat, "/scherm")
    message = harness.last_from_bot(chat)
    assert message["text"].startswith("Anne, de link naar het scherm stuur ik alleen privé")
    assert [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row] == ["Doe mee"]
    trajectory = await harness.db.run(trajectories.by_chat, chat["id"])
    assert await harness.db.run(screen.stop_links, trajectory.id, utcnow()) == 0  # nothing left that works
    assert not harness.errors


async def test_in_english_and_when_the_screen_is_switched_off(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=3, themes=4, language="en")
    anne = people[0]
    url, token = await ask_link(harness, group, anne)
    assert harness.last_text(anne["id"]).startswith("📺 The screen of Gemeente Zottegem")
    assert harness.last_text(group).startswith("Anne, I sent you the link to the screen privately.")
    state = await look(harness, token)
    assert state.lang == "en" and state.heading == "Please wait"
    services = harness.app.bot_data["services"]
    harness.app.bot_data["services"] = replace(services, settings=replace(services.settings, screen_host=None))
    await harness.say(anne, group, "/scherm")
    assert "The screen is switched off for this bot" in harness.last_text(group)
    harness.app.bot_data["services"] = services
    assert not harness.errors


async def test_in_private_it_says_it_works_in_the_group(harness: Harness) -> None:
    group, people, _ = await voting_group(harness, members=2, themes=4)
    await harness.say(people[0], people[0]["id"], "/scherm")
    assert harness.last_text(people[0]["id"]) == "Dat commando werkt in de groep van de kopgroep, niet hier."


async def test_the_glance_moves_with_each_anonymous_answer(harness: Harness) -> None:
    """Anonymous answers wait sealed until /volgende, outside the contributions: the glance the
    open page makes every second must still change with each one, or the screen's "N members
    answered" would lag until the next full look."""
    group, people, _ = await voting_group(harness, members=4, themes=4)
    anne, bart, chris, _ = people
    _, token = await ask_link(harness, group, anne)
    parts = read_token(hub_of(harness).key, token)
    assert parts is not None
    await harness.say(anne, group, "/dialoog anoniem")
    marks = [await harness.db.run(lambda s: screen.glance(s, parts, utcnow())[1])]
    for person, text in ((bart, "Minder papier op het gemeentehuis"), (chris, "Toegankelijk voor iedereen")):
        await harness.say(person, person["id"], text)
        marks.append(await harness.db.run(lambda s: screen.glance(s, parts, utcnow())[1]))
    assert len(set(marks)) == 3
