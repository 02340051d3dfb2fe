"""The plan as CSV, XLSX and a printable page; the personal calendar feed."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import HTTPException, Request
from fastapi.responses import Response

from app.core import i18n
from app.core.dates import now, today
from app.core.i18n import N_
from app.db import SessionDep
from app.downloads import download, slug
from app.plans.deps import PlanAccess
from app.plans.exports import calendar as calendar_export
from app.plans.exports import plan as plan_export
from app.plans.pages import plans as pages
from app.plans.queries import calendar as calendar_queries
from app.plans.queries.notes import progress_notes
from app.plans.queries.plans import current_plan
from app.plans.queries.views import plan_view
from app.plans.routes import router
from app.plans.service import calendar as calendar_service
from app.security.access import CurrentUser, TeamAccessDep
from app.web import language_of, redirect, render

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _current(session, access):
    plan = current_plan(session, access.team.id)
    if plan is None:
        raise HTTPException(404, "This team has no current plan.")
    return plan


def _filename(team, plan, ext: str) -> str:
    return f"plan-{slug(team.name, 'team')}-{plan.id}.{ext}"


def _notes(session, access, views) -> dict:
    """Progress notes and their authors: only for the team's own people."""
    if not access.inside:
        return {}
    return progress_notes(session, [a.action.id for v in views for a in v.actions])


@router.get("/teams/{team_id}/plan.csv")
def plan_csv(request: Request, access: TeamAccessDep, session: SessionDep):
    plan = _current(session, access)
    views = plan_view(session, plan, today(request))
    notes = _notes(session, access, views)
    return download(
        plan_export.plan_csv(views, access.inside, plan=plan, notes=notes),
        _filename(access.team, plan, "csv"),
        "text/csv; charset=utf-8",
    )


@router.get("/teams/{team_id}/plan.xlsx")
def plan_xlsx(request: Request, access: TeamAccessDep, session: SessionDep):
    i18n.use_language(language_of(request))  # a sheet for a person: their language
    plan = _current(session, access)
    day = today(request)
    views = plan_view(session, plan, day)
    notes = _notes(session, access, views)
    body = plan_export.plan_xlsx(views, access.inside, plan=plan, made_on=day, notes=notes)
    return download(body, _filename(access.team, plan, "xlsx"), XLSX)


@router.get("/plans/{plan_id}/print")
def plan_print(request: Request, loaded: PlanAccess, session: SessionDep):
    return pages.show_print(request, loaded, session)


# --- the personal calendar feed ----------------------------------------------------------


@router.post("/calendar/token")
def make_calendar_token(request: Request, session: SessionDep, user: CurrentUser):
    """Make (or replace) the secret address. Shown once, on this page."""
    token = calendar_service.make_token(session, user)
    url = f"{request.app.state.settings.public_url}/calendar/{token}.ics"
    return render(
        request, "plans/calendar_made.html", {"page_title": N_("Your calendar"), "url": url}
    )


@router.post("/calendar/token/revoke")
def revoke_calendar_token(request: Request, session: SessionDep, user: CurrentUser):
    calendar_service.revoke_token(session, user)
    return redirect(request, "/my-part", flash=N_("Your calendar address no longer works."))


@router.get("/calendar/{token}.ics")
def calendar_ics(request: Request, token: str, session: SessionDep):
    user = calendar_queries.user_for_token(session, token)
    if user is None:
        raise HTTPException(404)
    host = urlparse(request.app.state.settings.public_url).hostname or "trip"
    events = calendar_queries.feed_events(session, user)
    body = calendar_export.calendar_for(events, host=host, now=now(request), language=user.language)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
