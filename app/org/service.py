"""Services and teams: create, edit, archive and bring back. Every change is audited.

The functions add to the session and flush; the caller commits, so the change and its
audit event land in one transaction. A rule broken raises `OrgError(field, message)`.
"""

from __future__ import annotations

from sqlmodel import Session, func, or_, select

from app import audit
from app.frameworks import service as frameworks_service
from app.models import Service, Team, User, utcnow
from app.models.base import SETTING_LABELS


class OrgError(ValueError):
    """Rules about services or teams were broken: `errors` maps form field → message
    (`field` and `message` are the first of them)."""

    def __init__(self, field: str, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.errors = errors or {field: message}


# --- reading ------------------------------------------------------------------------------


def list_services(session: Session) -> list[tuple[Service, int]]:
    """Every service (active first, then archived) with how many active teams it has."""
    counts = dict(
        session.exec(
            select(Team.service_id, func.count(Team.id))
            .where(Team.archived_at.is_(None))
            .group_by(Team.service_id)
        ).all()
    )
    services = session.exec(select(Service).order_by(Service.name)).all()
    ordered = sorted(services, key=lambda s: s.archived_at is not None)
    return [(s, counts.get(s.id, 0)) for s in ordered]


def active_services(session: Session) -> list[Service]:
    return list(
        session.exec(
            select(Service).where(Service.archived_at.is_(None)).order_by(Service.name)
        ).all()
    )


def list_teams(session: Session) -> list[tuple[Team, Service]]:
    """Every team with its service, by service then team name (archived ones too)."""
    return list(
        session.exec(
            select(Team, Service)
            .join(Service, Service.id == Team.service_id)
            .order_by(Service.name, Team.name)
        ).all()
    )


def framework_choices(session: Session) -> list[tuple[str, str]]:
    """(key, title of its newest version) for every imported framework key."""
    return [(f.key, f.title) for f in frameworks_service.latest_versions(session)]


# --- services -----------------------------------------------------------------------------


def _clean_name(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise OrgError("name", f"Enter the {what} name")
    if len(name) > 120:
        raise OrgError("name", f"The {what} name must be 120 characters or fewer")
    return name


def _check_service_name(session: Session, name: str, *, exclude_id: int | None = None) -> None:
    # the exact name too: SQLite's lower() leaves non-ASCII letters alone (Ø stays Ø)
    same = or_(Service.name == name, func.lower(Service.name) == name.lower())
    query = select(Service).where(same)
    if exclude_id is not None:
        query = query.where(Service.id != exclude_id)
    if session.exec(query).first() is not None:
        raise OrgError("name", "There is already a service with this name. Choose another")


def create_service(session: Session, *, name: str, actor: User | None = None) -> Service:
    name = _clean_name(name, "service")
    _check_service_name(session, name)
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
    name = _clean_name(name, "service")
    _check_service_name(session, name, exclude_id=service.id)
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
    if archived:
        active = session.exec(
            select(func.count(Team.id)).where(
                Team.service_id == service.id, Team.archived_at.is_(None)
            )
        ).one()
        if active:
            teams = "team" if active == 1 else "teams"
            raise OrgError(
                "archive",
                f"This service still has {active} active {teams}. Archive them or move them "
                "to another service first",
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


def _team_fields(
    session: Session,
    *,
    name: str,
    service_id: int | None,
    setting: str,
    default_framework_key: str | None,
    team_id: int | None = None,
    current_service_id: int | None = None,
) -> dict:
    errors: dict[str, str] = {}
    try:
        name = _clean_name(name, "team")
    except OrgError as exc:
        errors[exc.field] = exc.message
    service = session.get(Service, service_id) if service_id else None
    if service is None:
        errors["service_id"] = "Choose the service this team belongs to"
    elif service.archived_at is not None and service.id != current_service_id:
        errors["service_id"] = "That service is archived. Choose an active service"
    if setting not in SETTING_LABELS:
        errors["setting"] = "Choose the kind of setting from the list"
    key = (default_framework_key or "").strip() or None
    if key is not None and frameworks_service.latest_for_key(session, key) is None:
        errors["default_framework_key"] = "Choose a framework from the list"
    if "name" not in errors and service is not None:
        query = select(Team).where(
            Team.service_id == service.id, func.lower(Team.name) == name.lower()
        )
        if team_id is not None:
            query = query.where(Team.id != team_id)
        if session.exec(query).first() is not None:
            errors["name"] = f"{service.name} already has a team with this name. Choose another"
    if errors:
        field, message = next(iter(errors.items()))
        raise OrgError(field, message, errors)
    return {
        "name": name,
        "service_id": service.id,
        "setting": setting,
        "default_framework_key": key,
    }


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
        name=name,
        service_id=service_id,
        setting=setting,
        default_framework_key=default_framework_key,
        team_id=team.id,
        current_service_id=team.service_id,
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
            raise OrgError(
                "archive",
                f"{service.name} is archived. Bring the service back first, or move the team "
                "to another service",
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
