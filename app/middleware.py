"""One pure ASGI middleware for every request: request id, who is signed in, security
headers, a log line — and nothing more than it must on the workshop's hot routes.

Pure ASGI (not `@app.middleware("http")`): no extra task, stream or response object per
request. On the *lean* routes — a participant's one-tap save, which a room of 40 sends
most — there is no session lookup, no anonymous cookie and no thread hop here: the save
checks its own participant cookie (app.workshop).
"""

from __future__ import annotations

import logging
import random
import re
import secrets
import time

from fastapi import FastAPI, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.dates import now
from app.db import READ_ONLY
from app.logs import request_id_var
from app.security.csrf import anon_cookie_name, token_for
from app.security.sessions import find_session, session_token
from app.security.tokens import new_token
from app.web import finish_flash

log = logging.getLogger("trip.request")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)
# the participant's one-tap save and a led round's poll: they need neither the session nor
# the anonymous cookie (each checks its own participant cookie)
LEAN = re.compile(r"^/r/[^/]+/ratings/\d+$")
LEAN_GET = re.compile(r"^/r/[^/]+/room$")


_ids = random.Random(secrets.randbits(64))


def _request_id() -> str:
    """16 hex digits for tracing a request through the logs (not a secret: no syscall)."""
    return f"{_ids.getrandbits(64):016x}"


def is_lean(scope: Scope) -> bool:
    if scope["method"] == "GET":
        return LEAN_GET.match(scope["path"]) is not None
    return scope["method"] == "POST" and LEAN.match(scope["path"]) is not None


def _load_identity(request: Request) -> None:
    settings = request.app.state.settings
    token = session_token(request)
    if token:
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            session.connection(execution_options=READ_ONLY)  # SQLite: no write lock to read
            found = find_session(session, token, now=now(request), settings=settings)
            if found:
                login, user = found
                request.state.user = user
                request.state.login_session = login.id
                request.state.csrf_token = token_for(settings.secret_key, token)
                return
    anon = request.cookies.get(anon_cookie_name(request))
    if not anon:
        anon = new_token()
        request.state.anon_token = anon
    request.state.csrf_token = token_for(settings.secret_key, anon)


def _finish_headers(request: Request, message: Message, request_id: str, kind: str) -> None:
    """Security headers, cache rules, the anonymous cookie and the flash clean-up."""
    settings = request.app.state.settings
    headers = MutableHeaders(scope=message)
    headers["X-Request-ID"] = request_id
    if "content-security-policy" not in headers:
        headers["Content-Security-Policy"] = CSP
    for name, value in _FIXED_HEADERS:
        headers[name] = value
    if settings.production:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if kind == "static":
        if "cache-control" not in headers:
            headers["Cache-Control"] = "public, max-age=3600"
        return
    headers["Cache-Control"] = "no-store"
    if kind == "lean":
        return
    extra = Response()
    anon = getattr(request.state, "anon_token", None)
    if anon and getattr(request.state, "user", None) is None:
        extra.set_cookie(
            anon_cookie_name(request),
            anon,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
            path="/",
        )
    finish_flash(request, extra)
    for name, value in extra.raw_headers:
        if name == b"set-cookie":
            headers.append("set-cookie", value.decode("latin-1"))


class RequestMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        request_id = request.headers.get("x-request-id", "")[:64] or _request_id()
        reset = request_id_var.set(request_id)
        started = time.perf_counter()
        path = scope["path"]
        kind = "static" if path.startswith("/static/") else "lean" if is_lean(scope) else "page"
        state = request.state
        state.user = None
        state.login_session = None
        state.anon_token = None
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                _finish_headers(request, message, request_id, kind)
            await send(message)

        try:
            if kind == "page":
                # in a worker thread: a blocking database call on the event loop would stall
                # the previous request's session clean-up while waiting for its SQLite lock
                await run_in_threadpool(_load_identity, request)
            await self.app(scope, receive, send_with_headers)
        finally:
            if kind != "static" and log.isEnabledFor(logging.INFO):
                elapsed = (time.perf_counter() - started) * 1000
                log.info(
                    "%s %s %s",
                    scope["method"],
                    path,
                    status,
                    extra={
                        "method": scope["method"],
                        "path": path,
                        "status": status,
                        "ms": round(elapsed, 1),
                    },
                )
            request_id_var.reset(reset)


class CompressPages:
    """gzip for pages, CSS and JS; never for the lean routes' tiny answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=500, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_lean(scope):
            await self.app(scope, receive, send)
        else:
            await self.gzip(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(RequestMiddleware)
    # outermost: compress pages, CSS and JS (the participant page's first load stays small)
    # level 6 (zlib's default): about half the CPU of 9 for a few per cent more bytes
    app.add_middleware(CompressPages)
