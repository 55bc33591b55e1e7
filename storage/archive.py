"""A trajectory as plain tables (export), and those tables inserted into a new group (restore).

The table list is explicit: every table of ``Base.metadata`` is either in ``EXPORTED`` (in
insert order, parents first) or in ``LEFT_OUT`` with the reason, and a test fails when a new
table is in neither. Rows keep their source ids and foreign keys in the archive; a restore
inserts them under new ids and maps every foreign key, in the caller's one transaction.

Ballots leave without their pseudonym: it is an HMAC of (round id, person id) under this
instance's secret, so with the archive's person ids it could be matched to a person wherever
that secret is known. A restored ballot gets a fresh random pseudonym nobody can derive: the
figures (scores, round results) stay, the link to the voter is gone for good.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, Integer, String, Text, func, select
from sqlalchemy.orm import Session

from method.portability.archive import ArchiveError, ColumnSpec, Tables, TableSpec, to_json_value
from storage.models import (
    Ballot,
    BallotDelivery,
    Base,
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
    Membership,
    Person,
    Question,
    RoundResult,
    RoundTheme,
    Score,
    Theme,
    ThemeSdg,
    Trajectory,
    TrajectoryNote,
    UTCDateTime,
    VotingRound,
)
from storage.voting.closing import FIGURES_MIN, PER_BALLOT_MIN

# Table -> the column that ties a row to the trajectory (directly, or through a parent that is
# exported before it). In insert order: a table comes after every table it points at.
EXPORTED: dict[str, str | None] = {
    "trajectory": "id",
    "person": None,  # the people the other tables point at, gathered after them
    "membership": "trajectory_id",
    "theme": "trajectory_id",
    "theme_sdg": "theme_id",
    "good_practice": "theme_id",
    "trajectory_note": "trajectory_id",
    "meeting": "trajectory_id",
    "question": "trajectory_id",
    "dialogue": "trajectory_id",
    "contribution": "dialogue_id",
    "glossary_term": "trajectory_id",
    "voting_round": "trajectory_id",
    "round_theme": "round_id",
    "ballot": "round_id",
    "score": "ballot_id",
    "ballot_delivery": "round_id",
    "round_result": "round_id",
    "dream_collection": "trajectory_id",
    "dream_image": "trajectory_id",
    "dream_done": "theme_id",
    "dream_proposal": "trajectory_id",
    "goal": "trajectory_id",
    "council_decision": "trajectory_id",
    "followup_plan": "trajectory_id",
    "followup_goal": "trajectory_id",
    "followup_round": "trajectory_id",
    "followup_report": "goal_id",
    "evaluation": "trajectory_id",
    "evaluation_answer": "evaluation_id",
    "evaluation_delivery": "evaluation_id",
}

# Deliberately not in the archive (README "What an export holds" says the same).
LEFT_OUT: dict[str, str] = {
    "prompt": "questions the bot waits an answer to belong to messages in the old chats",
    "reminder": "pending reminders are planned again from the next session (/volgendesessie)",
    "undelivered": "who missed a message in the old chats; the moderator was told there",
    "followup_ask": "questions to goal owners belong to messages in the old chats; the next round asks again",
    "draft_score": "scores of a round still open, sealed with this installation's secret: an open round's ballots never leave",
    "anonymous_answer": "anonymous answers still sealed (the next question not asked yet): they belong to the old group's running dialogue",
    "answer_count": "how many anonymous answers each member gave: for /deelname in the old group only, never next to an answer",
    "outbox": "messages still on their way belong to the old chats",
    "screen_link": "links to the meeting room's screen are credentials of one session: ask a new one with /scherm",
    # Not a group's data at all: the instances' own bookkeeping.
    "inbound_update": "webhook updates of this installation, kept a day for the dedupe",
    "deadline_run": "which instance handled a round's deadline",
    "instance_setting": "settings every instance on this database shares (the ballot key's fingerprint)",
}

# Columns that stay home: chat-bound or secret (join token), per-instance state, or a pseudonym.
OMITTED: dict[str, frozenset[str]] = {
    # generation and previous_id place it among its chat's trajectories: the restored one is the new group's own.
    "trajectory": frozenset({"chat_id", "join_token", "active", "purged_at", "generation", "previous_id"}),
    "person": frozenset({"reachable", "current_trajectory_id"}),
    "ballot": frozenset({"pseudonym"}),
}

# Nothing of an open round's ballots leaves. A closed round's figures (and its ballots, counted,
# without scores or pseudonym) leave where the group saw them; the scores per ballot only where
# enough voted that none stands for one member (storage/voting/closing.py, docs/privacy.md).
SCORES_FROM, FIGURES_FROM = PER_BALLOT_MIN, FIGURES_MIN

# Message ids of the old chats mean nothing in the new group: emptied on restore.
MESSAGE_IDS: dict[str, str] = {
    "meeting": "synthesis_message_id",
    "dialogue": "question_message_id",
    "voting_round": "progress_message_id",
    "ballot_delivery": "message_id",
    "evaluation_delivery": "message_id",
}

# Trajectory settings a restore copies onto the new group (its chat, title and link stay its own).
TRAJECTORY_FIELDS = (
    "organisation",
    "language",
    "timezone",
    "phase",
    "sought",
    "rule_key",
    "quorum_pct",
    "close_when_all_voted",
    "created_at",
    "closed_at",
)

# A group counts as fresh (a restore may go in) while none of these holds a row for it.
CONTENT = (
    Theme,
    TrajectoryNote,
    Meeting,
    Question,
    Dialogue,
    GlossaryTerm,
    VotingRound,
    DreamCollection,
    DreamImage,
    DreamProposal,
    Goal,
    CouncilDecision,
    Evaluation,
)

MODELS = {
    model.__tablename__: model
    for model in (
        Trajectory,
        Person,
        Membership,
        Theme,
        ThemeSdg,
        GoodPractice,
        TrajectoryNote,
        Meeting,
        Question,
        Dialogue,
        Contribution,
        GlossaryTerm,
        VotingRound,
        RoundTheme,
        Ballot,
        Score,
        BallotDelivery,
        RoundResult,
        DreamCollection,
        DreamImage,
        DreamDone,
        DreamProposal,
        Goal,
        CouncilDecision,
        FollowupPlan,
        FollowupGoal,
        FollowupRound,
        FollowupReport,
        Evaluation,
        EvaluationAnswer,
        EvaluationDelivery,
    )
}


def _kind(column_type: object) -> str:
    if isinstance(column_type, UTCDateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Float):
        return "float"
    if isinstance(column_type, Integer):  # BigInteger too
        return "int"
    if isinstance(column_type, String | Text):
        return "str"
    raise TypeError(f"no archive kind for {column_type!r}")


def schema() -> tuple[TableSpec, ...]:
    """What each exported table holds, read from the models (so a new column is exported too)."""
    specs = []
    for name in EXPORTED:
        table = Base.metadata.tables[name]
        columns = []
        for column in table.columns:
            if column.name in OMITTED.get(name, ()):
                continue
            references = next((fk.column.table.name for fk in column.foreign_keys), None)
            length = column.type.length if isinstance(column.type, String) else None
            columns.append(ColumnSpec(column.name, _kind(column.type), bool(column.nullable), references, length))
        has_id = [c.name for c in table.primary_key.columns] == ["id"]
        specs.append(TableSpec(name, tuple(columns), has_id))
    return tuple(specs)


# --- export ------------------------------------------------------------------------------


def export_trajectory(session: Session, trajectory_id: int) -> Tables:
    """Every exported table of the trajectory as plain rows (JSON-ready), in source-id order."""
    specs = {spec.name: spec for spec in schema()}
    tables: Tables = {}
    ids: dict[str, set[int]] = {}
    for name, scope in EXPORTED.items():
        if scope is None:
            continue
        model = MODELS[name]
        if name == "trajectory":
            wanted: set[int] = {trajectory_id}
        else:
            parent = next(iter(model.__table__.c[scope].foreign_keys)).column.table.name
            wanted = ids[parent]
        if name in ("ballot", "round_result"):  # a closed round's ballots, counted: no scores, no pseudonym
            wanted = _rounds_with_ballots(session, wanted, FIGURES_FROM)
        if name == "score":  # scores per ballot only where five or more voted
            scored = _rounds_with_ballots(session, {row["round_id"] for row in tables["ballot"]}, SCORES_FROM)  # type: ignore[misc]
            wanted = {row["id"] for row in tables["ballot"] if row["round_id"] in scored}  # type: ignore[misc]
        rows = (
            session.scalars(
                select(model).where(model.__table__.c[scope].in_(wanted)).order_by(*model.__table__.primary_key.columns)
            ).all()
            if wanted
            else []
        )
        tables[name] = [_plain(specs[name], row) for row in rows]
        if specs[name].has_id:
            ids[name] = {row["id"] for row in tables[name]}  # type: ignore[misc]
    people: set[int] = set()
    for spec in specs.values():
        for column in spec.columns:
            if column.references == "person":
                people |= {row[column.name] for row in tables[spec.name] if row[column.name] is not None}  # type: ignore[misc]
    persons = session.scalars(select(Person).where(Person.id.in_(people)).order_by(Person.id)).all() if people else []
    tables["person"] = [_plain(specs["person"], row) for row in persons]
    return {name: tables[name] for name in EXPORTED}


def _rounds_with_ballots(session: Session, rounds: set[int], least: int) -> set[int]:
    """Of these rounds, the closed ones with at least ``least`` submitted ballots: an open
    round's ballots and scores never leave, nor a small round's."""
    if not rounds:
        return set()
    found = session.execute(
        select(VotingRound.id)
        .join(Ballot, Ballot.round_id == VotingRound.id)
        .where(VotingRound.id.in_(rounds), VotingRound.status == "closed", Ballot.submitted.is_(True))
        .group_by(VotingRound.id)
        .having(func.count(Ballot.id) >= least)
    )
    return set(found.scalars())


def _plain(spec: TableSpec, row: object) -> dict[str, object]:
    return {column.name: to_json_value(getattr(row, column.name)) for column in spec.columns}


# --- restore -----------------------------------------------------------------------------


def is_fresh(session: Session, trajectory_id: int) -> bool:
    """Nothing happened in the group yet: no themes, questions, sessions, rounds, ... ."""
    for model in CONTENT:
        found = session.scalar(select(func.count()).select_from(model).where(model.trajectory_id == trajectory_id))
        if found:
            return False
    return True


def _decode(spec: TableSpec, row: Mapping[str, object]) -> dict[str, object]:
    values: dict[str, object] = {}
    for column in spec.columns:
        value = row[column.name]
        if value is not None and column.kind == "datetime":
            value = datetime.fromisoformat(value)  # type: ignore[arg-type]
        elif value is not None and column.kind == "date":
            value = date.fromisoformat(value)  # type: ignore[arg-type]
        elif value is not None and column.kind == "float":
            value = float(value)  # type: ignore[arg-type]
        values[column.name] = value
    return values


def _person_ids(session: Session, rows: list[dict[str, object]]) -> dict[object, int]:
    """Archive person id -> person here: the same Telegram user is linked again by telegram id;
    someone new is added (not reachable until they open the private chat); a forgotten person
    comes back as a fresh tombstone of this instance."""
    found: dict[object, int] = {}
    for row in rows:
        telegram_id = row["telegram_id"]
        forgotten = row["forgotten_at"] is not None or (isinstance(telegram_id, int) and telegram_id <= 0)
        person = None if forgotten else session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None:
            values = {key: value for key, value in row.items() if key != "id"}
            if forgotten:
                # A placeholder id that no Telegram user has, replaced by -id right after the flush.
                values.update(
                    first_name="",
                    last_name=None,
                    username=None,
                    language=None,
                    telegram_id=-(2**62) - secrets.randbelow(2**40),
                )
                values["forgotten_at"] = values["forgotten_at"] or datetime.fromisoformat("1970-01-01T00:00:00+00:00")
            person = Person(**values, reachable=False)
            session.add(person)
            session.flush()
            if forgotten:
                person.telegram_id = -person.id
        found[row["id"]] = person.id
    return found


def restore(session: Session, trajectory_id: int, tables: Tables) -> dict[str, int]:
    """Insert a checked archive (``method.portability.archive.read_zip``) into a fresh trajectory.

    Everything runs in the caller's transaction: any failure leaves the group as it was.
    Returns the row counts per table. Raises ArchiveError("not_empty") for a group with data.
    """
    target = session.scalar(select(Trajectory).where(Trajectory.id == trajectory_id).with_for_update())
    if target is None or not is_fresh(session, trajectory_id):
        raise ArchiveError("not_empty")
    specs = {spec.name: spec for spec in schema()}
    (source,) = [_decode(specs["trajectory"], row) for row in tables["trajectory"]]
    for name in TRAJECTORY_FIELDS:
        if name != "organisation" or source[name]:
            setattr(target, name, source[name])
    maps: dict[str, dict[object, int]] = {"trajectory": {source["id"]: trajectory_id}}
    maps["person"] = _person_ids(session, [_decode(specs["person"], row) for row in tables["person"]])
    counts = {"trajectory": 1, "person": len(maps["person"])}
    for name in list(EXPORTED)[2:]:
        counts[name] = _insert_table(session, specs[name], tables[name], maps, trajectory_id)
    return counts


def _insert_table(
    session: Session,
    spec: TableSpec,
    rows: list[dict[str, object]],
    maps: dict[str, dict[object, int]],
    trajectory_id: int,
) -> int:
    model = MODELS[spec.name]
    pending: list[tuple[object, dict[str, object]]] = []
    later: list[tuple[object, dict[str, object]]] = []  # self-references, set once all rows have ids
    for row in rows:
        values = _decode(spec, row)
        source_id = values.pop("id", None)
        own: dict[str, object] = {}
        for column in spec.columns:
            if column.references is None or values[column.name] is None:
                continue
            if column.references == spec.name:
                own[column.name] = values[column.name]
                values[column.name] = None
            else:
                values[column.name] = maps[column.references][values[column.name]]
        if spec.name in MESSAGE_IDS:
            values[MESSAGE_IDS[spec.name]] = None
        if spec.name == "ballot":
            values["pseudonym"] = f"restored:{secrets.token_hex(16)}"
        if spec.name == "voting_round" and values["outcome"]:
            values["outcome"] = remap_outcome(values["outcome"], maps["theme"])  # type: ignore[arg-type]
        if spec.name == "voting_round" and values["status"] == "open":
            # Nobody can find their ballot again under the new round id: the round is not resumed.
            values["status"] = "cancelled"
        if spec.name == "membership" and _merge_membership(session, values):
            continue
        entity = model(**values)
        session.add(entity)
        pending.append((source_id, entity))
        if own:
            later.append((entity, own))
    session.flush()
    if spec.has_id:
        maps[spec.name] = {source_id: entity.id for source_id, entity in pending}  # type: ignore[attr-defined]
    for entity, own in later:
        for column, value in own.items():
            setattr(entity, column, maps[spec.name][value])
    session.flush()
    return len(rows)


def remap_outcome(text: str, themes: Mapping[object, object]) -> str:
    """A round's consensus outcome (JSON, see storage/voting.py) names themes by id: map them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ArchiveError("bad_value", {"table": "voting_round", "row": 0, "column": "outcome"}) from None
    if not isinstance(data, dict):
        raise ArchiveError("bad_value", {"table": "voting_round", "row": 0, "column": "outcome"})
    for key, value in data.items():
        if isinstance(value, list) and all(isinstance(item, int) for item in value):
            if any(item not in themes for item in value):
                raise ArchiveError("broken_link", {"table": "voting_round", "row": 0, "column": "outcome"})
            data[key] = [themes[item] for item in value]
    return json.dumps(data)


def _merge_membership(session: Session, values: dict[str, object]) -> bool:
    """The moderator who sends /herstel (and anyone seen in the new group) already has a row:
    it takes the archive's place, keeping the moderator role if either side has it."""
    existing = session.scalar(
        select(Membership).where(
            Membership.trajectory_id == values["trajectory_id"], Membership.person_id == values["person_id"]
        )
    )
    if existing is None:
        return False
    if values["role"] == "moderator":
        existing.role = "moderator"
    if existing.status != "joined":
        existing.status = values["status"]  # type: ignore[assignment]
    existing.joined_at = existing.joined_at or values["joined_at"]  # type: ignore[assignment]
    existing.created_at = values["created_at"]  # type: ignore[assignment]
    return True
