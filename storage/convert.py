"""Model rows to plain records."""

from __future__ import annotations

from storage.models import Membership, Person, Prompt, Trajectory
from storage.records import MemberRecord, PersonRecord, PromptRecord, TrajectoryRecord


def trajectory_record(row: Trajectory) -> TrajectoryRecord:
    return TrajectoryRecord(
        id=row.id,
        chat_id=row.chat_id,
        title=row.title,
        organisation=row.organisation,
        language=row.language,
        timezone=row.timezone,
        join_token=row.join_token,
        phase=row.phase,
        active=row.active,
        closed_at=row.closed_at,
    )


def person_record(row: Person) -> PersonRecord:
    return PersonRecord(
        id=row.id,
        telegram_id=row.telegram_id,
        first_name=row.first_name,
        last_name=row.last_name,
        username=row.username,
        language=row.language,
        reachable=row.reachable,
        current_trajectory_id=row.current_trajectory_id,
    )


def member_record(membership: Membership, person: Person) -> MemberRecord:
    return MemberRecord(
        person=person_record(person),
        role=membership.role,
        status=membership.status,
        joined_at=membership.joined_at,
    )


def prompt_record(row: Prompt) -> PromptRecord:
    return PromptRecord(
        id=row.id,
        trajectory_id=row.trajectory_id,
        chat_id=row.chat_id,
        kind=row.kind,
        person_id=row.person_id,
        message_id=row.message_id,
        payload=row.payload,
    )
