"""Ops' page: a team's data — what it holds, download it, or delete it (the one `show_…`
for the GET and a failed POST: app.forms.form_for). No `from __future__ import
annotations` here: form_for reads its dependencies from the annotations."""

from fastapi import Request

from app.core.i18n import N_, _, use_language
from app.db import SessionDep
from app.models import Service
from app.ops import queries
from app.ops.deps import AdminTeam
from app.web import language_of, render

TEMPLATE = "ops/team_data.html"


def _in_language(request: Request, message: str) -> str:
    """`message` in the page's language, for a title with data in it (made before render)."""
    use_language(language_of(request))
    return _(message)


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
        "page_title": _in_language(request, N_("%(team)s: the team's data")) % {"team": team.name},
        "team": team,
        "service": session.get(Service, team.service_id),
        "counts": queries.count_team_rows(session, team.id),
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, TEMPLATE, context, status_code=status)
