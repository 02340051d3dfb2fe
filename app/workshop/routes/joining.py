"""Joining: /join, choosing a perspective, "something you could bring", thanks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from app.assets import service as assets_service
from app.core.codes import normalise_code
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.forms import form_for
from app.web import redirect
from app.workshop import queries, service
from app.workshop.deps import (
    HAS_FINISHED,
    ParticipantPage,
    PhoneRound,
    SavingParticipant,
    count_wrong_try,
    participant_token,
    set_participant_cookie,
)
from app.workshop.forms import BringForm, JoinForm, WelcomeForm
from app.workshop.pages.phone import (
    finished_page,
    show_bring,
    show_join,
    show_thanks,
    show_welcome,
)
from app.workshop.routes import router


@router.get("/join")
def join_page(request: Request):
    return show_join(request)


@router.post("/join")
def join(
    request: Request,
    session: SessionDep,
    form: Annotated[JoinForm, Depends(form_for(JoinForm, show_join), scope="function")],
):
    if not normalise_code(form.code):
        raise Refused(N_("Enter the code shown on the screen."), status=422, field="code")
    found = queries.round_by_code(session, form.code)
    if found is None or not queries.joinable(found):
        count_wrong_try(request, session, field="code")
        message = queries.NOT_FOUND if found is None else HAS_FINISHED
        raise Refused(message, status=422, field="code")
    return redirect(request, f"/r/{found.join_code}")


@router.get("/r/{code}")
def participant_home(
    request: Request, code: str, session: SessionDep, found: PhoneRound, section: str = ""
):
    canonical = normalise_code(code)
    if canonical != code:
        return RedirectResponse(f"/r/{canonical}", status_code=303)
    participant = queries.find_participant(session, found, participant_token(request, code))
    if not queries.joinable(found):
        count_wrong_try(request, session)
        return finished_page(request, found, took_part=participant is not None)
    if participant is None:
        return show_welcome(request, found)
    layout = queries.round_layout(session, found)
    if section:
        for number, item in enumerate(layout.sections, start=1):
            if item.code.upper() == section.strip().upper():
                return RedirectResponse(f"/r/{code}/sections/{number}", status_code=303)
    if found.mode == "led":
        return RedirectResponse(f"/r/{code}/room", status_code=303)
    done = queries.ratings_of(session, participant)
    number = next((n for n, s in enumerate(layout.ordered, 1) if s.id not in done), 0)
    target = f"/r/{code}/statements/{number}" if number else f"/r/{code}/bring"
    return RedirectResponse(target, status_code=303)


@router.post("/r/{code}")
def choose_perspective(
    request: Request,
    code: str,
    session: SessionDep,
    found: PhoneRound,
    form: Annotated[WelcomeForm, Depends(form_for(WelcomeForm, show_welcome), scope="function")],
):
    if not queries.joinable(found):
        count_wrong_try(request, session)
        return finished_page(request, found, took_part=False)
    if queries.find_participant(session, found, participant_token(request, code)) is not None:
        return redirect(request, f"/r/{code}")
    _participant, token = service.join_round(
        session, found, form.perspective, form.alias, easy_read=form.wants_easy_read
    )
    first = "room" if found.mode == "led" else "statements/1"
    response = redirect(request, f"/r/{code}/{first}")
    set_participant_cookie(request, response, code, token)
    return response


# --- the end: something you could bring, then thanks --------------------------------------


@router.get("/r/{code}/bring")
def bring_page(request: Request, loaded: ParticipantPage):
    return show_bring(request, loaded)


@router.post("/r/{code}/bring")
def bring(
    request: Request,
    code: str,
    session: SessionDep,
    loaded: SavingParticipant,
    form: Annotated[BringForm, Depends(form_for(BringForm, show_bring), scope="function")],
):
    found, participant = loaded
    assets_service.add_asset(
        session,
        team_id=found.team_id,
        kind=form.kind,
        description=form.description,
        perspective=participant.perspective,
        alias=form.alias.strip() or participant.alias or "Someone at the workshop",
        happy_to_share=bool(form.happy_to_share),
        round_id=found.id,
    )
    return redirect(request, f"/r/{code}/thanks")


@router.get("/r/{code}/thanks")
def thanks(request: Request, session: SessionDep, loaded: ParticipantPage):
    found, participant = loaded
    return show_thanks(request, session, found, participant)
