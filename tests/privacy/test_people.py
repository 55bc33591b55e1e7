"""The threat model's rows about people (docs/privacy.md): what a member, another member, the
group, the moderator, a database administrator with the ballot secret and a log reader can learn.
Each test tries to learn more than the row allows."""

from __future__ import annotations

import logging

from sqlalchemy import select, text

from method.anonymity import pseudonym
from storage import trajectories
from storage.models import Ballot, Person
from tests.conversations.voting_helpers import ballot_message, cast, round_id_of, voting_group
from tests.harness import Harness

PATTERNS = ([3, 2, 1, 3], [1, 3, 2, 2], [2, 2, 3, 1], [3, 1, 1, 2])


async def _voted(harness: Harness, voters: int = 4) -> tuple[dict, list[dict], list[int], int]:
    group, people, themes = await voting_group(harness, members=voters, themes=4)
    await harness.say(people[0], group, "/stemronde")
    round_id = round_id_of(ballot_message(harness.core, people[0]))
    for person, pattern in zip(people, PATTERNS, strict=False):
        await cast(harness, person, dict(zip(themes, pattern, strict=True)))
    return group, people, themes, round_id


async def test_a_member_gets_back_their_own_scores_only(harness: Harness) -> None:
    group, people, themes, _ = await _voted(harness)
    await harness.say(people[0], group, "/sluitronde")
    for person, pattern in zip(people, PATTERNS, strict=True):
        feedback = next(t for t in reversed(harness.bot_texts(person["id"])) if "jouw stem naast die van de groep" in t)
        for number, score in enumerate(pattern, start=1):
            assert f"#{number} Thema {number}: jij {score} ·" in feedback
        others = [p for p in people if p is not person]
        assert not any(other["first_name"] in feedback for other in others)


async def test_another_member_cannot_press_or_read_someone_elses_ballot(harness: Harness) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/stemronde")
    await cast(harness, anne, dict(zip(themes, (3, 3, 3, 3), strict=True)), submit=False)
    round_id = round_id_of(ballot_message(harness.core, anne))
    # Bart replays Anne's buttons (a modified client): refused, Anne's ballot stays as it was.
    await harness.forge_press(bart, ballot_message(harness.core, anne), f"vote:{round_id}:{themes[0]}:1")
    key = harness.app.bot_data["services"].ballot_key
    from storage import ballots

    anne_view = await harness.db.run_short(ballots.ballot_view, round_id, anne["id"], key)
    bart_view = await harness.db.run_short(ballots.ballot_view, round_id, bart["id"], key)
    assert anne_view is not None and anne_view.scores == dict.fromkeys(themes, 3)
    assert bart_view is not None and bart_view.scores == {}  # refused: not his own chat
    # Nothing Bart was sent names Anne's scores.
    assert not any("jij 3" in t for t in harness.bot_texts(bart["id"]))


async def test_the_group_sees_figures_per_theme_from_three_voters_and_never_a_name_by_a_score(harness: Harness) -> None:
    group, people, _, _ = await _voted(harness, voters=2)
    await harness.say(people[0], group, "/sluitronde forceer")
    results = next(t for t in reversed(harness.bot_texts(group)) if "Uitslag stemronde 1" in t)
    assert "2 van de 2 leden stemden" in results
    for pattern in PATTERNS[:2]:  # no total that gives two ballots away: the figures are not shown
        assert f"totaal {sum(pattern)}" not in results
    assert not any(
        c.method == "sendPhoto" and str(c.params.get("chat_id")) == str(group["id"]) for c in harness.core.calls
    )
    for text_ in harness.bot_texts(group):
        assert not any(p["first_name"] in text_ and ("jij" in text_ or "score" in text_.lower()) for p in people)


async def test_the_moderator_learns_who_voted_not_what(harness: Harness) -> None:
    group, people, _, round_id = await _voted(harness)
    moderator_texts = harness.bot_texts(people[0]["id"]) + harness.bot_texts(group)
    for person, pattern in zip(people[1:], PATTERNS[1:], strict=False):
        for text_ in moderator_texts:
            if person["first_name"] in text_:
                assert "".join(map(str, pattern)) not in text_ and "jij" not in text_
    # /mijngegevens of the moderator holds the moderator's own ballot only.
    await harness.say(people[0], people[0]["id"], "/mijngegevens")
    documents = [c for c in harness.core.calls_of("sendDocument") if c.ok and c.result["chat"]["id"] == people[0]["id"]]
    content = harness.core.files[documents[-1].result["document"]["file_id"]]["content"].decode()
    for person in people[1:]:
        assert person["first_name"] not in content


async def test_with_the_secret_a_ballot_is_found_and_without_it_not(harness: Harness) -> None:
    """The administrator who also has the ballot secret can tie a closed round's ballot to a
    person (the bot needs that to show a member their own ballot): the secret is what stands
    between the database and the link, so it is kept outside the database."""
    group, people, _, round_id = await _voted(harness)
    await harness.say(people[0], group, "/sluitronde")
    key = harness.app.bot_data["services"].ballot_key
    person_ids = await harness.db.run(lambda s: list(s.scalars(select(Person.id).order_by(Person.id))))
    names = set(await harness.db.run(lambda s: list(s.scalars(select(Ballot.pseudonym)))))
    assert {pseudonym(key, round_id, pid) for pid in person_ids} & names  # with the secret: found
    assert not {pseudonym(b"another secret", round_id, pid) for pid in person_ids} & names  # without: nothing
    stored = await harness.db.run(
        lambda s: [tuple(r) for r in s.execute(text("SELECT name, value FROM instance_setting"))]
    )
    assert all(key.decode() not in value for _, value in stored)  # only its fingerprint is in the database
    assert await harness.db.run(trajectories.by_chat, group["id"]) is not None


async def test_the_log_holds_no_score_no_button_and_no_answer(harness: Harness, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    group, people, themes, round_id = await _voted(harness)
    await harness.say(people[0], group, "/sluitronde")
    await harness.say(people[0], group, "/dialoog anoniem")
    await harness.say(people[1], people[1]["id"], "Mijn geheime mening")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"vote:{round_id}" not in logged and "Mijn geheime mening" not in logged
    for pattern in PATTERNS:
        assert str(pattern) not in logged
