"""Admin pages for services and teams: list, create, edit, archive and bring back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session

from app.db import SessionDep
from app.forms import invalid, read_form_values, validate_form
from app.models import Service, Team
from app.models.base import SETTING_LABELS
from app.org import service as org_service
from app.org.service import OrgError
from app.security.access import AdminUser
from app.web import redirect, render

router = APIRouter(prefix="/admin")

SERVICE_FORM = "org/service_form.html"
TEAM_FORM = "org/team_form.html"

# the form is read in the event loop; the routes are sync so database work runs in the
# threadpool (with SQLite, a transaction in the event loop can stall other requests)
FormValues = Annotated[dict[str, Any], Depends(read_form_values)]


class ServiceForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(title="the service name", min_length=1, max_length=120)


class TeamForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = ""  # checked by the service, with every other problem at once
    service_id: int | None = Field(default=None, title="the service")
    setting: str = ""
    default_framework_key: str = ""

    @field_validator("service_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value in ("", None) else value


def _get(session: Session, model: type, record_id: int):
    record = session.get(model, record_id)
    if record is None:
        raise HTTPException(404)
    return record


# --- services -----------------------------------------------------------------------------


@router.get("/services")
def services_page(request: Request, session: SessionDep, user: AdminUser):
    services = org_service.list_services(session)
    return render(request, "org/services.html", {"page_title": "Services", "services": services})


@router.get("/services/new")
def service_new(request: Request, user: AdminUser):
    return render(request, SERVICE_FORM, {"page_title": "Add a service", "service": None})


@router.post("/services")
def service_create(request: Request, session: SessionDep, user: AdminUser, values: FormValues):
    context = {"page_title": "Add a service", "service": None}
    data = validate_form(ServiceForm, values, template=SERVICE_FORM, context=context)
    try:
        service = org_service.create_service(session, name=data.name, actor=user)
    except OrgError as exc:
        raise invalid(SERVICE_FORM, data, context, **exc.errors) from None
    session.commit()
    return redirect(request, "/admin/services", flash=f"Service “{service.name}” added.")


def _service_context(session: Session, service: Service) -> dict:
    teams = [t for t, _s in org_service.list_teams(session) if t.service_id == service.id]
    return {"page_title": f"Edit {service.name}", "service": service, "teams": teams}


@router.get("/services/{service_id}/edit")
def service_edit(request: Request, service_id: int, session: SessionDep, user: AdminUser):
    service = _get(session, Service, service_id)
    context = _service_context(session, service)
    return render(request, SERVICE_FORM, {**context, "values": {"name": service.name}})


@router.post("/services/{service_id}")
def service_update(
    request: Request, service_id: int, session: SessionDep, user: AdminUser, values: FormValues
):
    service = _get(session, Service, service_id)
    context = _service_context(session, service)
    data = validate_form(ServiceForm, values, template=SERVICE_FORM, context=context)
    try:
        org_service.update_service(session, service, name=data.name, actor=user)
    except OrgError as exc:
        raise invalid(SERVICE_FORM, data, context, **exc.errors) from None
    session.commit()
    return redirect(request, "/admin/services", flash=f"Service “{service.name}” saved.")


def _archive_service(request: Request, session: Session, user, service_id: int, to: bool):
    service = _get(session, Service, service_id)
    try:
        org_service.archive_service(session, service, archived=to, actor=user)
    except OrgError as exc:
        context = _service_context(session, service)
        raise invalid(SERVICE_FORM, {"name": service.name}, context, **exc.errors) from None
    session.commit()
    done = "archived" if to else "brought back"
    return redirect(request, "/admin/services", flash=f"Service “{service.name}” {done}.")


@router.post("/services/{service_id}/archive")
def service_archive(request: Request, service_id: int, session: SessionDep, user: AdminUser):
    return _archive_service(request, session, user, service_id, True)


@router.post("/services/{service_id}/unarchive")
def service_unarchive(request: Request, service_id: int, session: SessionDep, user: AdminUser):
    return _archive_service(request, session, user, service_id, False)


# --- teams --------------------------------------------------------------------------------


def _team_context(session: Session, team: Team | None) -> dict:
    services = org_service.active_services(session)
    if team is not None and all(s.id != team.service_id for s in services):
        services.append(session.get(Service, team.service_id))  # keep its archived service
    return {
        "page_title": f"Edit {team.name}" if team else "Add a team",
        "team": team,
        "service_options": [(s.id, s.name) for s in services],
        "setting_options": list(SETTING_LABELS.items()),
        "framework_options": org_service.framework_choices(session),
    }


def _team_values(team: Team) -> dict:
    return {
        "name": team.name,
        "service_id": team.service_id,
        "setting": team.setting,
        "default_framework_key": team.default_framework_key or "",
    }


@router.get("/teams")
def teams_page(request: Request, session: SessionDep, user: AdminUser):
    rows = org_service.list_teams(session)
    titles = dict(org_service.framework_choices(session))
    return render(
        request,
        "org/teams.html",
        {
            "page_title": "Teams",
            "active": [(t, s) for t, s in rows if t.archived_at is None],
            "archived": [(t, s) for t, s in rows if t.archived_at is not None],
            "framework_titles": titles,
            "has_services": bool(org_service.active_services(session)),
        },
    )


@router.get("/teams/new")
def team_new(request: Request, session: SessionDep, user: AdminUser, service_id: int | None = None):
    context = _team_context(session, None)
    return render(request, TEAM_FORM, {**context, "values": {"service_id": service_id or ""}})


@router.post("/teams")
def team_create(request: Request, session: SessionDep, user: AdminUser, values: FormValues):
    context = _team_context(session, None)
    data = validate_form(TeamForm, values, template=TEAM_FORM, context=context)
    try:
        team = org_service.create_team(session, **data.model_dump(), actor=user)
    except OrgError as exc:
        raise invalid(TEAM_FORM, data, context, **exc.errors) from None
    session.commit()
    return redirect(request, "/admin/teams", flash=f"Team “{team.name}” added.")


@router.get("/teams/{team_id}/edit")
def team_edit(request: Request, team_id: int, session: SessionDep, user: AdminUser):
    team = _get(session, Team, team_id)
    context = _team_context(session, team)
    return render(request, TEAM_FORM, {**context, "values": _team_values(team)})


@router.post("/teams/{team_id}")
def team_update(
    request: Request, team_id: int, session: SessionDep, user: AdminUser, values: FormValues
):
    team = _get(session, Team, team_id)
    context = _team_context(session, team)
    data = validate_form(TeamForm, values, template=TEAM_FORM, context=context)
    try:
        org_service.update_team(session, team, **data.model_dump(), actor=user)
    except OrgError as exc:
        raise invalid(TEAM_FORM, data, context, **exc.errors) from None
    session.commit()
    return redirect(request, "/admin/teams", flash=f"Team “{team.name}” saved.")


def _archive_team(request: Request, session: Session, user, team_id: int, to: bool):
    team = _get(session, Team, team_id)
    try:
        org_service.archive_team(session, team, archived=to, actor=user)
    except OrgError as exc:
        context = _team_context(session, team)
        raise invalid(TEAM_FORM, _team_values(team), context, **exc.errors) from None
    session.commit()
    done = "archived" if to else "brought back"
    return redirect(request, "/admin/teams", flash=f"Team “{team.name}” {done}.")


@router.post("/teams/{team_id}/archive")
def team_archive(request: Request, team_id: int, session: SessionDep, user: AdminUser):
    return _archive_team(request, session, user, team_id, True)


@router.post("/teams/{team_id}/unarchive")
def team_unarchive(request: Request, team_id: int, session: SessionDep, user: AdminUser):
    return _archive_team(request, session, user, team_id, False)
