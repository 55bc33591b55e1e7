"""Values every instance on one database must agree on, written by the first one to start."""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import InstanceSetting


def remember(session: Session, name: str, value: str) -> str:
    """Store ``value`` under ``name`` unless a value is there already; return the stored one."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(InstanceSetting).values(name=name, value=value).on_conflict_do_nothing())
    stored = session.get(InstanceSetting, name)
    assert stored is not None
    return stored.value
