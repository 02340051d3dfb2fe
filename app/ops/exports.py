"""A team's data, whole, as JSON (admins only): everything that belongs to the team, found
from the tables' foreign keys (app.ops.service.graph), so a table added later is in it."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.models import AuditEvent, Framework, Service, Statement, Team, User, utcnow
from app.ops.queries import SECTION_NAMES, owned_rows, team_where

FORMAT = "trip-team-export/1"


# A participant appears by perspective and alias only: how they chose to read (Easy Read)
# is a need of theirs that could single them out, so it stays in the app.
PRIVATE = {("participant", "easy_read")}


def _secret(table: str, column: str) -> bool:
    """Never exported: token and password hashes, and the PRIVATE columns."""
    return column.endswith("_hash") or column in ("token", "password") or (table, column) in PRIVATE


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(session: Session, table, where) -> list[dict[str, Any]]:
    columns = [c for c in table.columns if not _secret(table.name, c.name)]
    order = list(table.primary_key.columns)
    result = session.execute(select(*columns).where(where).order_by(*order))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


def team_data(session: Session, team_id: int, *, actor: User | None = None) -> dict[str, Any]:
    """Everything that belongs to the team, as plain JSON-ready data.

    Members are named (only admins may export). Participants appear by perspective and
    alias only. The audit events about the team come last. The export is recorded by
    app.ops.service.export_team.
    """
    team = session.get(Team, team_id)
    if team is None:
        raise LookupError(team_id)
    data: dict[str, Any] = {
        "format": FORMAT,
        "made_at": _plain(utcnow()),
        "made_by": actor.username if actor else "system",
    }
    for item in owned_rows(team_where(team_id)):
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
    return data


def team_json(data: dict[str, Any]) -> tuple[str, str]:
    """(the file's text, its name)."""
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return body, f"trip-team-{data['team']['id']}-{data['made_at'][:10]}.json"
