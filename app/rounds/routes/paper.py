"""Paper rating sheets: print them, then type each one in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.i18n import N_, gettext_in
from app.db import SessionDep
from app.forms import form_for, submitted_form
from app.rounds import service
from app.rounds.deps import FacilitatedRound
from app.rounds.forms import PaperForm, parse_sheet
from app.rounds.pages.paper import show_paper
from app.rounds.queries import round_statements
from app.rounds.routes import router
from app.web import language_of, redirect


@router.get("/rounds/{round_id}/paper")
def paper_page(request: Request, session: SessionDep, loaded: FacilitatedRound):
    return show_paper(request, session, loaded)


@router.post("/rounds/{round_id}/paper")
def paper_entry(
    request: Request,
    session: SessionDep,
    loaded: FacilitatedRound,
    _form: Annotated[PaperForm, Depends(form_for(PaperForm, show_paper), scope="function")],
):
    values = submitted_form(request)
    sheet = parse_sheet(values, round_statements(session, loaded.round))
    if isinstance(sheet, dict):  # one message by each field the sheet got wrong
        return show_paper(request, session, loaded, values=values, errors=sheet, status=422)
    service.record_paper_sheet(session, loaded.round, sheet, actor=loaded.user)
    return redirect(
        request,
        f"/rounds/{loaded.round.id}/paper#entry",
        flash=gettext_in(
            language_of(request),
            N_("Paper sheet saved (%(count)s ratings). You can type in the next one."),
        )
        % {"count": len(sheet.answers)},
    )
