"""Paper rating sheets: print them, then type each one in."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.db import SessionDep
from app.forms import FormInvalid, submitted_form
from app.rounds.access import facilitated_round
from app.rounds.paper import parse_sheet, record_paper_sheet
from app.rounds.service import sections_for_round
from app.rounds.views import common, level_options
from app.security.access import CurrentUser
from app.web import redirect, render

router = APIRouter()
TEMPLATE = "rounds/paper.html"


def _context(session, round_, access) -> dict:
    context = common(session, round_, access.team)
    context.update(
        page_title=f"Paper rating sheet – {round_.title}",
        access=access,
        sections=sections_for_round(session, round_),
        level_options=level_options(context["framework"]),
        values={},
        errors={},
    )
    return context


@router.get("/rounds/{round_id}/paper")
def paper_page(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    return render(request, TEMPLATE, _context(session, round_, access))


@router.post("/rounds/{round_id}/paper")
def paper_entry(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_, access = facilitated_round(session, user, round_id)
    context = _context(session, round_, access)
    values = submitted_form(request)
    values.pop("csrf_token", None)
    if round_.status != "open":
        raise FormInvalid(
            template=TEMPLATE,
            errors={"__all__": "Paper sheets can be typed in only while the round is open."},
            values=values,
            context=context,
        )
    statements = [st for _section, items in context["sections"] for st in items]
    sheet = parse_sheet(values, statements)
    if isinstance(sheet, dict):
        raise FormInvalid(template=TEMPLATE, errors=sheet, values=values, context=context)
    record_paper_sheet(session, round_, sheet, actor=user)
    return redirect(
        request,
        f"/rounds/{round_.id}/paper#entry",
        flash=f"Paper sheet saved ({len(sheet.answers)} ratings). You can type in the next one.",
    )
