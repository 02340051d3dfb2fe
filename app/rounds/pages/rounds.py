"""A team's rounds and the new-round form.

The show_… functions take FastAPI dependencies (app.forms.form_for reads their signatures),
so this module does without `from __future__ import annotations`.
"""

from datetime import date

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app.core.dates import today
from app.core.i18n import N_, gettext_in
from app.db import SessionDep
from app.rounds.deps import FacilitatorTeam
from app.rounds.pages.common import STATUS_COLOURS, page_title
from app.rounds.queries.rounds import (
    MODES,
    STATUS_LABELS,
    default_framework,
    framework_choices,
    team_rounds,
)
from app.security.access import TeamAccess
from app.web import language_of, render


def show_team_rounds(request: Request, session: Session, access: TeamAccess) -> Response:
    return render(
        request,
        "rounds/team_rounds.html",
        {
            "page_title": page_title(
                request, N_("Benchmarking rounds – %(team)s"), team=access.team.name
            ),
            "team": access.team,
            "access": access,
            "rounds": team_rounds(session, access.team.id),
            "status_labels": STATUS_LABELS,
            "status_colours": STATUS_COLOURS,
        },
    )


def new_round_values(session: Session, access: TeamAccess, held_on: date) -> dict:
    default = default_framework(session, access.team)
    return {
        "framework_id": default.id if default else "",
        "held_on": held_on.isoformat(),
        "mode": "led",
    }


def show_new_round(
    request: Request,
    session: SessionDep,
    access: FacilitatorTeam,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    """The new-round form. The team's open actions to review first are a plans fragment,
    loaded by htmx (GET /teams/{id}/open-actions), with a plain link without JavaScript."""
    if values is None:
        values = new_round_values(session, access, today(request))
    context = {
        "page_title": N_("Set up a benchmarking round"),
        "team": access.team,
        "framework_options": framework_choices(
            session,
            gettext_in(language_of(request), N_("%(title)s (version %(version)s)")),
        ),
        "modes": MODES,
        "values": values,
        "errors": errors or {},
    }
    return render(request, "rounds/new.html", context, status_code=status)
