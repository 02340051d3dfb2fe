"""Home, health checks, privacy note and (in development) the patterns page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse

from app.core import i18n
from app.db import SessionDep
from app.home import queries
from app.home.pages import (
    show_accessibility,
    show_home,
    show_patterns,
    show_privacy,
    show_welcome,
)
from app.security.access import OptionalUser
from app.web import redirect, safe_next

router = APIRouter()
LANGUAGE_COOKIE_DAYS = 365


@router.get("/language/{language}")
def choose_language(request: Request, language: str, next: str = "/"):
    """The link on every page to the other language: kept in a cookie (a participant has no
    account; a signed-in person's saved choice is on their account page), then back to the
    page they were on."""
    if language not in i18n.LANGUAGES:
        raise HTTPException(404, i18n.N_("There is no such language here."))
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        i18n.COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.get("/")
def home(request: Request, session: SessionDep, user: OptionalUser):
    if user is None:
        return show_welcome(request)
    if user.role == "recovery_lead":
        return redirect(request, "/compare")
    return show_home(request, session, user)


@router.get("/healthz")
def healthz(request: Request):
    database = queries.database_state(request.app.state.engine)
    ok = database == "ok"
    return JSONResponse(
        {"status": "ok" if ok else "failing", "app": "ok", "database": database},
        status_code=200 if ok else 503,
    )


@router.get("/readyz")
def readyz(request: Request):
    state = queries.migration_state(request.app.state.engine)
    ok = state["database"] == "ok" and state["migrations"] == "at head"
    return JSONResponse({"status": "ok" if ok else "not ready", **state}, 200 if ok else 503)


@router.get("/privacy")
def privacy(request: Request):
    return show_privacy(request)


@router.get("/accessibility")
def accessibility(request: Request):
    return show_accessibility(request)


@router.get("/patterns")
def patterns(request: Request):
    if request.app.state.settings.production:
        raise HTTPException(404)
    return show_patterns(request)
