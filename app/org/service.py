"""Services and teams: create, edit, archive and bring back. Every change is audited.

The functions add to the session and flush; the request commits, so the change and its
audit event land in one transaction. A rule broken raises `Refused(message, status=422,
field=...)` (for a team, the first of its problems: `queries.team_fields` lists them all).
"""

from __future__ import annotations

from sqlmodel import Session

from app import audit
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Service, Team, User, utcnow
from app.org import queries

# --- services -----------------------------------------------------------------------------


ACTIVE_TEAMS_ONE = N_(
    "This service still has %(count)s active team. Archive it or move it to another service first"
)
ACTIVE_TEAMS = N_(
    "This service still has %(count)s active teams. Archive them or move them to another "
    "service first"
)


def _service_name(session: Session, name: str, *, exclude_id: int | None = None) -> str:
    name, problem = queries.clean_name(name, "service")
    if problem:
        raise Refused(problem, status=422, field="name")
    if queries.service_name_taken(session, name, exclude_id=exclude_id):
        raise Refused(
            N_("There is already a service with this name. Choose another"),
            status=422,
            field="name",
        )
    return name


def create_service(session: Session, *, name: str, actor: User | None = None) -> Service:
    name = _service_name(session, name)
    service = Service(name=name)
    session.add(service)
    session.flush()
    audit.record(
        session,
        verb="service.created",
        entity="service",
        entity_id=service.id,
        actor=actor,
        detail={"name": name},
    )
    return service


def update_service(
    session: Session, service: Service, *, name: str, actor: User | None = None
) -> Service:
    name = _service_name(session, name, exclude_id=service.id)
    if name != service.name:
        audit.record(
            session,
            verb="service.updated",
            entity="service",
            entity_id=service.id,
            actor=actor,
            detail={"name": [service.name, name]},
        )
        service.name = name
        session.add(service)
        session.flush()
    return service


def archive_service(
    session: Session, service: Service, *, archived: bool = True, actor: User | None = None
) -> Service:
    """Archive (or, with archived=False, bring back) a service.

    A service with active teams cannot be archived: archive or move its teams first.
    """
    if archived == (service.archived_at is not None):
        return service
    if archived and (active := queries.active_team_count(session, service)):
        raise Refused(
            ACTIVE_TEAMS_ONE if active == 1 else ACTIVE_TEAMS,
            status=422,
            values={"count": active},
            field="archive",
        )
    service.archived_at = utcnow() if archived else None
    session.add(service)
    audit.record(
        session,
        verb="service.archived" if archived else "service.unarchived",
        entity="service",
        entity_id=service.id,
        actor=actor,
        detail={"name": service.name},
    )
    session.flush()
    return service


# --- teams --------------------------------------------------------------------------------


def _team_fields(session: Session, team: Team | None = None, **typed) -> dict:
    checked = queries.team_fields(session, team=team, **typed)
    if checked.problems:
        field, message = next(iter(checked.problems.items()))
        raise Refused(message, status=422, field=field)
    return checked.fields


def create_team(
    session: Session,
    *,
    name: str,
    service_id: int | None,
    setting: str,
    default_framework_key: str | None = None,
    actor: User | None = None,
) -> Team:
    fields = _team_fields(
        session,
        name=name,
        service_id=service_id,
        setting=setting,
        default_framework_key=default_framework_key,
    )
    team = Team(**fields)
    session.add(team)
    session.flush()
    audit.record(
        session,
        verb="team.created",
        entity="team",
        entity_id=team.id,
        actor=actor,
        team_id=team.id,
        detail=dict(fields),
    )
    return team


def update_team(
    session: Session,
    team: Team,
    *,
    name: str,
    service_id: int | None,
    setting: str,
    default_framework_key: str | None = None,
    actor: User | None = None,
) -> Team:
    fields = _team_fields(
        session,
        team,
        name=name,
        service_id=service_id,
        setting=setting,
        default_framework_key=default_framework_key,
    )
    changes = {
        field: [getattr(team, field), value]
        for field, value in fields.items()
        if getattr(team, field) != value
    }
    if changes:
        for field, (_old, new) in changes.items():
            setattr(team, field, new)
        session.add(team)
        audit.record(
            session,
            verb="team.updated",
            entity="team",
            entity_id=team.id,
            actor=actor,
            team_id=team.id,
            detail=changes,
        )
        session.flush()
    return team


def archive_team(
    session: Session, team: Team, *, archived: bool = True, actor: User | None = None
) -> Team:
    """Archive (or, with archived=False, bring back) a team. Its history is kept."""
    if archived == (team.archived_at is not None):
        return team
    if not archived:
        service = session.get(Service, team.service_id)
        if service is not None and service.archived_at is not None:
            raise Refused(
                f"{service.name} is archived. Bring the service back first, or move the team "
                "to another service",
                status=422,
                field="archive",
            )
    team.archived_at = utcnow() if archived else None
    session.add(team)
    audit.record(
        session,
        verb="team.archived" if archived else "team.unarchived",
        entity="team",
        entity_id=team.id,
        actor=actor,
        team_id=team.id,
        detail={"name": team.name},
    )
    session.flush()
    return team
