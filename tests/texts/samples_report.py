"""Sample contexts for the report and decision templates (/rapport, /beslissing)."""

from __future__ import annotations

from datetime import date

from method.dates import Moment
from storage.records import DecisionRecord, ReportData, ReportMembers


def _data(**changes: object) -> ReportData:
    values: dict[str, object] = {
        "organisation": "Gemeente <Zottegem>",
        "title": "Kopgroep",
        "language": "nl",
        "timezone": "Europe/Brussels",
        "on": date(2026, 12, 20),
        "with_names": False,
        "members": ReportMembers(6, 1, 0, None),
        "themes": (),
        "rounds": (),
        "parked": (),
        "dreams_published": None,
        "dreams": (),
        "goals": (),
        "digests": (),
        "decisions": (),
        "evaluation": None,
    }
    values.update(changes)
    return ReportData(**values)  # type: ignore[arg-type]


APPROVED = DecisionRecord("approved", date(2026, 12, 12), None, "Akkoord met de <drie> thema's")

SAMPLES: dict[str, list[dict[str, object]]] = {
    "report/choose": [{}],
    "report/sent": [
        {"data": _data(), "with_names": False},
        {"data": _data(organisation=None, decisions=(APPROVED,)), "with_names": True},
    ],
    "report/made": [{"name": "Anne <A>"}],
    "report/private_closed": [{}],
    "report/decision_ask": [{}],
    "report/decision_date": [{"outcome": "approved"}, {"outcome": "postponed"}],
    "report/decision_problem": [
        {"code": code, "guided": guided}
        for code in ("outcome", "date", "far", "long", "empty")
        for guided in (False, True)
    ]
    + [{"code": "weekday", "guided": True, "moment": Moment(None, "weekday", weekday_given=2, day=date(2026, 12, 10))}],
    "report/decision_announced": [
        {"decision": APPROVED},
        {"decision": DecisionRecord("rejected", date(2026, 12, 12), None, None)},
        {"decision": DecisionRecord("postponed", date(2026, 12, 12), None, None)},
    ],
}
