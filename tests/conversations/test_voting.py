"""Voting rounds end to end in-process: private anonymous ballots, narrowing, a tie-break,
consensus, quorum, deadlines, and that no person's score ever leaves their private chat."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from conversations import voting as voting_module
from storage import ballots, trajectories, voting
from storage.models import Ballot, BallotDelivery, Theme, VotingRound, utcnow
from tests.conversations.voting_helpers import ballot_message, cast, round_id_of, voting_group
from tests.harness import Harness


async def test_three_rounds_narrowing_tiebreak_and_consensus(harness: Harness) -> None:
    core = harness.core
    group, people, themes = await voting_group(harness, members=7, themes=6)
    anne, voters, silent = people[0], people[:6], people[6]
    t1, t2, t3, t4, t5, t6 = themes

    await harness.say(anne, group, "/stemronde")
    announce = harness.bot_texts(group)[-2]
    assert "We zoeken 3 thema's" in announce and "minstens 5 van de 7 leden" in announce
    assert harness.last_text(group) == "🗳 Stemronde 1: 0 van 7 leden hebben gestemd."
    for person in people:
        assert ballot_message(core, person)  # everyone got a ballot, privately

    # Round 1: no consensus; everybody gives #6 a 1, so it drops out.
    mixed = [{t1: 3, t2: 2, t3: 3, t4: 2, t5: 2, t6: 1}, {t1: 2, t2: 3, t3: 2, t4: 3, t5: 2, t6: 1}] * 3
    # Bart first votes 3 for #6, then changes his mind: only the last score counts.
    await cast(harness, people[1], {t6: 3}, submit=False)
    for person, scores in zip(voters, mixed, strict=True):
        await cast(harness, person, scores)
    assert harness.core.sent_messages(group["id"])[-1]["text"] == "🗳 Stemronde 1: 6 van 7 leden hebben gestemd."
    await harness.say(anne, group, "/sluitronde")
    (chart,) = core.calls_of("sendPhoto")
    assert chart.ok and chart.files  # the bar chart, uploaded as a photo
    assert chart.params["caption"].startswith("📊 <b>Stemronde 1</b>: per thema hoeveel leden een 1, een 2 of een 3 gaven")
    results = next(t for t in reversed(harness.bot_texts(group)) if "Uitslag stemronde 1" in t)
    assert "Uitslag stemronde 1" in results and "6 van de 7 leden stemden" in results
    assert "Nog geen consensus" in results and "Thema 6 valt af" in results
    assert "6. Thema 6\n   niemand gaf een 3, 6 gaven een 1" in results  # Bart's changed vote: no 3 left for #6
    assert "✅ haalt de drempel: bij 6 stemmers minstens 5 keer een 3 en geen enkele 1." in results
    assert "Eensgezindheid over de scores: " in results and "Zo lees je de cijfers" in results

    # Round 2: #1 all 3s; #2, #3, #4 equal with five 3s: a tie at the cut-off.
    await harness.say(anne, group, "/stemronde")
    assert "Thema 6" not in harness.bot_texts(group)[-2]
    second = [{t1: 3, t2: 3, t3: 3, t4: 3, t5: 2} for _ in range(5)] + [{t1: 3, t2: 2, t3: 2, t4: 2, t5: 2}]
    for person, scores in zip(voters, second, strict=True):
        await cast(harness, person, scores)
    await harness.say(anne, group, "/sluitronde")
    text = next(t for t in reversed(harness.bot_texts(group)) if "Uitslag stemronde 2" in t)
    assert "Gelijkstand tussen Thema 2, Thema 3 en Thema 4 voor 2 plaatsen; Thema 1 is al zeker" in text

    # Round 3: a short tie-break on #2, #3, #4 for two places.
    await harness.say(anne, group, "/stemronde")
    assert "beslissende ronde" in harness.bot_texts(group)[-2] and "kiezen we er 2" in harness.bot_texts(group)[-2]
    third = [{t2: 3, t3: 3, t4: 2}] * 4 + [{t2: 3, t3: 2, t4: 1}] * 2
    for person, scores in zip(voters, third, strict=True):
        await cast(harness, person, scores)
    await harness.say(anne, group, "/sluitronde")
    text = next(t for t in reversed(harness.bot_texts(group)) if "Uitslag stemronde 3" in t)
    assert "Voorstel: Thema 1, Thema 2 en Thema 3. De moderator bevestigt met /consensus." in text

    await harness.say(people[2], group, "/consensus")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/consensus")
    assert harness.last_text(group).startswith("Consensus! De kopgroep kiest als prioritaire thema's:\n✅ Thema 1\n✅ Thema 2\n✅ Thema 3")
    statuses = await harness.db.run(lambda s: {name: status for name, status in s.execute(select(Theme.name, Theme.status))})
    assert statuses == {"Thema 1": "chosen", "Thema 2": "chosen", "Thema 3": "chosen", "Thema 4": "parked", "Thema 5": "parked", "Thema 6": "parked"}
    await harness.say(silent, group, "/geparkeerd")
    parked = harness.last_text(group)
    assert "#4 Thema 4 – gemiddelde 1,67, 0% gaf een 3 (ronde 3)" in parked and "#6 Thema 6" in parked

    # The silent member got each ballot and feedback but never voted: nothing of theirs counts.
    assert "jij –" in harness.last_text(silent["id"])
    # Each voter saw their own scores beside the group's, privately.
    feedback = next(t for t in reversed(harness.bot_texts(people[5]["id"])) if "Stemronde 2 – jouw stem" in t)
    assert "#1 Thema 1: jij 3 · groep: 3 ×6, 2 ×0, 1 ×0" in feedback
    assert "#2 Thema 2: jij 2 · groep: 3 ×5, 2 ×1, 1 ×0" in feedback

    # /uitslag shows a past round again.
    await harness.say(silent, group, "/uitslag 2")
    assert "Uitslag stemronde 2" in next(t for t in reversed(harness.bot_texts(group)) if "Uitslag" in t)


async def test_quorum_not_reached_then_forced(harness: Harness) -> None:
    group, people, themes = await voting_group(harness, members=7, themes=4)
    anne = people[0]
    await harness.say(anne, group, "/stemronde")
    for person in people[:3]:
        await cast(harness, person, {t: 3 if t == themes[0] else 2 for t in themes})
    await harness.say(anne, group, "/sluitronde")
    quorum = harness.last_from_bot(group)
    assert "nog maar 3 van de 7 leden hebben gestemd; voor een geldige uitslag zijn er minstens 5 nodig" in quorum["text"]
    await harness.press(people[1], quorum, text="Toch sluiten")  # not a moderator: refused
    assert (await harness.db.run(voting.open_round_of, (await _trajectory_id(harness, group)))) is not None
    await harness.press(anne, quorum, text="Toch sluiten")
    results = next(t for t in reversed(harness.bot_texts(group)) if "Uitslag stemronde 1" in t)
    assert "Het quorum (5) werd niet gehaald; de moderator sloot de ronde toch" in results
    forced = await harness.db.run(lambda s: s.scalars(select(VotingRound.forced)).one())
    assert forced is True


async def test_too_few_voters_show_no_figures(harness: Harness) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/stemronde")
    for person in people[:2]:
        await cast(harness, person, {t: 2 for t in themes})
    await harness.say(people[0], group, "/sluitronde forceer")
    results = harness.last_text(group)
    assert "minder dan 3 leden" in results and "gemiddelde" not in results
    assert not harness.core.calls_of("sendPhoto")
    feedback = harness.last_text(people[0]["id"])
    assert "ik toon de verdeling van de groep niet" in feedback and "groep:" not in feedback


async def test_submit_needs_every_theme_and_presses_are_checked(harness: Harness) -> None:
    core = harness.core
    group, people, themes = await voting_group(harness, members=4, themes=4)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/stemronde")
    message = ballot_message(core, bart)
    round_id = round_id_of(message)
    await harness.press(bart, message, f"vote:{round_id}:{themes[0]}:3")
    await harness.press(bart, ballot_message(core, bart), f"vsubmit:{round_id}")
    missing = [q for q in core.callback_queries.values() if q["answer"] and "zonder score" in (q["answer"].get("text") or "")]
    assert missing and "Nog 3 thema's zonder score." == missing[-1]["answer"]["text"]

    # Forged presses: another member's ballot, a theme not in play, a round that does not exist.
    outsider_theme = 999_999
    query = await harness.forge_press(anne, ballot_message(core, bart), f"vote:{round_id}:{themes[1]}:1")
    assert "niet voor jou" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(bart, ballot_message(core, bart), f"vote:{round_id}:{outsider_theme}:1")
    assert "zit niet in deze ronde" in core.callback_queries[query]["answer"]["text"]
    query = await harness.forge_press(bart, ballot_message(core, bart), f"vote:{round_id + 100}:{themes[1]}:1")
    assert "niet voor jou" in core.callback_queries[query]["answer"]["text"]
    view = await harness.db.run_short(ballots.ballot_view, round_id, bart["id"], harness.app.bot_data["services"].ballot_key)
    assert view is not None and view.scores == {themes[0]: 3}

    # A closed round refuses presses (a replayed old button).
    await cast(harness, anne, {t: 3 for t in themes})
    await cast(harness, people[2], {t: 2 for t in themes})
    await cast(harness, people[3], {t: 1 for t in themes})
    await harness.say(anne, group, "/sluitronde")
    query = await harness.forge_press(bart, message, f"vote:{round_id}:{themes[1]}:2")
    assert "gesloten" in core.callback_queries[query]["answer"]["text"]
    assert all(q["answered"] for q in core.callback_queries.values())


async def test_reason_is_shared_anonymously(harness: Harness) -> None:
    core = harness.core
    group, people, themes = await voting_group(harness, members=3, themes=4)
    anne, bart = people[0], people[1]
    await harness.say(anne, group, "/stemronde")
    await cast(harness, bart, {themes[0]: 3}, submit=False)
    ballot = ballot_message(core, bart)
    round_id = round_id_of(ballot)
    await harness.press(bart, ballot, f"vwhy:{round_id}")  # the keyboard turns into a theme list
    await harness.press(bart, ballot, f"vwhy:{round_id}:{themes[0]}")
    question = harness.last_from_bot(bart["id"])
    assert "Waarom geef je #1 Thema 1 een 3?" in question["text"]
    await harness.say(bart, bart["id"], "   ", reply_to=question["message_id"])
    assert "Ik kreeg geen reden" in harness.last_text(bart["id"])
    await harness.say(bart, bart["id"], "Grote <impact> op de buurt 🌱", reply_to=question["message_id"])
    assert harness.last_text(bart["id"]).startswith("Genoteerd.")
    await harness.say(bart, bart["id"], "nog iets")  # not a reply to a question: the fallback answers
    assert "Ik verwacht op dit moment geen bericht" in harness.last_text(bart["id"])
    await cast(harness, bart, {t: 3 if t == themes[0] else 2 for t in themes})
    for person in (anne, people[2]):
        await cast(harness, person, {t: 2 for t in themes})
    await harness.say(anne, group, "/sluitronde")
    feedback = harness.last_text(anne["id"])
    assert "💬 Grote <impact> op de buurt 🌱" in feedback and "Bart" not in feedback


async def test_deadline_closes_the_round_and_survives_a_restart(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    await harness.say(anne, group, "/stemronde tot morgen 17u")
    assert "De ronde sluit op" in harness.bot_texts(group)[-2]
    round_ = await harness.db.run(voting.open_round_of, await _trajectory_id(harness, group))
    assert round_ is not None and round_.deadline is not None
    (job,) = harness.app.job_queue.get_jobs_by_name(f"round-deadline:{round_.id}")
    for person in people:
        await cast(harness, person, {t: 3 if t == themes[0] else 2 for t in themes})

    # Restart: a new application on the same database rebuilds the job from the table.
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application

    restarted = build_application(harness.app.bot_data["services"].settings, db=harness.db,
                                  request=FakeTelegramRequest(harness.core))
    await restarted.initialize()
    await restarted.post_init(restarted)
    assert restarted.job_queue.get_jobs_by_name(f"round-deadline:{round_.id}")
    await restarted.shutdown()

    # Too early: nothing happens.
    await job.run(harness.app)
    assert (await harness.db.run(voting.get_round, round_.id)).status == "open"
    later = round_.deadline + timedelta(minutes=1)
    monkeypatch.setattr(voting_module, "utcnow", lambda: later)
    await job.run(harness.app)
    assert (await harness.db.run(voting.get_round, round_.id)).closed_by == "deadline"
    assert any("Uitslag stemronde 1" in t for t in harness.bot_texts(group))
    await job.run(harness.app)  # a second run (another instance) changes nothing
    assert sum("Uitslag stemronde 1" in t for t in harness.bot_texts(group)) == 1


async def test_close_when_everyone_voted(harness: Harness) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    await harness.say(anne, group, "/stemregel automatisch aan")
    assert "sluit zodra iedereen gestemd heeft" in harness.last_text(group)
    await harness.say(anne, group, "/stemronde")
    for person in people:
        await cast(harness, person, {t: 3 if t == themes[0] else 2 for t in themes})
    assert (await harness.db.run(lambda s: s.scalars(select(VotingRound.closed_by)).one())) == "all_voted"


async def test_settings_and_bad_input(harness: Harness) -> None:
    group, people, themes = await voting_group(harness, members=3, themes=3)
    anne, bart = people[0], people[1]
    await harness.say(bart, group, "/stemregel")
    assert "We zoeken 3 thema's" in harness.last_text(group)
    await harness.say(bart, group, "/stemregel aantal 2")
    assert harness.last_text(group) == "Dat kan alleen de moderator van de kopgroep."
    await harness.say(anne, group, "/stemronde")
    assert "er valt niets te kiezen" in harness.last_text(group)
    for text in ("/stemregel aantal nul", "/stemregel quorum 200", "/stemregel regel willekeur", "/stemregel <b>"):
        await harness.say(anne, group, text)
        assert "Dat begrijp ik niet" in harness.last_text(group)
    await harness.say(anne, group, "/stemregel aantal 2")
    await harness.say(anne, group, "/stemregel regel meerderheid")
    assert "meer dan de helft" in harness.last_text(group) and "We zoeken 2 thema's" in harness.last_text(group)
    assert "• 3 stemmers: minstens 2 keer een 3, geen enkele 1 (afvallen: 3 keer een 1)" in harness.last_text(group)
    await harness.say(anne, group, "/stemronde tot gisteren")
    assert "Die datum begrijp ik niet" in harness.last_text(group)
    await harness.say(anne, group, "/stemronde")
    await harness.say(anne, group, "/stemronde")
    assert "Stemronde 1 loopt nog" in harness.last_text(group)
    await harness.say(anne, group, "/stemregel aantal 3")
    assert "niet terwijl een stemronde loopt" in harness.last_text(group)
    await harness.say(anne, group, "/consensus 1, 99")
    assert "Stemronde 1 loopt nog" in harness.last_text(group)


async def test_settings_by_button(harness: Harness) -> None:
    """/stemregel for the moderator: steppers for the number and the quorum, the rules, a toggle."""
    group, people, themes = await voting_group(harness, members=4, themes=5)
    anne, bart = people[0], people[1]
    trajectory_id = (await harness.db.run(trajectories.by_chat, group["id"])).id
    await harness.say(bart, group, "/stemregel")
    assert harness.last_from_bot(group).get("reply_markup") is None  # a member reads, without buttons
    await harness.say(anne, group, "/stemregel")
    shown = harness.last_from_bot(group)

    def data(label_part: str) -> str:
        message = next(m for m in harness.core.sent_messages(group["id"]) if m["message_id"] == shown["message_id"])
        rows = message["reply_markup"]["inline_keyboard"]
        return next(b["callback_data"] for row in rows for b in row if label_part in b["text"])

    await harness.press(anne, shown, data("➕"))  # the first ➕: one more theme sought
    await harness.press(anne, shown, data("Meerderheid"))
    quorum_plus = [b["callback_data"] for row in shown["reply_markup"]["inline_keyboard"] for b in row if b["text"] == "➕"][1]
    await harness.press(anne, shown, quorum_plus)
    await harness.press(anne, shown, data("Sluit zodra"))
    settings = await harness.db.run(voting.settings, trajectory_id)
    assert (settings.sought, settings.rule_key, settings.quorum_pct) == (4, "majority", 77)
    edited = next(m for m in harness.core.sent_messages(group["id"]) if m["message_id"] == shown["message_id"])
    assert "We zoeken 4 thema's" in edited["text"] and "✅ Meerderheid" in str(edited["reply_markup"])
    # A member's press, a forged value, and any press while a round is open change nothing.
    query = await harness.forge_press(bart, shown, f"vset:{trajectory_id}:aantal:9")
    assert "moderator" in harness.core.callback_queries[query]["answer"]["text"]
    await harness.forge_press(anne, shown, f"vset:{trajectory_id}:aantal:99")
    await harness.say(anne, group, "/stemronde")
    query = await harness.forge_press(anne, shown, f"vset:{trajectory_id}:aantal:2")
    assert "niet terwijl een stemronde loopt" in harness.core.callback_queries[query]["answer"]["text"]
    assert (await harness.db.run(voting.settings, trajectory_id)).sought == 4


async def test_anonymity_no_person_score_outside_their_own_chat(harness: Harness) -> None:
    core = harness.core
    group, people, themes = await voting_group(harness, members=5, themes=4)
    anne = people[0]
    await harness.say(anne, group, "/stemronde")
    personal = {}
    for index, person in enumerate(people):
        personal[person["id"]] = {t: 1 + (index + n) % 3 for n, t in enumerate(themes)}
        await cast(harness, person, personal[person["id"]])
    await harness.say(anne, group, "/sluitronde")
    await harness.say(anne, group, "/uitslag csv")
    assert "Ik stuurde je de afgesloten stemronden als CSV" in harness.last_text(group)

    # The database: ballots have no person column, and a pseudonym is not a person id.
    columns = await harness.db.run(lambda s: {c["name"] for c in inspect(s.connection()).get_columns("ballot")})
    assert columns == {"id", "round_id", "pseudonym", "submitted"}
    delivery_columns = await harness.db.run(lambda s: {c["name"] for c in inspect(s.connection()).get_columns("ballot_delivery")})
    assert not delivery_columns & {"score", "ballot_id", "pseudonym"}
    names = await harness.db.run(lambda s: list(s.scalars(select(Ballot.pseudonym))))
    assert all(len(n) == 32 and not any(str(p["id"]) in n for p in people) for n in names)

    # Group messages: figures per theme, never a name next to a score.
    for text in harness.bot_texts(group):
        if "Uitslag" in text or "Stemronde" in text:
            assert not any(p["first_name"] in text for p in people)

    # The CSV export: numbered ballots, no names, ids or pseudonyms.
    documents = [c for c in core.calls_of("sendDocument") if c.ok]
    assert {c.params["chat_id"] for c in documents} == {str(anne["id"])} or {int(c.params["chat_id"]) for c in documents} == {anne["id"]}
    ballots_csv = next(
        core.files[c.result["document"]["file_id"]]["content"] for c in documents if c.result["document"]["file_name"] == "stembiljetten.csv"
    )
    rows = list(csv.reader(io.StringIO(ballots_csv.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["round", "ballot", "theme_number", "theme", "score", "reason"]
    assert len(rows) == 1 + 5 * 4  # five voters: one row per ballot and theme, ballots numbered 1-5
    assert {row[1] for row in rows[1:]} == {"1", "2", "3", "4", "5"}
    flat = ballots_csv.decode("utf-8-sig")
    assert not any(p["first_name"] in flat or str(p["id"]) in flat for p in people)
    assert names and not any(name in flat for name in names)

    # Each member's private feedback has their own scores only.
    for person in people:
        feedback = next(t for t in reversed(harness.bot_texts(person["id"])) if "jouw stem naast die van de groep" in t)
        for n, theme in enumerate(themes, start=1):
            assert f"#{n} Thema {n}: jij {personal[person['id']][theme]} ·" in feedback


async def _trajectory_id(harness: Harness, group: dict) -> int:
    from storage import trajectories

    trajectory = await harness.db.run(trajectories.by_chat, group["id"])
    assert trajectory is not None
    return trajectory.id


def test_quorum_arithmetic() -> None:
    assert voting.quorum_needed(7, 67) == 5
    assert voting.quorum_needed(6, 67) == 5  # 4.02 -> 5
    assert voting.quorum_needed(3, 67) == 3  # 2.01 -> 3
    assert voting.quorum_needed(9, 67) == 7  # 6.03 -> 7
    assert voting.quorum_needed(1, 67) == 1
    assert voting.quorum_needed(10, 100) == 10


_ = (BallotDelivery, utcnow)


async def test_member_of_two_groups_votes_in_each_with_the_right_ballot(harness: Harness) -> None:
    core = harness.core
    first, people, first_themes = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    # A second group where Anne is a member too, with its own moderator.
    second = core.add_group("Kopgroep OCMW")
    zoe = core.add_user("Zoë")
    core.add_member(second, zoe, "creator")
    core.add_member(second, anne)
    core.add_member(second, people[1])
    await harness.add_bot(second, zoe)
    await harness.say(zoe, second, "/organisatie OCMW Zottegem")
    welcome = next(m for m in core.sent_messages(second["id"]) if "Doe je mee" in m["text"])
    for person in (zoe, anne, people[1]):
        await harness.follow_join_button(person, welcome)
    second_trajectory = await _trajectory_id(harness, second)

    def add(session) -> list[int]:  # type: ignore[no-untyped-def]
        rows = [Theme(trajectory_id=second_trajectory, position=i, name=f"OCMW-thema {i}", source="manual") for i in range(1, 5)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]

    second_themes = await harness.db.run(add)
    await harness.say(anne, first, "/stemronde")
    first_ballot = ballot_message(core, anne)
    await harness.say(zoe, second, "/stemronde")
    second_ballot = ballot_message(core, anne)
    assert "Gemeente Zottegem" in first_ballot["text"] and "OCMW Zottegem" in second_ballot["text"]
    first_round, second_round = round_id_of(first_ballot), round_id_of(second_ballot)

    # A press on the first group's ballot with a theme of the second group is refused.
    query = await harness.forge_press(anne, first_ballot, f"vote:{first_round}:{second_themes[0]}:3")
    assert "zit niet in deze ronde" in core.callback_queries[query]["answer"]["text"]
    await harness.press(anne, first_ballot, f"vote:{first_round}:{first_themes[0]}:3")
    await harness.press(anne, second_ballot, f"vote:{second_round}:{second_themes[0]}:1")
    key = harness.app.bot_data["services"].ballot_key
    first_view = await harness.db.run_short(ballots.ballot_view, first_round, anne["id"], key)
    second_view = await harness.db.run_short(ballots.ballot_view, second_round, anne["id"], key)
    assert first_view.scores == {first_themes[0]: 3} and second_view.scores == {second_themes[0]: 1}
