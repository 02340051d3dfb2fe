"""Admin pages for services and teams: list, create, edit, archive and bring back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.core.i18n import N_, _, use_language
from app.db import SessionDep
from app.forms import form_for
from app.org import service as org_service
from app.org.deps import EditedService, EditedTeam
from app.org.forms import ButtonForm, ServiceForm, TeamForm
from app.org.pages import (
    show_edit_service,
    show_edit_team,
    show_new_service,
    show_new_team,
    show_services,
    show_teams,
)
from app.security.access import AdminUser
from app.web import language_of, redirect

router = APIRouter(prefix="/admin")

NewService = Annotated[
    ServiceForm, Depends(form_for(ServiceForm, show_new_service), scope="function")
]
ChangedService = Annotated[
    ServiceForm, Depends(form_for(ServiceForm, show_edit_service), scope="function")
]
ServiceButton = Annotated[
    ButtonForm, Depends(form_for(ButtonForm, show_edit_service), scope="function")
]
NewTeam = Annotated[TeamForm, Depends(form_for(TeamForm, show_new_team), scope="function")]
ChangedTeam = Annotated[TeamForm, Depends(form_for(TeamForm, show_edit_team), scope="function")]
TeamButton = Annotated[ButtonForm, Depends(form_for(ButtonForm, show_edit_team), scope="function")]


# --- services -----------------------------------------------------------------------------


def _said(request: Request, message: str, name: str) -> str:
    """A flash naming a team or service, written now in the person's language (a flash
    is kept as text; the name is data, not part of the sentence to translate)."""
    use_language(language_of(request))
    return _(message) % {"name": name}


@router.get("/services")
def services_page(request: Request, session: SessionDep, user: AdminUser):
    return show_services(request, session)


@router.get("/services/new")
def service_new(request: Request, user: AdminUser):
    return show_new_service(request)


@router.post("/services")
def service_create(request: Request, session: SessionDep, user: AdminUser, form: NewService):
    service = org_service.create_service(session, name=form.name, actor=user)
    return redirect(
        request,
        "/admin/services",
        flash=_said(request, N_("Service “%(name)s” added."), service.name),
    )


@router.get("/services/{service_id}/edit")
def service_edit(request: Request, session: SessionDep, service: EditedService):
    return show_edit_service(request, session, service)


@router.post("/services/{service_id}")
def service_update(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    service: EditedService,
    form: ChangedService,
):
    org_service.update_service(session, service, name=form.name, actor=user)
    return redirect(
        request,
        "/admin/services",
        flash=_said(request, N_("Service “%(name)s” saved."), service.name),
    )


def _archive_service(request: Request, session, user, service, to: bool):
    org_service.archive_service(session, service, archived=to, actor=user)
    done = N_("Service “%(name)s” archived.") if to else N_("Service “%(name)s” brought back.")
    return redirect(request, "/admin/services", flash=_said(request, done, service.name))


@router.post("/services/{service_id}/archive")
def service_archive(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    service: EditedService,
    form: ServiceButton,
):
    return _archive_service(request, session, user, service, True)


@router.post("/services/{service_id}/unarchive")
def service_unarchive(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    service: EditedService,
    form: ServiceButton,
):
    return _archive_service(request, session, user, service, False)


# --- teams --------------------------------------------------------------------------------


@router.get("/teams")
def teams_page(request: Request, session: SessionDep, user: AdminUser):
    return show_teams(request, session)


@router.get("/teams/new")
def team_new(request: Request, session: SessionDep, user: AdminUser, service_id: int | None = None):
    return show_new_team(request, session, values={"service_id": service_id or ""})


@router.post("/teams")
def team_create(request: Request, session: SessionDep, user: AdminUser, form: NewTeam):
    team = org_service.create_team(session, **form.model_dump(), actor=user)
    return redirect(
        request, "/admin/teams", flash=_said(request, N_("Team “%(name)s” added."), team.name)
    )


@router.get("/teams/{team_id}/edit")
def team_edit(request: Request, session: SessionDep, team: EditedTeam):
    return show_edit_team(request, session, team)


@router.post("/teams/{team_id}")
def team_update(
    request: Request, session: SessionDep, user: AdminUser, team: EditedTeam, form: ChangedTeam
):
    org_service.update_team(session, team, **form.model_dump(), actor=user)
    return redirect(
        request, "/admin/teams", flash=_said(request, N_("Team “%(name)s” saved."), team.name)
    )


def _archive_team(request: Request, session, user, team, to: bool):
    org_service.archive_team(session, team, archived=to, actor=user)
    done = N_("Team “%(name)s” archived.") if to else N_("Team “%(name)s” brought back.")
    return redirect(request, "/admin/teams", flash=_said(request, done, team.name))


@router.post("/teams/{team_id}/archive")
def team_archive(
    request: Request, session: SessionDep, user: AdminUser, team: EditedTeam, form: TeamButton
):
    return _archive_team(request, session, user, team, True)


@router.post("/teams/{team_id}/unarchive")
def team_unarchive(
    request: Request, session: SessionDep, user: AdminUser, team: EditedTeam, form: TeamButton
):
    return _archive_team(request, session, user, team, False)
