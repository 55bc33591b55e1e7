"""The screen follows the group through the method and says what the chat says, never more.

Every scene's message blocks are compared with the message the group got (same words), and
every state is searched for the members' names: the screen never shows who.
"""

from __future__ import annotations

from conversations.screen_view import ScreenState
from storage import trajectories
from storage.models import DreamCollection, DreamImage, Goal, Person, Theme, utcnow
from tests.conversations.voting_helpers import NAMES, cast, voting_group
from tests.harness import Harness
from tests.screen.screen_helpers import ask_link, blocks, folded, hub_of, look, text_of

MEMBERS = 5


def chat_says(harness: Harness, group: dict, contains: str) -> str:
    """The group's latest message holding ``contains``, whitespace folded."""
    found = [text for text in harness.bot_texts(group) if contains in text]
    assert found, contains
    return folded(found[-1])


def never_who(states: list[ScreenState], names: list[str]) -> None:
    for state in states:
        seen = " ".join((state.title, state.heading, text_of(state.html), state.live))
        for name in names:
            assert name not in seen, (state.shown, name)


async def test_the_screen_follows_the_group_in_the_same_words_and_never_shows_who(harness: Harness) -> None:
    group, people, theme_ids = await voting_group(harness, members=MEMBERS, themes=5)
    anne, bart, chris, dirk, els = people
    names = NAMES[:MEMBERS]
    states: list[ScreenState] = []

    async def now(pinned: str | None = None) -> ScreenState:
        state = await look(harness, token, pinned)
        assert state.status == "ok", state
        states.append(state)
        return state

    _, token = await ask_link(harness, group, anne)
    assert (await now()).shown == "waiting"

    await harness.say(anne, group, "/sessie")
    state = await now()
    assert (state.shown, state.heading, [key for key, _ in state.scenes]) == ("synthesis", "Synthese", ["synthesis"])
    assert blocks(state.html) == [chat_says(harness, group, "Waar staan we?")]
    await harness.say(anne, group, "/notitie agenda Eerst de dialoog, dan stemmen")
    assert "Eerst de dialoog, dan stemmen" in text_of((await now()).html)  # a note shows at the next look

    # An open dialogue: how many answered, then the digest without the names the chat shows.
    await harness.say(anne, group, "/dialoog")
    question = harness.last_from_bot(group)
    state = await now()
    assert (state.shown, state.heading) == ("dialogue", "Open dialoog")
    assert "Vraag 1 van 8" in blocks(state.html)[0] and "0 leden hebben geantwoord." in text_of(state.html)
    await harness.say(bart, group, "Duurzaam aankopen, zeker!", reply_to=question["message_id"])
    await harness.say(bart, group, "En fietsen.", reply_to=question["message_id"])
    await harness.say(chris, group, "Toegankelijkheid", reply_to=question["message_id"])
    assert "2 leden hebben geantwoord." in text_of((await now()).html)
    await harness.say(anne, group, "/dialoog stop")
    assert "Bart" in chat_says(harness, group, "Verslag van de open dialoog")  # the chat names open answers
    state = await now()
    assert state.shown == "dialogue" and "De moderator heeft de dialoog afgesloten." in text_of(state.html)
    assert "Duurzaam aankopen, zeker!" in text_of(state.html) and "Bart" not in state.html

    # An anonymous dialogue: the answers appear once the moderator shares them, as in the chat.
    await harness.say(anne, group, "/dialoog anoniem")
    await harness.say(dirk, dirk["id"], "Minder papier")
    await harness.say(els, els["id"], "Meer groen <b>rond</b> het gemeentehuis")
    state = await now()
    assert "2 leden hebben geantwoord." in text_of(state.html) and "Minder papier" not in state.html
    await harness.say(anne, group, "/volgende")
    state = await now()
    question_block, shared = blocks(state.html)
    assert "Vraag 2 van 8" in question_block
    assert shared == chat_says(harness, group, "Anonieme antwoorden op vraag 1")
    assert "Meer groen <b>rond</b> het gemeentehuis" in shared  # escaped, not markup
    assert "0 leden hebben geantwoord." in text_of(state.html)
    await harness.say(anne, group, "/dialoog stop")

    # A round with two voters: the count as in the chat, then no figures and no chart.
    await harness.say(anne, group, "/stemronde")
    state = await now()
    assert (state.shown, state.heading) == ("voting", "Stemronde 1")
    assert blocks(state.html)[0] == chat_says(harness, group, "leden hebben gestemd") == "🗳 Stemronde 1: 0 van 5 leden hebben gestemd."
    await cast(harness, bart, dict(zip(theme_ids, (3, 3, 2, 1, 2), strict=True)))
    await cast(harness, chris, dict(zip(theme_ids, (3, 2, 3, 1, 2), strict=True)))
    state = await now()
    assert blocks(state.html)[0] == "🗳 Stemronde 1: 2 van 5 leden hebben gestemd."
    assert 'value="2"' in state.html and 'max="5"' in state.html
    await harness.say(anne, group, "/sluitronde forceer")
    state = await now()
    assert (state.shown, state.chart) == ("results", None)
    assert "<img" not in state.html and "minder dan 3 leden" in text_of(state.html)
    assert blocks(state.html) == [chat_says(harness, group, "Uitslag stemronde 1")]
    assert (await hub_of(harness).chart(token, 1)) == ("ok", None)

    # A round everyone votes in (on the four themes left): the results and the chart the group got.
    await harness.say(anne, group, "/stemronde")
    in_play = theme_ids[:3] + theme_ids[4:]
    for person, scores in zip(people, ((3, 3, 2, 1), (3, 2, 3, 1), (3, 3, 2, 1), (2, 3, 3, 1), (3, 3, 1, 1)), strict=True):
        await cast(harness, person, dict(zip(in_play, scores, strict=True)))
        state = await now()
        if state.shown == "voting":
            assert "van 5 leden hebben gestemd" in blocks(state.html)[0]
    await harness.say(anne, group, "/sluitronde")
    state = await now()
    assert (state.shown, state.heading, state.chart) == ("results", "Uitslag stemronde 2", 2)
    assert blocks(state.html) == [chat_says(harness, group, "Uitslag stemronde 2")]
    assert "Tegenover ronde 1" in blocks(state.html)[0]  # the change against the previous round
    assert f'src="/scherm/{token}/grafiek/2.png"' in state.html
    status, png = await hub_of(harness).chart(token, 2)
    assert status == "ok" and png is not None and png.startswith(b"\x89PNG")
    assert (await hub_of(harness).chart(token, 3)) == ("ok", None)  # no such round

    await harness.say(anne, group, "/consensus 1, 2, 3")
    state = await now()
    assert blocks(state.html)[0] == chat_says(harness, group, "Consensus!")
    assert [key for key, _ in state.scenes] == ["synthesis", "dialogue", "results"]

    # Published dream images, then goals: as /verwerk published them and /doelen shows them.
    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    await harness.db.run(publish_dreams, trajectory.id, theme_ids[0])
    state = await now()
    assert (state.shown, state.heading) == ("dreams", "Droombeelden")
    assert "Kraantjeswater op elke vergadering" in text_of(state.html)
    await harness.db.run(approve_goal, trajectory.id, theme_ids[0])
    await harness.say(bart, group, "/doelen")
    state = await now()
    assert (state.shown, state.heading) == ("goals", "SMART-doelen")
    assert blocks(state.html) == [chat_says(harness, group, "SMART-doelen")]
    assert "Fietsvergoeding voor 30% van het personeel" in blocks(state.html)[0]

    # The moderator pins a scene; one that is not there (or made up) follows the group.
    state = await now("synthesis")
    assert (state.shown, state.pinned) == ("synthesis", "synthesis")
    state = await now("voting")
    assert (state.shown, state.pinned) == ("goals", None)
    assert (await now("<script>")).shown == "goals"
    assert [key for key, _ in state.scenes] == ["synthesis", "dialogue", "results", "dreams", "goals"]

    never_who(states, names)
    assert not harness.errors


