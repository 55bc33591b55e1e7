"""A trajectory with a row in every exported table (and the left-out ones), for the archive and
privacy tests; and the comparison of two exports regardless of ids."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from method.anonymity import pseudonym
from storage import people, trajectories
from storage.archive import EXPORTED, MESSAGE_IDS, TRAJECTORY_FIELDS, remap_outcome, schema
from storage.models import (
    Ballot,
    BallotDelivery,
    Contribution,
    CouncilDecision,
    Dialogue,
    DreamCollection,
    DreamDone,
    DreamImage,
    DreamProposal,
    Evaluation,
    EvaluationAnswer,
    EvaluationDelivery,
    FollowupGoal,
    FollowupPlan,
    FollowupReport,
    FollowupRound,
    GlossaryTerm,
    Goal,
    GoodPractice,
    Meeting,
    Person,
    Prompt,
    Question,
    Reminder,
    RoundResult,
    RoundTheme,
    Score,
    Theme,
    ThemeSdg,
    TrajectoryNote,
    VotingRound,
)
from storage.records import TelegramUser

KEY = b"test-ballot-secret-0123456789abcdef0123456789"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ANNE = TelegramUser(2001, "Anne", "Peeters", "anne_p")
BART = TelegramUser(2002, "Bart", None, None)
CHRIS = TelegramUser(2003, "Chris", "Maes", None)
DIRK = TelegramUser(2004, "Dirk")


def seed(session: Session, *, chat_id: int = -7001, users: tuple[TelegramUser, ...] = (ANNE, BART, CHRIS, DIRK)) -> int:
    """A group with themes, a dialogue, a closed round (4 voters), dream images, goals, an evaluation."""
    trajectory, _ = trajectories.register_group(
        session, chat_id, "Kopgroep MVO", users[0], language="nl", timezone="Europe/Brussels"
    )
    tid = trajectory.id
    for user in users:
        people.join(session, trajectory.join_token, user)
    persons = [people.upsert_person(session, user) for user in users]
    pid = [p.id for p in persons]
    themes = [
        Theme(
            trajectory_id=tid,
            position=i,
            name=f"Thema {i}",
            description=f"Uitleg {i}",
            maturity=2.5,
            status="chosen" if i < 3 else "parked",
            created_at=T0,
        )
        for i in (1, 2, 3)
    ]
    session.add_all(themes)
    session.flush()
    sub = Theme(trajectory_id=tid, position=4, name="Sub", parent_id=themes[0].id, created_at=T0)
    merged = Theme(
        trajectory_id=tid, position=5, name="Weg", status="merged", merged_into_id=themes[1].id, created_at=T0
    )
    session.add_all([sub, merged])
    session.add_all(
        [
            ThemeSdg(theme_id=themes[0].id, sdg=12),
            ThemeSdg(theme_id=themes[0].id, sdg=8),
            GoodPractice(theme_id=themes[1].id, text="Fietsleasing", created_at=T0),
            TrajectoryNote(trajectory_id=tid, kind="agenda", text="Agenda", updated_at=T0),
            GlossaryTerm(trajectory_id=tid, key="mvo", word="MVO", explanation="Duurzaam", created_at=T0),
        ]
    )
    meeting = Meeting(trajectory_id=tid, starts_at=T0, opened_at=T0, synthesis_message_id=55, created_at=T0)
    planned = Meeting(trajectory_id=tid, starts_at=T0 + timedelta(days=14), ics_sequence=2, created_at=T0)
    questions = [Question(trajectory_id=tid, position=i, text=f"Vraag {i}", created_at=T0) for i in (1, 2)]
    session.add_all([meeting, planned, *questions])
    session.flush()
    dialogue = Dialogue(
        trajectory_id=tid,
        mode="anonymous",
        question_id=questions[1].id,
        question_message_id=77,
        started_at=T0,
        ended_at=T0 + timedelta(hours=1),
    )
    session.add(dialogue)
    session.flush()
    session.add_all(
        [
            Contribution(
                dialogue_id=dialogue.id,
                question_id=questions[0].id,
                person_id=pid[1],
                text="Open antwoord",
                created_at=T0,
            ),
            Contribution(
                dialogue_id=dialogue.id,
                question_id=questions[1].id,
                person_id=pid[2],
                text="Anoniem",
                anonymous=True,
                created_at=T0,
            ),
        ]
    )
    vround = VotingRound(
        trajectory_id=tid,
        number=1,
        status="closed",
        rule_key="default",
        sought=2,
        quorum_pct=67,
        members=len(users),
        opened_at=T0,
        closed_at=T0 + timedelta(days=1),
        closed_by="moderator",
        w=0.81,
        progress_message_id=99,
    )
    session.add(vround)
    session.flush()
    vround.outcome = json.dumps(
        {
            "reached": True,
            "reason": "shares",
            "chosen": [themes[0].id, themes[1].id],
            "drop": [],
            "tie": None,
            "next_in_play": [],
            "secured": [],
            "qualified": [themes[0].id, themes[1].id],
        }
    )
    session.add_all([RoundTheme(round_id=vround.id, theme_id=t.id) for t in themes])
    scores = [(3, 3, 1), (3, 2, 1), (2, 3, 2), (3, 3, 1)]
    for person_id, row in zip(pid, scores, strict=False):
        ballot = Ballot(round_id=vround.id, pseudonym=pseudonym(KEY, vround.id, person_id), submitted=True)
        session.add(ballot)
        session.flush()
        session.add_all(
            [
                Score(ballot_id=ballot.id, theme_id=t.id, score=s, reason="Omdat" if s == 3 else None)
                for t, s in zip(themes, row, strict=True)
            ]
        )
        session.add(BallotDelivery(round_id=vround.id, person_id=person_id, message_id=500 + person_id, submitted=True))
    # A fifth ballot, of a member who has since been forgotten: five ballots, so they are exported.
    fifth = Ballot(round_id=vround.id, pseudonym="forgotten:0123456789abcdef", submitted=True)
    session.add(fifth)
    session.flush()
    session.add_all([Score(ballot_id=fifth.id, theme_id=t.id, score=2) for t in themes])
    for rank, theme in enumerate(themes, start=1):
        session.add(
            RoundResult(
                round_id=vround.id,
                theme_id=theme.id,
                votes=4,
                total=10 - rank,
                mean=2.5,
                median=3.0,
                ones=0,
                twos=1,
                threes=3,
                share_threes=0.75,
                share_ones=0.0,
                rank=rank,
            )
        )
    session.add(DreamCollection(trajectory_id=tid, started_at=T0, published_at=T0 + timedelta(days=2)))
    images = [
        DreamImage(
            trajectory_id=tid,
            theme_id=themes[i % 2].id,
            person_id=pid[i],
            number=i + 1,
            text=f"Droom {i}",
            created_at=T0,
            updated_at=T0,
        )
        for i in range(3)
    ]
    session.add_all(images)
    session.flush()
    images[2].merged_into_id = images[0].id
    session.add_all(
        [
            DreamDone(person_id=pid[1], theme_id=themes[0].id, done_at=T0),
            DreamProposal(
                trajectory_id=tid,
                first_id=images[0].id,
                second_id=images[2].id,
                score=0.9,
                state="accepted",
                decided_at=T0,
            ),
        ]
    )
    goal = Goal(
        trajectory_id=tid,
        theme_id=themes[0].id,
        number=1,
        author_id=pid[1],
        status="approved",
        specific="Minder papier",
        target="-30%",
        flags='["no_baseline"]',
        created_at=T0,
        updated_at=T0,
    )
    session.add(goal)
    session.flush()
    followup_round = FollowupRound(
        trajectory_id=tid, number=1, kind="regular", due_at=T0 + timedelta(days=90), state="closed"
    )
    session.add_all(
        [
            FollowupPlan(trajectory_id=tid, cadence="quarterly", started_at=T0),
            FollowupGoal(goal_id=goal.id, trajectory_id=tid, person_id=pid[1], deadline_on=date(2027, 12, 31)),
            followup_round,
        ]
    )
    session.flush()
    session.add(
        FollowupReport(
            goal_id=goal.id, round_id=followup_round.id, person_id=pid[1], value=-10.0, note="Printers weg", reported_at=T0
        )
    )
    session.add(
        CouncilDecision(
            trajectory_id=tid,
            outcome="approved",
            decided_on=date(2026, 4, 1),
            body="college",
            recorded_by_id=pid[0],
            recorded_at=T0,
        )
    )
    evaluation = Evaluation(trajectory_id=tid, started_at=T0)
    session.add(evaluation)
    session.flush()
    session.add_all(
        [
            EvaluationAnswer(evaluation_id=evaluation.id, question="view", text="Goed", created_at=T0),
            EvaluationDelivery(evaluation_id=evaluation.id, person_id=pid[1], answered="view", done=True),
        ]
    )
    session.add_all(
        [
            Prompt(trajectory_id=tid, chat_id=users[1].telegram_id, kind=f"dream_theme{tid}", person_id=pid[1]),
            Reminder(
                trajectory_id=tid, meeting_id=planned.id, person_id=pid[1], kind="auto", due_at=T0 + timedelta(days=11)
            ),
        ]
    )
    session.flush()
    return tid


def new_group(session: Session, chat_id: int, by: TelegramUser = ANNE) -> int:
    """A group the bot was just added to: only the adder, as moderator."""
    trajectory, _ = trajectories.register_group(
        session, chat_id, "Nieuwe groep", by, language="nl", timezone="Europe/Brussels"
    )
    return trajectory.id


def normalised(tables: dict[str, list[dict[str, object]]]) -> dict[str, list[dict[str, object]]]:
    """The export with every id replaced by its rank in its table, and chat-bound columns dropped:
    two exports of the same content compare equal whatever ids the rows got."""
    specs = {spec.name: spec for spec in schema()}
    rank = {
        name: {value: index for index, value in enumerate(sorted(row["id"] for row in rows))}  # type: ignore[type-var]
        for name, rows in tables.items()
        if specs[name].has_id
    }
    # Ballot ids are random: ballots are ranked by what they hold (their round and scores).
    content: dict[object, list[object]] = {}
    for score in tables["score"]:
        content.setdefault(score["ballot_id"], []).append(
            (rank["theme"][score["theme_id"]], score["score"], score["reason"] or "")
        )
    held = {
        row["id"]: (rank["voting_round"][row["round_id"]], sorted(content.get(row["id"], [])))
        for row in tables["ballot"]
    }
    rank["ballot"] = {ballot_id: index for index, ballot_id in enumerate(sorted(held, key=lambda b: repr(held[b])))}
    result: dict[str, list[dict[str, object]]] = {}
    for name in EXPORTED:
        rows = []
        for row in tables[name]:
            copy = dict(row)
            if specs[name].has_id:
                copy["id"] = rank[name][row["id"]]
            for column in specs[name].columns:
                if column.references and row[column.name] is not None:
                    copy[column.name] = rank[column.references][row[column.name]]
            copy.pop(MESSAGE_IDS.get(name, ""), None)
            if name == "voting_round" and copy["outcome"]:
                copy["outcome"] = remap_outcome(copy["outcome"], rank["theme"])  # type: ignore[arg-type]
            if name == "trajectory":
                copy = {key: copy[key] for key in TRAJECTORY_FIELDS}
            rows.append(copy)
        result[name] = sorted(rows, key=repr)
    return result


def person_by_telegram(session: Session, telegram_id: int) -> Person | None:
    from sqlalchemy import select

    return session.scalar(select(Person).where(Person.telegram_id == telegram_id))
