"""Participants: /join, choosing a perspective, "something you could bring", thanks.

Rating section by section lives in rating_routes.py (included here).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from app.assets import service as assets_service
from app.db import SessionDep
from app.forms import invalid, parse_form
from app.models import Round
from app.models.assets import ASSET_KINDS
from app.models.base import PERSPECTIVE_LABELS
from app.security import ratelimit
from app.security.clock import now
from app.web import redirect, render
from app.workshop import service
from app.workshop.identity import participant_csrf, participant_token, set_participant_cookie
from app.workshop.rating_routes import finished_page, first_unfinished, load_participant
from app.workshop.rating_routes import router as rating_router

router = APIRouter()
router.include_router(rating_router)


JOIN = "workshop/join.html"
WELCOME = "workshop/welcome.html"
BRING = "workshop/bring.html"


class JoinForm(BaseModel):
    code: str = Field(default="", max_length=40, title="The code")


def _count_wrong_try(request: Request, session) -> None:
    ratelimit.hit(session, ratelimit.JOIN_PER_ADDRESS, _limit_key(request), now=now(request))
    session.commit()


def _limit_key(request: Request) -> str:
    # One bucket per address for every wrong code: a key that included the guessed code
    # would give each guess a fresh bucket and let guessing go on without limit.
    return ratelimit.client_address(request)


@router.get("/join")
def join_page(request: Request):
    return render(request, JOIN, {"page_title": "Join a workshop", "values": {}, "errors": {}})


@router.post("/join")
def join(request: Request, session: SessionDep):
    context = {"page_title": "Join a workshop"}
    form = parse_form(request, JoinForm, template=JOIN, context=context)
    code = service.normalise_code(form.code)
    values = {"code": form.code}
    if not code:
        raise invalid(JOIN, values, context, code="Enter the code shown on the screen.")
    try:
        ratelimit.check(session, ratelimit.JOIN_PER_ADDRESS, _limit_key(request), now=now(request))
    except ratelimit.RateLimited as exc:
        message = f"Too many codes that did not work. Please wait {exc.minutes} minutes."
        raise invalid(JOIN, values, context, code=message) from None
    found = service.find_open_round(session, code)
    if found is None:
        _count_wrong_try(request, session)
        raise invalid(JOIN, values, context, code=service.NOT_FOUND)
    return redirect(request, f"/r/{found.join_code}")


def _round_or_404(request: Request, session, code: str) -> Round:
    found = service.find_round_by_code(session, code)
    if found is None or found.status == "draft":
        _count_wrong_try(request, session)
        raise HTTPException(404, service.NOT_FOUND)
    return found


class WelcomeForm(BaseModel):
    perspective: str = Field(default="", title="Your group")
    alias: str = Field(default="", max_length=service.ALIAS_MAX, title="Your nickname")


def _welcome_context(request: Request, found: Round) -> dict:
    options = list(PERSPECTIVE_LABELS.items())
    return {"page_title": "Join the workshop", "round": found, "perspectives": options}


@router.get("/r/{code}")
def participant_home(request: Request, code: str, session: SessionDep, section: str = ""):
    canonical = service.normalise_code(code)
    if canonical != code:
        return RedirectResponse(f"/r/{canonical}", status_code=303)
    found = _round_or_404(request, session, code)
    token = participant_token(request, code)
    participant = service.find_participant(session, found, token)
    if found.status != "open" or participant is None:
        service.release(session)
    if found.status != "open":
        return finished_page(request, found, took_part=participant is not None)
    if participant is None:
        context = {**_welcome_context(request, found), "values": {}, "errors": {}}
        return render(request, WELCOME, context)
    layout = service.round_layout(session, found)
    if section:
        for number, item in enumerate(layout.sections, start=1):
            if item.code.upper() == section.strip().upper():
                return RedirectResponse(f"/r/{code}/sections/{number}", status_code=303)
    number = first_unfinished(session, layout, participant)
    target = f"/r/{code}/sections/{number}" if number else f"/r/{code}/bring"
    return RedirectResponse(target, status_code=303)


@router.post("/r/{code}")
def choose_perspective(request: Request, code: str, session: SessionDep):
    found = _round_or_404(request, session, code)
    if found.status != "open":
        return finished_page(request, found, took_part=False)
    existing = service.find_participant(session, found, participant_token(request, code))
    if existing is not None:
        return redirect(request, f"/r/{code}")
    context = _welcome_context(request, found)
    form = parse_form(request, WelcomeForm, template=WELCOME, context=context)
    if form.perspective not in PERSPECTIVE_LABELS:
        raise invalid(
            WELCOME, form, context, perspective="Choose the group that fits you best today."
        )
    _participant, token = service.join_round(session, found, form.perspective, form.alias)
    response = redirect(request, f"/r/{code}/sections/1")
    set_participant_cookie(request, response, code, token)
    return response


# --- the end: something you could bring, then thanks --------------------------------------


class BringForm(BaseModel):
    kind: str = Field(default="", title="What kind of thing")
    description: str = Field(default="", max_length=500, title="What you could bring")
    happy_to_share: str = ""
    alias: str = Field(default="", max_length=40, title="Your nickname")


KIND_CHOICES = [
    ("talent", "A talent (something you are good at, like music or drawing)"),
    ("skill", "A skill (something you have learnt, like cooking or first aid)"),
    ("interest", "An interest (something you enjoy, like gardening or football)"),
    ("contact", "A contact (a group or person in the community you know)"),
    ("resource", "A resource (a place, equipment or something to lend)"),
]


def _bring_context(request: Request, found: Round, code: str) -> dict:
    return {
        "page_title": "Is there something you could bring?",
        "round": found,
        "code": code,
        "kinds": KIND_CHOICES,
        "csrf_token": participant_csrf(request, code),
    }


@router.get("/r/{code}/bring")
def bring_page(request: Request, code: str, session: SessionDep):
    loaded = load_participant(request, session, code)
    if isinstance(loaded, Response):
        return loaded
    found, participant = loaded
    values = {"alias": participant.alias or "", "happy_to_share": "yes"}
    service.release(session)
    return render(request, BRING, {**_bring_context(request, found, code), "values": values})


@router.post("/r/{code}/bring")
def bring(request: Request, code: str, session: SessionDep):
    loaded = load_participant(request, session, code)
    if isinstance(loaded, Response):
        return loaded
    found, participant = loaded
    context = _bring_context(request, found, code)
    form = parse_form(request, BringForm, template=BRING, context=context)
    description = form.description.strip()
    if not description:
        raise invalid(BRING, form, context, description="Tell us what you could bring.")
    if form.kind not in ASSET_KINDS:
        raise invalid(BRING, form, context, kind="Choose what kind of thing it is.")
    assets_service.add_asset(
        session,
        team_id=found.team_id,
        kind=form.kind,
        description=description,
        perspective=participant.perspective,
        alias=form.alias.strip() or participant.alias or "Someone at the workshop",
        happy_to_share=bool(form.happy_to_share),
        round_id=found.id,
    )
    session.commit()
    return redirect(request, f"/r/{code}/thanks")


@router.get("/r/{code}/thanks")
def thanks(request: Request, code: str, session: SessionDep):
    loaded = load_participant(request, session, code)
    if isinstance(loaded, Response):
        return loaded
    found, participant = loaded
    answered = service.answered_count(session, participant)
    layout = service.round_layout(session, found)
    service.release(session)
    return render(
        request,
        "workshop/thanks.html",
        {
            "page_title": "Thank you",
            "round": found,
            "code": code,
            "answered": answered,
            "total": layout.total,
            "csrf_token": participant_csrf(request, code),
        },
    )
