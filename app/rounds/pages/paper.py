"""Paper rating sheets: the printable sheet and the form that types one in.

The show_… functions take FastAPI dependencies (app.forms.form_for reads their signatures),
so this module does without `from __future__ import annotations`.
"""

from fastapi import Request
from fastapi.responses import Response

from app.db import SessionDep
from app.rounds.deps import FacilitatedRound
from app.rounds.pages.common import common, level_options
from app.rounds.queries.rounds import sections_for_round
from app.web import render

PAPER = "rounds/paper.html"


def show_paper(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    round_ = loaded.round
    context = common(session, round_, loaded.team)
    values = dict(values or {})
    values.pop("csrf_token", None)
    context.update(
        page_title=f"Paper rating sheet – {round_.title}",
        access=loaded.access,
        sections=sections_for_round(session, round_),
        level_options=level_options(context["framework"]),
        values=values,
        errors=errors or {},
    )
    return render(request, PAPER, context, status_code=status)
