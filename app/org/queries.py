"""Org's read models: services and teams for the admin pages, and the checks a team's
fields must pass (every problem at once, so the form can show them all)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, func, or_, select

from app.core import naming
from app.core.i18n import N_
from app.frameworks import queries as frameworks_queries
from app.models import Service, Team, TeamMember
from app.models.base import SETTING_LABELS


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


def teams_of_service(session: Session, service: Service) -> list[Team]:
    return [t for t, _s in list_teams(session) if t.service_id == service.id]


def active_team_count(session: Session, service: Service) -> int:
    return session.exec(
        select(func.count(Team.id)).where(Team.service_id == service.id, Team.archived_at.is_(None))
    ).one()


def framework_choices(session: Session) -> list[tuple[str, str]]:
    """(key, title of its newest version) for every imported framework key."""
    return [(f.key, f.title) for f in frameworks_queries.latest_versions(session)]


def clean_name(name: str, what: str) -> tuple[str, str | None]:
    """The name with its spaces tidied, and what is wrong with it (or None)."""
    name = " ".join(name.split())
    if not name:
        return name, N_("Enter the team name") if what == "team" else N_("Enter the service name")
    if len(name) > 120:
        return name, (
            N_("The team name must be 120 characters or fewer")
            if what == "team"
            else N_("The service name must be 120 characters or fewer")
        )
    return name, None


def service_name_taken(session: Session, name: str, *, exclude_id: int | None = None) -> bool:
    # the exact name too: SQLite's lower() leaves non-ASCII letters alone (Ø stays Ø)
    same = or_(Service.name == name, func.lower(Service.name) == name.lower())
    query = select(Service).where(same)
    if exclude_id is not None:
        query = query.where(Service.id != exclude_id)
    return session.exec(query).first() is not None


@dataclass
class TeamFields:
    """A team's fields as they will be saved, and every problem with them (by field)."""

    fields: dict
    problems: dict[str, str] = field(default_factory=dict)


def team_fields(
    session: Session,
    *,
    name: str,
    service_id: int | None,
    setting: str,
    default_framework_key: str | None,
    team: Team | None = None,
) -> TeamFields:
    problems: dict[str, str] = {}
    name, problem = clean_name(name, "team")
    if problem:
        problems["name"] = problem
    service = session.get(Service, service_id) if service_id else None
    if service is None:
        problems["service_id"] = N_("Choose the service this team belongs to")
    elif service.archived_at is not None and (team is None or service.id != team.service_id):
        problems["service_id"] = N_("That service is archived. Choose an active service")
    if setting not in SETTING_LABELS:
        problems["setting"] = N_("Choose the kind of setting from the list")
    key = (default_framework_key or "").strip() or None
    if key is not None and frameworks_queries.latest_for_key(session, key) is None:
        problems["default_framework_key"] = N_("Choose a framework from the list")
    if "name" not in problems and service is not None:
        query = select(Team).where(
            Team.service_id == service.id, func.lower(Team.name) == name.lower()
        )
        if team is not None:
            query = query.where(Team.id != team.id)
        if session.exec(query).first() is not None:
            problems["name"] = f"{service.name} already has a team with this name. Choose another"
    fields = {
        "name": name,
        "service_id": service.id if service else None,
        "setting": setting,
        "default_framework_key": key,
    }
    return TeamFields(fields, problems)


# --- the names of a team's people, for the naming check (app.core.naming) -------------------


def team_display_names(session: Session, team_ids: Iterable[int]) -> dict[int, list[str]]:
    """{team_id: display names of its current and former members} (members who left keep
    their row, with `left_at` set). One query."""
    ids = set(team_ids)
    names: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return names
    for team_id, name in session.execute(
        select(TeamMember.team_id, TeamMember.display_name).where(TeamMember.team_id.in_(ids))
    ).all():
        names[team_id].append(name)
    return names


def display_names(session: Session, team_id: int) -> list[str]:
    return team_display_names(session, [team_id]).get(team_id, [])


def named_items(session: Session, plans, priorities, actions=()) -> naming.NamedItems:
    """NamedItems for plans of any teams, with their members' names (one query)."""
    plans = list(plans)
    names = team_display_names(session, {plan.team_id for plan in plans})
    return naming.NamedItems(plans, priorities, actions, names)
