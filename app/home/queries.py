"""Home's read models: is the database reachable, are its migrations at head, and the
teams an administrator sees on the home page."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import alembic_config
from app.models import Service, Team


def database_state(engine: Engine) -> str:
    """ "ok", or why the database cannot be reached (the point is to say so, not to fail)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ok"


def migration_state(engine: Engine) -> dict[str, str]:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as exc:
        return {"database": f"unreachable: {type(exc).__name__}", "migrations": "unknown"}
    return {
        "database": "ok",
        "migrations": "at head" if current == heads else "behind",
        "current": ",".join(sorted(current)) or "none",
        "head": ",".join(sorted(heads)),
    }


def active_teams(session: Session) -> list[tuple[Team, Service]]:
    return list(
        session.exec(
            select(Team, Service)
            .join(Service, Service.id == Team.service_id)
            .where(Team.archived_at.is_(None))
            .order_by(Service.name, Team.name)
        ).all()
    )
