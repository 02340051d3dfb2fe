"""Ops' page: a team's data — what it holds, download it, or delete it (the one `show_…`
for the GET and a failed POST: app.forms.form_for). No `from __future__ import
annotations` here: form_for reads its dependencies from the annotations."""

from fastapi import Request

from app.db import SessionDep
from app.models import Service
from app.ops import queries
from app.ops.deps import AdminTeam
from app.web import render

TEMPLATE = "ops/team_data.html"


def show_team_data(
    request: Request,
    session: SessionDep,
    team: AdminTeam,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    context = {
        "page_title": f"{team.name}: the team's data",
        "team": team,
        "service": session.get(Service, team.service_id),
        "counts": queries.count_team_rows(session, team.id),
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, TEMPLATE, context, status_code=status)
