"""Write to the append-only audit log (never passwords, tokens or session ids)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.models import AuditEvent, User


def record(
    session: Session,
    *,
    verb: str,
    entity: str,
    entity_id: Any = "",
    actor: User | None = None,
    actor_label: str | None = None,
    team_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the session (committed with the change it describes)."""
    event = AuditEvent(
        actor_user_id=actor.id if actor else None,
        actor=actor_label or (actor.username if actor else "system"),
        verb=verb,
        entity=entity,
        entity_id=str(entity_id) if entity_id is not None else "",
        team_id=team_id,
        detail=detail or {},
    )
    session.add(event)
    return event
