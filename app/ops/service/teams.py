"""A team's data, whole: its export recorded, or the team deleted with everything that
belongs to it (admins only). Each writes its audit event and flushes; the request commits."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app import audit
from app.core.refused import Refused
from app.models import Team, User
from app.ops.exports import team_data
from app.ops.queries import owned_rows, team_where
from app.ops.service.graph import delete_owned


def export_team(session: Session, team_id: int, *, actor: User | None = None) -> dict[str, Any]:
    """The team's data (app.ops.exports.team_data), the export recorded in the audit log."""
    data = team_data(session, team_id, actor=actor)
    audit.record(
        session, verb="export", entity="team", entity_id=team_id, actor=actor, team_id=team_id
    )
    session.flush()
    return data


def same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def delete_team_named(session: Session, team: Team, typed: str, *, actor: User) -> str:
    """Delete the team if `typed` is its name (spaces and case aside); its name."""
    if not same_name(typed, team.name):
        raise Refused(
            f"Type the team's name exactly as shown: {team.name}",
            status=422,
            field="confirm_name",
        )
    name = team.name
    delete_team(session, team.id, actor=actor)
    return name


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
    counts = delete_owned(session, owned_rows(team_where(team_id)))
    audit.record(
        session,
        verb="delete",
        entity="team",
        entity_id=team_id,
        actor=actor,
        team_id=team_id,
        detail={"name": name, "rows": {k: v for k, v in counts.items() if v}},
    )
    session.flush()
    return counts
