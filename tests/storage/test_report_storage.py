"""report_data on SQLite and PostgreSQL: one unit of work, the same answer twice, names only on
request, removed themes and draft goals left out, anonymous answers in text order, decisions by date."""

from __future__ import annotations

from datetime import date

from storage import decisions, people, report, trajectories
from storage.db import Database
from storage.models import Goal, Theme, ThemeSdg
from storage.records import DecisionRecord, TelegramUser
from tests.conversations.report_helpers import add_evaluation, add_goal

ANNE = TelegramUser(2001, "Anne", "Peeters")
BART = TelegramUser(2002, "Bart")
CHRIS = TelegramUser(2003, "Chris")
ON = date(2026, 12, 20)


def setup(db: Database) -> int:
    trajectory, _ = db.run_sync(
        trajectories.register_group, -7001, "Kopgroep", ANNE, language="nl", timezone="Europe/Brussels"
    )
    db.run_sync(trajectories.set_organisation, trajectory.id, "OCMW Lede")
    for user in (ANNE, BART, CHRIS):
        db.run_sync(people.join, trajectory.join_token, user)
    db.run_sync(people.note_left_group, -7001, CHRIS.telegram_id)

    def fill(session) -> None:  # type: ignore[no-untyped-def]
        rows = {
            position: Theme(trajectory_id=trajectory.id, position=position, name=name, status=status, source="manual")
            for position, name, status in (
                (1, "Aankopen", "chosen"),
                (2, "Mobiliteit", "parked"),
                (3, "Oud thema", "removed"),
                (4, "Welzijn", "chosen"),
            )
        }
        session.add_all(rows.values())
        session.flush()
        session.add(
            Theme(trajectory_id=trajectory.id, position=5, name="Fietsen", status="parked", parent_id=rows[2].id)
        )
        session.add_all([ThemeSdg(theme_id=rows[1].id, sdg=12), ThemeSdg(theme_id=rows[1].id, sdg=8)])
        add_goal(session, trajectory.id, rows[4].id, 1, specific="Welzijn eerst")
        add_goal(session, trajectory.id, rows[1].id, 2, status="proposed", specific="Aankoop", flags=["no_number"])
        add_goal(session, trajectory.id, rows[1].id, 3, status="draft", specific="Klad")
        add_goal(session, trajectory.id, rows[1].id, 4, status="dropped", specific="Weg")
        session.add(
            Goal(trajectory_id=trajectory.id, theme_id=rows[1].id, number=5, status="approved", flags="not json")
        )
        add_evaluation(
            session,
            trajectory.id,
            {"view": ["zeker", "Anders dan vroeger", "beter"], "maturity": ["Ja"]},
            done_by=[BART.telegram_id],
        )

    db.run_sync(fill)
    db.run_sync(
        decisions.record, trajectory.id, "approved", date(2026, 12, 12), "Akkoord", telegram_id=ANNE.telegram_id
    )
    db.run_sync(decisions.record, trajectory.id, "postponed", date(2026, 11, 28), None)
    return trajectory.id


def test_report_data(db: Database) -> None:
    trajectory_id = setup(db)
    data = db.run_sync(report.report_data, trajectory_id, on=ON)
    assert data == db.run_sync(report.report_data, trajectory_id, on=ON)  # nothing moves between two reads
    assert data.organisation == "OCMW Lede" and data.on == ON and not data.with_names
    assert (data.members.joined, data.members.moderators, data.members.left, data.members.names) == (2, 1, 1, None)
    assert [(t.position, t.name, t.status, t.sdgs, t.parent_position) for t in data.themes] == [
        (1, "Aankopen", "chosen", (8, 12), None),
        (2, "Mobiliteit", "parked", (), None),
        (4, "Welzijn", "chosen", (), None),
        (5, "Fietsen", "parked", (), 2),
    ]
    assert [t.name for t in data.chosen] == ["Aankopen", "Welzijn"]
    assert [(g.number, g.theme_name, g.status, g.flags) for g in data.goals] == [
        (2, "Aankopen", "proposed", ("no_number",)),
        (5, "Aankopen", "approved", ()),
        (1, "Welzijn", "approved", ()),
    ]
    assert data.rounds == () and data.digests == () and data.dreams_published is None
    assert [p.name for p in data.parked] == ["Mobiliteit", "Fietsen"]
    assert data.decisions == (
        DecisionRecord("postponed", date(2026, 11, 28), None, None),
        DecisionRecord("approved", date(2026, 12, 12), None, "Akkoord"),
    )
    assert data.evaluation is not None and data.evaluation.respondents == 1
    assert data.evaluation.answers == {
        "continuity": (),
        "view": ("Anders dan vroeger", "beter", "zeker"),
        "maturity": ("Ja",),
    }

    named = db.run_sync(report.report_data, trajectory_id, on=ON, with_names=True)
    assert named.members.names == ("Anne Peeters", "Bart")  # joined members only, by name


def test_an_empty_trajectory(db: Database) -> None:
    trajectory, _ = db.run_sync(
        trajectories.register_group, -7002, "Leeg", ANNE, language="en", timezone="Europe/Brussels"
    )
    data = db.run_sync(report.report_data, trajectory.id, on=ON)
    assert data.organisation is None and data.language == "en"
    assert (data.themes, data.goals, data.decisions, data.evaluation) == ((), (), (), None)
    assert db.run_sync(decisions.latest, trajectory.id) is None