async def test_a_link_shows_its_own_group_only(harness: Harness) -> None:
    core = harness.core
    group, people, _ = await voting_group(harness, members=3, themes=4)
    other = core.add_group("Andere kopgroep")
    zoe = core.add_user("Zoë")
    core.add_member(other, zoe, "creator")
    await harness.add_bot(other, zoe)
    await harness.follow_join_button(zoe, core.sent_messages(other["id"])[0])
    trajectory = await harness.db.run(trajectories.by_chat, other["id"])
    await harness.db.run(lambda s: s.add(Theme(trajectory_id=trajectory.id, position=1, name="Geheim thema", source="manual")))
    await harness.say(zoe, other, "/sessie")
    await harness.say(people[0], group, "/sessie")
    _, token = await ask_link(harness, group, people[0])
    _, other_token = await ask_link(harness, other, zoe)
    mine, theirs = await look(harness, token), await look(harness, other_token)
    assert "Geheim thema" not in mine.html and "Geheim thema" in theirs.html
    assert "Thema 1" in mine.html and "Thema 1" not in theirs.html
    assert not harness.errors


def publish_dreams(session, trajectory_id: int, theme_id: int) -> None:  # type: ignore[no-untyped-def]
    """Dream images written by a member and published (as /verwerk's Publiceren leaves them)."""
    author = session.query(Person).filter_by(first_name="Dirk").one()
    now = utcnow()
    session.add(DreamCollection(trajectory_id=trajectory_id, started_at=now, published_at=now))
    session.add(DreamImage(
        trajectory_id=trajectory_id, theme_id=theme_id, person_id=author.id, number=1,
        text="Kraantjeswater op elke vergadering", published=True,
    ))


def approve_goal(session, trajectory_id: int, theme_id: int) -> None:  # type: ignore[no-untyped-def]
    author = session.query(Person).filter_by(first_name="Els").one()
    session.add(Goal(
        trajectory_id=trajectory_id, theme_id=theme_id, number=1, author_id=author.id, status="approved",
        specific="Fietsvergoeding voor 30% van het personeel", decided_at=utcnow(),
    ))
