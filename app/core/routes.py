"""Home, health checks, privacy note and (in development) the patterns page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import text

from app.core import health
from app.core import service as core_service
from app.db import SessionDep
from app.security.access import OptionalUser
from app.web import render

router = APIRouter()


@router.get("/")
def home(request: Request, session: SessionDep, user: OptionalUser):
    if user is None:
        return render(request, "core/welcome.html", {"page_title": "Welcome"})
    if user.role == "recovery_lead":
        return RedirectResponse("/compare", status_code=303)
    context = core_service.home_context(session=session, user=user)
    return render(request, "core/home.html", {"page_title": "My work", **context})


@router.get("/healthz")
def healthz(request: Request):
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # the point of this page is to say so, not to fail
        database = f"unreachable: {type(exc).__name__}"
    ok = database == "ok"
    return JSONResponse(
        {"status": "ok" if ok else "failing", "app": "ok", "database": database},
        status_code=200 if ok else 503,
    )


@router.get("/readyz")
def readyz(request: Request):
    state = health.migration_state(request.app.state.engine)
    ok = state["database"] == "ok" and state["migrations"] == "at head"
    return JSONResponse({"status": "ok" if ok else "not ready", **state}, 200 if ok else 503)


@router.get("/privacy")
def privacy(request: Request):
    return render(request, "core/privacy.html", {"page_title": "Privacy"})


@router.get("/patterns")
def patterns(request: Request):
    if request.app.state.settings.production:
        raise HTTPException(404)
    return render(request, "core/patterns.html", {"page_title": "Patterns", "errors": {}})
