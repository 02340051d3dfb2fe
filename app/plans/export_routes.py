"""The plan as CSV, XLSX and a printable page; the personal calendar feed."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from app.db import SessionDep
from app.downloads import download, slug
from app.plans import calendar_feed, exports, service
from app.plans.loading import load_plan, today
from app.plans.views import plan_view
from app.security.access import CurrentUser, TeamAccessDep
from app.security.clock import now
from app.web import redirect, render

router = APIRouter()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _current(session, access):
    plan = service.current_plan(session, access.team.id)
    if plan is None:
        raise HTTPException(404, "This team has no current plan.")
    return plan


def _filename(team, plan, ext: str) -> str:
    return f"plan-{slug(team.name, 'team')}-{plan.id}.{ext}"


@router.get("/teams/{team_id}/plan.csv")
def plan_csv(request: Request, access: TeamAccessDep, session: SessionDep):
    plan = _current(session, access)
    views = plan_view(session, plan, today(request))
    return download(
        exports.plan_csv(views, access.inside),
        _filename(access.team, plan, "csv"),
        "text/csv; charset=utf-8",
    )


@router.get("/teams/{team_id}/plan.xlsx")
def plan_xlsx(request: Request, access: TeamAccessDep, session: SessionDep):
    plan = _current(session, access)
    views = plan_view(session, plan, today(request))
    body = exports.plan_xlsx(views, access.inside, title=plan.title, made_on=today(request))
    return download(body, _filename(access.team, plan, "xlsx"), XLSX)


@router.get("/plans/{plan_id}/print")
def plan_print(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    return render(
        request,
        "plans/print.html",
        {
            "page_title": plan.title,
            "plan": plan,
            "team": access.team,
            "access": access,
            "views": plan_view(session, plan, today(request)),
            "today": today(request),
        },
    )


# --- the personal calendar feed ----------------------------------------------------------


@router.post("/calendar/token")
def make_calendar_token(request: Request, session: SessionDep, user: CurrentUser):
    """Make (or replace) the secret address. Shown once, on this page."""
    token = calendar_feed.make_token(session, user)
    session.commit()
    url = f"{request.app.state.settings.public_url}/calendar/{token}.ics"
    return render(request, "plans/calendar_made.html", {"page_title": "Your calendar", "url": url})


@router.post("/calendar/token/revoke")
def revoke_calendar_token(request: Request, session: SessionDep, user: CurrentUser):
    calendar_feed.revoke_token(session, user)
    session.commit()
    return redirect(request, "/", flash="Your calendar address no longer works.")


@router.get("/calendar/{token}.ics")
def calendar_ics(request: Request, token: str, session: SessionDep):
    user = calendar_feed.user_for_token(session, token)
    if user is None:
        raise HTTPException(404)
    host = urlparse(request.app.state.settings.public_url).hostname or "trip"
    body = calendar_feed.calendar_for(session, user, host=host, now=now(request))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
