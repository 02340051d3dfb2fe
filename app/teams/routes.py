"""Team home: the plan at a glance, the timeline and the trend of section levels."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.db import SessionDep
from app.models import Service
from app.plans import service as plans_service
from app.plans.loading import today
from app.plans.views import plan_view
from app.security.access import TeamAccessDep, may_edit_plan
from app.teams import service
from app.web import render

router = APIRouter()


@router.get("/teams/{team_id}")
def team_home(request: Request, access: TeamAccessDep, session: SessionDep):
    team = access.team
    plan = plans_service.current_plan(session, team.id)
    return render(
        request,
        "teams/home.html",
        {
            "page_title": team.name,
            "team": team,
            "service": session.get(Service, team.service_id),
            "access": access,
            "plan": plan,
            "views": plan_view(session, plan, today(request)) if plan else [],
            "timeline": service.timeline(session, team.id, inside=access.inside),
            "trend": service.trend(session, team.id),
            "may_edit": may_edit_plan(access),
        },
    )
