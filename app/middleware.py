"""One middleware for every request: request id, who is signed in, headers, a log line."""

from __future__ import annotations

import logging
import secrets
import time

from fastapi import FastAPI, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.logs import request_id_var
from app.security.clock import now
from app.security.csrf import anon_cookie_name, token_for
from app.security.sessions import find_session, session_token
from app.security.tokens import new_token
from app.web import finish_flash

log = logging.getLogger("trip.request")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def _load_identity(request: Request) -> None:
    settings = request.app.state.settings
    request.state.user = None
    request.state.login_session = None
    request.state.anon_token = None
    token = session_token(request)
    if token:
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            found = find_session(session, token, now=now(request), settings=settings)
            if found:
                login, user = found
                session.expunge(user)
                request.state.user = user
                request.state.login_session = login.id
                request.state.csrf_token = token_for(settings.secret_key, token)
                return
    anon = request.cookies.get(anon_cookie_name(request))
    if not anon:
        anon = new_token()
        request.state.anon_token = anon
    request.state.csrf_token = token_for(settings.secret_key, anon)


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def every_request(request: Request, call_next):
        request_id = request.headers.get("X-Request-ID", "")[:64] or secrets.token_hex(8)
        reset = request_id_var.set(request_id)
        started = time.perf_counter()
        path = request.url.path
        is_static = path.startswith("/static/")
        try:
            if not is_static:
                # in a worker thread: a blocking database call on the event loop would stall
                # the previous request's session clean-up while waiting for its SQLite lock
                await run_in_threadpool(_load_identity, request)
            response = await call_next(request)
            settings = request.app.state.settings
            headers = response.headers
            headers["X-Request-ID"] = request_id
            headers.setdefault("Content-Security-Policy", CSP)
            headers["X-Content-Type-Options"] = "nosniff"
            headers["Referrer-Policy"] = "same-origin"
            headers["X-Frame-Options"] = "DENY"
            if settings.production:
                headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
            if is_static:
                headers.setdefault("Cache-Control", "public, max-age=3600")
            else:
                headers["Cache-Control"] = "no-store"
                anon = getattr(request.state, "anon_token", None)
                if anon and getattr(request.state, "user", None) is None:
                    response.set_cookie(
                        anon_cookie_name(request),
                        anon,
                        httponly=True,
                        samesite="lax",
                        secure=settings.secure_cookies,
                        path="/",
                    )
                finish_flash(request, response)
            elapsed = (time.perf_counter() - started) * 1000
            if not is_static:
                log.info(
                    "%s %s %s",
                    request.method,
                    path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": path,
                        "status": response.status_code,
                        "ms": round(elapsed, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(reset)
