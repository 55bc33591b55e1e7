"""Goal follow-up in-process (both databases): the council's green light starts it, the rhythm by
button, a round asked now, values checked (number, unit), the line on what happened, one reminder
to a late owner and the moderator told privately, a digest per round, three reports to done, "nothing
changed", handing a goal to someone else (and forged presses refused), /voortgang in both languages
with its chart, a round that resumes from its rows on a new application, and a claim taken once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from conversations import followup_rounds
from storage import evaluation, followup, followup_progress, report, trajectories
from storage.models import FollowupAsk, FollowupGoal, FollowupRound, Goal
from tests.conversations.dream_helpers import START, Clock, data_of, dream_group, latest_with_prefix
from tests.conversations.test_goals import GOOD, answer, open_goal
from tests.harness import Harness

MODERATOR_ONLY = "Only the steering group's moderator can do that."

OTHER = [
    "Alle vergaderzalen krijgen een kraantjeswaterpunt voor het personeel",
    "aantal vergaderzalen met waterpunt (telling facilitair)",
    "2 zalen in 2026",
    "12 zalen",
    "facilitaire dienst",
    "5.000 euro voor de leidingen",
    "juni 2027",
    "-",
]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    value = Clock(START)
    monkeypatch.setattr(followup_rounds, "now", value)
    return value


async def approved_goal(
    harness: Harness, author: dict, moderator: dict, group: dict, theme: str, parts: list[str]
) -> None:
    """``author`` writes a goal with ``parts``; the moderator approves it (own goals are approved at once)."""
    await open_goal(harness, author, group, theme)
    await answer(harness, author, *parts)
    summary = harness.last_from_bot(author["id"])
    await harness.press(author, summary, data_of(summary, "gs:")[0])
    if author is not moderator:
        proposal = latest_with_prefix(harness.core, moderator["id"], "gd:")
        await harness.press(moderator, proposal, data_of(proposal, "gd:")[0])


async def followed_group(harness: Harness, language: str = "nl") -> tuple[dict, list[dict], int]:
    """Bart's goal (12% -> 30%, eind 2027) and Chris's (2 -> 12 zalen, juni 2027), both approved."""
    group, people, _, trajectory_id = await dream_group(harness, members=4, language=language)
    anne, bart, chris, _ = people
    await approved_goal(harness, bart, anne, group, "Thema 1", GOOD)
    await approved_goal(harness, chris, anne, group, "Thema 2", OTHER)
    return group, people, trajectory_id


async def rows(harness: Harness, model: type) -> list:
    return await harness.db.run(
        lambda s: list(s.scalars(select(model).order_by(model.__table__.primary_key.columns[0])))
    )


def settings_delta(harness: Harness) -> tuple[timedelta, timedelta]:
    settings = harness.app.bot_data["services"].settings
    return timedelta(seconds=settings.followup_remind_after), timedelta(seconds=settings.followup_window)


async def test_green_light_starts_it_and_a_goal_is_followed_to_done(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, trajectory_id = await followed_group(harness)
    anne, bart, chris, dirk = people
    remind_after, window = settings_delta(harness)

    await harness.say(anne, group, "/beslissing goedgekeurd 30 november 2026 Akkoord met de doelen")
    plan = harness.last_from_bot(group)
    assert plan["text"].startswith("📈 Opvolging van de doelen") and "Het college gaf groen licht" in plan["text"]
    assert "Ritme: elk kwartaal" in plan["text"] and "Doelen in opvolging: 2." in plan["text"]
    assert "Volgende ronde: 1 maart 2027." in plan["text"]
    assert data_of(plan, "fu") == [
        f"fuc:{trajectory_id}:monthly",
        f"fuc:{trajectory_id}:quarterly",
        f"fur:{trajectory_id}",
    ]
    # Quarterly until the last deadline (31 December 2027), and a round at each goal's deadline.
    planned = await rows(harness, FollowupRound)
    regular = [r.due_at.date().isoformat() for r in planned if r.kind == "regular"]
    assert regular == ["2027-03-01", "2027-06-01", "2027-09-01", "2027-12-01"]
    assert sorted(r.due_at.date().isoformat() for r in planned if r.kind == "deadline") == ["2027-06-30", "2027-12-31"]
    # Recording the decision again does not start it twice.
    await harness.say(anne, group, "/beslissing goedgekeurd 1 december 2026")
    assert "Opvolging van de doelen" not in harness.last_text(group)

    # Monthly by button: the rounds still to come are planned again; only a moderator may.
    await harness.press(bart, plan, f"fuc:{trajectory_id}:monthly")
    assert len([r for r in await rows(harness, FollowupRound) if r.kind == "regular"]) == 4
    await harness.press(anne, plan, f"fuc:{trajectory_id}:monthly")
    edited = next(m for m in core.sent_messages(group["id"]) if m["message_id"] == plan["message_id"])
    assert "Ritme: elke maand" in edited["text"]
    assert data_of(edited, "fuc:")[0] == f"fuc:{trajectory_id}:monthly"
    assert [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row][0] == "✓ Elke maand"
    regular = [r for r in await rows(harness, FollowupRound) if r.kind == "regular"]
    assert [r.due_at.date().isoformat() for r in (regular[0], regular[-1])] == ["2027-01-01", "2027-12-01"]
    assert len(regular) == 12

    # Round 1, now: both owners are asked privately, once.
    await harness.press(anne, plan, f"fur:{trajectory_id}")
    ask = harness.last_from_bot(bart["id"])
    assert ask["text"].startswith("📈 Opvolging: doel #1") and "Stuur een getal in %" in ask["text"]
    assert data_of(ask, "fu") == ["fua:1", "fun:1", "fuh:1"]
    assert harness.last_text(chris["id"]).startswith("📈 Opvolging: doel #2")
    assert "Stuur een getal in zalen" in harness.last_text(chris["id"])
    assert await followup_rounds.run_followup(harness.app, clock.now) == {}  # nothing twice

    # A value in the wrong unit, then no number: refused, the question stays open.
    await answer(harness, bart, "18 km")
    assert "Dat is in km, maar de indicator van doel #1 telt in %" in harness.last_text(bart["id"])
    await answer(harness, bart, "ongeveer achttien")
    assert harness.last_text(bart["id"]).startswith("Ik verwacht een getal in %")
    await answer(harness, bart, "18 %")
    assert harness.last_text(bart["id"]).startswith("Genoteerd: 18%.")
    await answer(harness, bart, "Twee nieuwe fietsstallingen bij het stadhuis")
    assert harness.last_text(bart["id"]).startswith("Dank je! Doel #1: 18%, 🟢 op schema.")

    # Chris is late: one reminder, not two, and none for Bart.
    clock.set(clock.now + remind_after)
    await followup_rounds.run_followup(harness.app, clock.now)
    assert harness.last_text(chris["id"]).startswith("⏰ Herinnering: hoe staat doel #2 ervoor?")
    assert not harness.last_text(bart["id"]).startswith("⏰")
    await followup_rounds.run_followup(harness.app, clock.now + timedelta(hours=1))
    assert sum(t.startswith("⏰") for t in harness.bot_texts(chris["id"])) == 1

    # The round closes: a digest in the group, the moderator told privately who did not answer.
    clock.set(clock.now + window)
    await followup_rounds.run_followup(harness.app, clock.now)
    digest = harness.last_text(group)
    assert digest.startswith("📈 Opvolgronde 1 afgerond: 1 van de 2 doelen gemeld.")
    assert "🟢 op schema · #1" in digest and "⚪ nog geen melding · #2" in digest
    told = harness.last_text(anne["id"])
    assert "niet geantwoord, ook niet na een herinnering" in told and "Chris" in told and "Bart" not in told
    assert "Chris" not in digest  # names go to the moderator only
    await followup_rounds.run_followup(harness.app, clock.now + timedelta(minutes=5))
    assert harness.last_text(group) == digest  # posted once

    # Rounds 2 and 3: 24% with the line in one message, then 31%: done, never asked again.
    for value, expected in (("24% - fietsvergoeding verhoogd", "Dank je! Doel #1: 24%"), ("31%", "🎉 Dank je!")):
        await harness.press(anne, plan, f"fur:{trajectory_id}")
        await answer(harness, bart, value)
        assert harness.last_text(bart["id"]).startswith(expected)
        await harness.press(chris, latest_with_prefix(core, chris["id"], "fun:"), "fun:2")
        clock.set(clock.now + window)
        await followup_rounds.run_followup(harness.app, clock.now)
    (bart_goal, chris_goal) = await rows(harness, FollowupGoal)
    assert bart_goal.done_at is not None and chris_goal.done_at is None
    asked_before = len(harness.bot_texts(bart["id"]))
    await harness.press(anne, plan, f"fur:{trajectory_id}")
    assert len(harness.bot_texts(bart["id"])) == asked_before  # a goal that is done is not asked
    found = await harness.db.run(followup_progress.goals, trajectory_id, clock.now.date())
    assert [(g.number, g.status, [r.value for r in g.reports]) for g in found] == [
        (1, "done", [18.0, 24.0, 31.0]),
        (2, "behind", [2.0, 2.0]),
    ]
    assert [r.note for r in found[0].reports] == [
        "Twee nieuwe fietsstallingen bij het stadhuis",
        "fietsvergoeding verhoogd",
        None,
    ]

    # /voortgang in the group: per theme, with the chart.
    await harness.say(dirk, group, "/voortgang")
    photo = core.sent_messages(group["id"])[-1]
    text = core.sent_messages(group["id"])[-2]["text"]
    assert text.startswith("📈 Voortgang van de doelen") and "1. Thema 1" in text and "2. Thema 2" in text
    assert "✅ bereikt · #1" in text and "nu 31% · streefwaarde 30% tegen 31 december 2027 · Bart" in text
    assert "🟠 achter op schema · #2" in text
    assert "photo" in photo and "stippellijn" in photo["caption"]

    # The report gains the follow-up; the owners' names only in a report with names.
    data = await harness.db.run(report.report_data, trajectory_id, on=clock.now.date())
    assert [(g.number, g.owner_name, len(g.reports)) for g in data.followup] == [(1, None, 3), (2, None, 2)]
    named = await harness.db.run(lambda s: report.report_data(s, trajectory_id, on=clock.now.date(), with_names=True))
    assert [g.owner_name for g in named.followup] == ["Bart", "Chris"]


async def test_progress_in_english_and_nothing_followed_yet(harness: Harness, clock: Clock) -> None:
    group, people, trajectory_id = await followed_group(harness, language="en")
    anne, bart, chris, _ = people
    await harness.say(chris, group, "/voortgang")
    assert "No goals are followed up yet. Follow-up starts when the board gives the green light" in harness.last_text(
        group
    )
    await harness.say(chris, group, "/opvolging")
    assert harness.last_text(group) == MODERATOR_ONLY
    await harness.say(anne, group, "/opvolging")
    plan = harness.last_from_bot(group)
    assert plan["text"].startswith("📈 Following up the goals") and "Rhythm: every quarter" in plan["text"]
    await harness.press(anne, plan, f"fur:{trajectory_id}")
    await harness.say(bart, bart["id"], "/taal en")
    await answer(harness, bart, "20 km")
    assert harness.last_text(bart["id"]).startswith("That is in km, but the indicator of goal #1 counts in %.")
    await answer(harness, bart, "about twenty")
    assert harness.last_text(bart["id"]).startswith("I expect a number in %, for example 18%.")
    await answer(harness, bart, "20")
    await harness.press(bart, latest_with_prefix(harness.core, bart["id"], "fus:"), "fus:1")
    assert harness.last_text(bart["id"]).startswith("Thank you! Goal #1: 20%, 🟢 on track.")
    await harness.say(chris, group, "/voortgang")
    text = harness.core.sent_messages(group["id"])[-2]["text"]
    assert text.startswith("📈 Progress of the goals") and "🟢 on track · #1" in text and "now 20% · target 30%" in text
    assert "⚪ no report yet · #2" in text
    assert "path from start value to target" in harness.core.sent_messages(group["id"])[-1]["caption"]


async def test_text_without_a_number_goes_to_the_other_question_that_waits(harness: Harness, clock: Clock) -> None:
    """An owner asked for a value who also has the closing evaluation's question open: words go to
    the evaluation (the newest question); "Waarde voor dit doel" points the next text at the goal."""
    group, people, trajectory_id = await followed_group(harness)
    anne, bart, _, _ = people
    await harness.say(anne, group, "/evaluatie")
    await harness.say(anne, group, "/opvolging")
    await harness.press(anne, harness.last_from_bot(group), f"fur:{trajectory_id}")
    ask = harness.last_from_bot(bart["id"])
    assert ask["text"].startswith("📈 Opvolging: doel #1")
    await answer(harness, bart, "Ja, via een werkgroep die elk kwartaal samenkomt")
    assert "Vraag 2 van 3" in harness.last_text(bart["id"])
    await harness.press(bart, ask, "fua:1")
    assert (
        harness.core.callback_queries[max(harness.core.callback_queries)]["answer"]["text"]
        == "Stuur nu de waarde voor dit doel."
    )
    await answer(harness, bart, "19%")
    assert harness.last_text(bart["id"]).startswith("Genoteerd: 19%.")


async def test_handing_a_goal_on_and_forged_presses(harness: Harness, clock: Clock) -> None:
    core = harness.core
    group, people, trajectory_id = await followed_group(harness)
    anne, bart, chris, dirk = people
    await harness.say(anne, group, "/opvolging")
    await harness.press(anne, harness.last_from_bot(group), f"fur:{trajectory_id}")
    ask = harness.last_from_bot(chris["id"])
    # Bart cannot answer, or hand on, Chris's goal, not even with forged presses.
    for data in ("fun:2", "fuh:2", "fua:2"):
        query = await harness.forge_press(bart, harness.last_from_bot(bart["id"]), data)
        assert core.callback_queries[query]["answer"]["text"] == "Jij rapporteert niet over dit doel."
    query = await harness.forge_press(bart, harness.last_from_bot(bart["id"]), "fuh:2:4")
    assert core.callback_queries[query]["answer"]["text"] == "Jij rapporteert niet over dit doel."
    # Chris hands it to Dirk: Dirk is asked at once, Chris gets no reminder.
    await harness.press(chris, ask, "fuh:2")
    choose = harness.last_from_bot(chris["id"])
    assert choose["text"].startswith("Aan wie geef je doel #2")
    assert [b["text"] for row in choose["reply_markup"]["inline_keyboard"] for b in row] == ["Anne", "Bart", "Dirk"]
    await harness.press(chris, choose, [d for d in data_of(choose, "fuh:2:") if d.endswith(":4")][0])
    assert harness.last_text(chris["id"]).startswith("Doorgegeven: Dirk rapporteert voortaan over doel #2.")
    assert harness.last_text(dirk["id"]).startswith("📈 Chris gaf je doel #2 door")
    await answer(harness, dirk, "5 zalen, de eerste leidingen liggen er")
    assert harness.last_text(dirk["id"]).startswith("Dank je! Doel #2: 5 zalen")
    remind_after, _ = settings_delta(harness)
    await followup_rounds.run_followup(harness.app, clock.now + remind_after)
    assert not any(t.startswith("⏰") for t in harness.bot_texts(chris["id"]) + harness.bot_texts(dirk["id"]))
    states = await harness.db.run(followup_progress.states, trajectory_id)
    assert (1, 2, "reminder", "dropped", "handed") in states


async def test_a_round_resumes_from_its_rows_on_a_new_application(harness: Harness, clock: Clock) -> None:
    """The round was opened (its questions are rows) by an instance that died before sending."""
    from fake_telegram.request import FakeTelegramRequest

    from bot.app import build_application
    from tests.harness import make_settings

    group, people, trajectory_id = await followed_group(harness)
    anne, bart, chris, _ = people
    await harness.say(anne, group, "/opvolging")
    await harness.db.run(followup.round_now, trajectory_id, clock.now)
    remind_after, window = settings_delta(harness)
    await harness.db.run(followup.open_due, clock.now, "dead-instance", remind_after, window)
    claimed = await harness.db.run(followup.claim_due, clock.now, "dead-instance")
    assert len(claimed) == 2
    # Another instance right away takes nothing (claimed once); after the claim timeout it takes over.
    assert await harness.db.run(followup.claim_due, clock.now, "other") == []
    app = build_application(
        make_settings(harness.core, harness.db.url), db=harness.db, request=FakeTelegramRequest(harness.core)
    )
    await app.initialize()
    later = clock.now + followup.CLAIM_TIMEOUT
    outcomes = await followup_rounds.run_followup(app, later)
    assert sorted(outcomes.values()) == ["sent", "sent"]
    assert await followup_rounds.run_followup(app, later) == {}
    await app.shutdown()
    assert sum(t.startswith("📈 Opvolging: doel #1") for t in harness.bot_texts(bart["id"])) == 1
    assert sum(t.startswith("📈 Opvolging: doel #2") for t in harness.bot_texts(chris["id"])) == 1


async def test_no_goals_no_followup(harness: Harness, clock: Clock) -> None:
    group, people, _, trajectory_id = await dream_group(harness, members=3)
    await harness.say(people[0], group, "/opvolging")
    assert harness.last_text(group).startswith("Er zijn nog geen goedgekeurde doelen om op te volgen.")
    await harness.say(people[0], group, "/beslissing goedgekeurd 30 november 2026")
    assert await harness.db.run(followup_progress.plan, trajectory_id) is None
    assert await rows(harness, FollowupAsk) == [] and await rows(harness, Goal) == []
    assert await harness.db.run(trajectories.by_id, trajectory_id) is not None


async def test_a_goal_approved_later_and_a_new_rhythm_before_the_round_opens(harness: Harness, clock: Clock) -> None:
    group, people, trajectory_id = await followed_group(harness)
    anne, bart, chris, dirk = people
    await harness.say(anne, group, "/opvolging")
    # The moderator asks for a round; before a tick opens it, the rhythm changes: the round stays.
    assert await harness.db.run(followup.round_now, trajectory_id, clock.now)
    await harness.db.run(followup.start, trajectory_id, clock.now, "monthly")
    # Dirk's goal is approved after follow-up started: the round asks him too, and his deadline gets its round.
    await approved_goal(harness, dirk, anne, group, "Thema 3", [*GOOD[:6], "Q3 2027", "-"])
    outcomes = await followup_rounds.run_followup(harness.app, clock.now)
    assert sorted(outcomes.values()) == ["sent", "sent", "sent"]
    assert harness.last_text(dirk["id"]).startswith("📈 Opvolging: doel #3")
    deadlines = [r.due_at.date().isoformat() for r in await rows(harness, FollowupRound) if r.kind == "deadline"]
    assert sorted(deadlines) == ["2027-06-30", "2027-09-30", "2027-12-31"]
    # A second "ask now" while that round is open: refused, nobody is asked twice.
    assert not await harness.db.run(followup.round_now, trajectory_id, clock.now)


async def test_follow_up_goes_on_after_the_trajectory_is_closed(harness: Harness, clock: Clock) -> None:
    """Closing makes the trajectory read-only (bot/read_only.py), but following up its goals is
    what comes after: the rhythm, a round asked now, the owner's value and note, /voortgang."""
    group, people, trajectory_id = await followed_group(harness)
    anne, bart, _, dirk = people
    await harness.say(anne, group, "/beslissing goedgekeurd 30 november 2026 Akkoord met de doelen")
    plan = harness.last_from_bot(group)
    await harness.say(anne, group, "/afsluiten")
    await harness.press(anne, harness.last_from_bot(group), f"tcl:{trajectory_id}:ok")
    assert await harness.db.run(evaluation.trajectory_closed_at, trajectory_id) is not None

    # Still refused after closing: a change to the trajectory itself, and a stray private text.
    await harness.say(anne, group, "/catalogus")
    assert "er kan niets meer bij of veranderen" in harness.last_text(group)
    await answer(harness, dirk, "Een losse gedachte")
    assert "er kan niets meer bij of veranderen" in harness.last_text(dirk["id"])

    await harness.press(anne, plan, f"fur:{trajectory_id}")
    assert harness.last_text(bart["id"]).startswith("📈 Opvolging: doel #1")
    await answer(harness, bart, "18 %")
    assert harness.last_text(bart["id"]).startswith("Genoteerd: 18%.")
    await answer(harness, bart, "Twee nieuwe fietsstallingen bij het stadhuis")
    assert harness.last_text(bart["id"]).startswith("Dank je! Doel #1: 18%, 🟢 op schema.")
    await harness.say(dirk, group, "/voortgang")
    assert "er kan niets meer bij of veranderen" not in harness.last_text(group)
