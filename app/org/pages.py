"""Org's pages: the services and teams lists and their forms (one show_… per form page, used
by its GET and its failed POST: app.forms.form_for). No `from __future__ import
annotations` here: form_for reads the show_… functions' dependencies from their annotations."""

from fastapi import Request

from app.core.i18n import N_
from app.db import SessionDep
from app.forms import read_form
from app.models import Service, Team
from app.models.base import SETTING_LABELS
from app.org import queries
from app.org.deps import EditedService, EditedTeam
from app.org.forms import TeamForm
from app.web import render

SERVICE_FORM = "org/service_form.html"
TEAM_FORM = "org/team_form.html"


def show_services(request: Request, session):
    services = queries.list_services(session)
    return render(
        request, "org/services.html", {"page_title": N_("Services"), "services": services}
    )


def show_new_service(request: Request, *, values=None, errors=None, status=200):
    context = {"page_title": N_("Add a service"), "service": None}
    context |= {"values": values or {}, "errors": errors or {}}
    return render(request, SERVICE_FORM, context, status_code=status)


def show_edit_service(
    request: Request,
    session: SessionDep,
    service: EditedService,
    *,
    values=None,
    errors=None,
    status=200,
):
    context = {
        "page_title": f"Edit {service.name}",
        "service": service,
        "teams": queries.teams_of_service(session, service),
        "values": {"name": service.name, **(values or {})},
        "errors": errors or {},
    }
    return render(request, SERVICE_FORM, context, status_code=status)


def show_teams(request: Request, session):
    rows = queries.list_teams(session)
    context = {
        "page_title": N_("Teams"),
        "active": [(t, s) for t, s in rows if t.archived_at is None],
        "archived": [(t, s) for t, s in rows if t.archived_at is not None],
        "framework_titles": dict(queries.framework_choices(session)),
        "has_services": bool(queries.active_services(session)),
    }
    return render(request, "org/teams.html", context)


def _every_problem(session, team: Team | None, values: dict, errors: dict) -> dict:
    """A refused team form shows every problem its typed values have, not only the first
    the service refused (the service stops at one)."""
    if "name" not in values:
        return errors
    typed, _problems = read_form(TeamForm, values)  # read as form_for reads it
    if typed is None:
        return errors  # form_for's own problems, already complete
    problems = queries.team_fields(session, team=team, **typed.model_dump()).problems
    for field, message in errors.items():
        problems.setdefault(field, message)
    return problems


def _team_form(request: Request, session, team: Team | None, values, errors, status):
    services = queries.active_services(session)
    if team is not None and all(s.id != team.service_id for s in services):
        services.append(session.get(Service, team.service_id))  # keep its archived service
    shown = {}
    if team is not None:
        shown = {
            "name": team.name,
            "service_id": team.service_id,
            "setting": team.setting,
            "default_framework_key": team.default_framework_key or "",
        }
    values = {**shown, **(values or {})}
    context = {
        "page_title": f"Edit {team.name}" if team else N_("Add a team"),
        "team": team,
        "service_options": [(s.id, s.name) for s in services],
        "setting_options": list(SETTING_LABELS.items()),
        "framework_options": queries.framework_choices(session),
        "values": values,
        "errors": _every_problem(session, team, values, errors) if errors else {},
    }
    return render(request, TEAM_FORM, context, status_code=status)


def show_new_team(request: Request, session: SessionDep, *, values=None, errors=None, status=200):
    return _team_form(request, session, None, values, errors, status)


def show_edit_team(
    request: Request,
    session: SessionDep,
    team: EditedTeam,
    *,
    values=None,
    errors=None,
    status=200,
):
    return _team_form(request, session, team, values, errors, status)
