"""A team's data, whole: exported as JSON, or deleted (admins only)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app import audit
from app.models import AuditEvent, Framework, Service, Statement, Team, User, metadata, utcnow
from app.ops.graph import delete_owned, owned_rows

FORMAT = "trip-team-export/1"

# Friendly names for the tables in the export; a table added later appears by its own name.
SECTION_NAMES = {
    "teammember": "members",
    "invitation": "invitations",
    "round": "rounds",
    "participant": "participants",
    "rating": "ratings",
    "agreed_rating": "agreed_ratings",
    "statement_summary": "summaries",
    "publication": "publications",
    "published_cell": "published_cells",
    "publication_member": "publication_members",
    "asset": "assets",
    "plan": "plans",
    "priority": "priorities",
    "priority_statement": "priority_statements",
    "priority_helper": "priority_helpers",
    "action": "actions",
    "action_helper": "action_helpers",
    "action_update": "updates",
    "review": "reviews",
    "celebration": "celebrations",
}


def _secret(column: str) -> bool:
    """Never exported: token and password hashes (participants appear by perspective/alias)."""
    return column.endswith("_hash") or column in ("token", "password")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(session: Session, table, where) -> list[dict[str, Any]]:
    columns = [c for c in table.columns if not _secret(c.name)]
    order = list(table.primary_key.columns)
    result = session.execute(select(*columns).where(where).order_by(*order))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


def _team_where(team_id: int):
    return {"team": metadata.tables["team"].c.id == team_id}


def export_team(session: Session, team_id: int, *, actor: User | None = None) -> dict[str, Any]:
    """Everything that belongs to the team, as plain JSON-ready data.

    Members are named (only admins may export). Participants appear by perspective and
    alias only. The audit events about the team come last. Records the export in the
    audit log (the caller commits).
    """
    team = session.get(Team, team_id)
    if team is None:
        raise LookupError(team_id)
    data: dict[str, Any] = {
        "format": FORMAT,
        "made_at": _plain(utcnow()),
        "made_by": actor.username if actor else "system",
    }
    for item in owned_rows(_team_where(team_id)):
        rows = _rows(session, item.table, item.where)
        if item.table.name == "team":
            data["team"] = rows[0]
        else:
            data[SECTION_NAMES.get(item.table.name, item.table.name)] = rows
    service = session.get(Service, team.service_id)
    data["service"] = {"id": service.id, "name": service.name} if service else None
    member_user_ids = {m["user_id"] for m in data.get("members", []) if m.get("user_id")}
    data["accounts"] = [
        {"id": u.id, "username": u.username}
        for u in session.exec(select(User).where(User.id.in_(member_user_ids))).scalars()
    ]
    framework_ids = {r["framework_id"] for r in data.get("rounds", [])}
    data["frameworks"] = [
        {"id": f.id, "key": f.key, "version": f.version, "title": f.title}
        for f in session.exec(select(Framework).where(Framework.id.in_(framework_ids))).scalars()
    ]
    data["statements"] = [
        {"id": s.id, "framework_id": s.framework_id, "code": s.code, "text": s.text}
        for s in session.exec(
            select(Statement).where(Statement.framework_id.in_(framework_ids))
        ).scalars()
    ]
    audit_table = AuditEvent.__table__
    data["audit_events"] = _rows(session, audit_table, audit_table.c.team_id == team_id)
    audit.record(
        session, verb="export", entity="team", entity_id=team_id, actor=actor, team_id=team_id
    )
    return data


def count_team_rows(session: Session, team_id: int) -> dict[str, int]:
    """How many rows of each kind the team has (shown before deleting)."""
    from sqlalchemy import func

    counts: dict[str, int] = {}
    for item in owned_rows(_team_where(team_id)):
        if item.table.name == "team":
            continue
        n = session.execute(select(func.count()).select_from(item.table).where(item.where))
        counts[SECTION_NAMES.get(item.table.name, item.table.name)] = n.scalar_one()
    return counts


def delete_team(session: Session, team_id: int, *, actor: User | None = None) -> dict[str, int]:
    """Delete the team and everything belonging to it, in the caller's transaction.

    Other teams, accounts, services and frameworks stay. The audit log is append-only:
    its past events keep their team number, and one more event records the deletion.
    """
    team = session.get(Team, team_id)
    if team is None:
        raise LookupError(team_id)
    name = team.name
    session.expunge(team)
    counts = delete_owned(session, owned_rows(_team_where(team_id)))
    audit.record(
        session,
        verb="delete",
        entity="team",
        entity_id=team_id,
        actor=actor,
        team_id=team_id,
        detail={"name": name, "rows": {k: v for k, v in counts.items() if v}},
    )
    return counts
