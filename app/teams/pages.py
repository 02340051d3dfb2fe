"""Team home: the plan at a glance, the timeline and the trend of section levels."""

from __future__ import annotations

from fastapi import Request

from app.core.dates import today
from app.models import Service
from app.plans.queries.plans import current_plan  # plans: queries/__init__ exports nothing yet
from app.plans.queries.views import plan_view
from app.security.access import TeamAccess, may_edit_plan
from app.teams import queries
from app.web import render


def show_team_home(request: Request, session, access: TeamAccess):
    team = access.team
    plan = current_plan(session, team.id)
    context = {
        "page_title": team.name,
        "team": team,
        "service": session.get(Service, team.service_id),
        "access": access,
        "plan": plan,
        "views": plan_view(session, plan, today(request)) if plan else [],
        "timeline": queries.timeline(session, team.id, inside=access.inside),
        "trend": queries.trend(session, team.id),
        "may_edit": may_edit_plan(access),
    }
    return render(request, "teams/home.html", context)
