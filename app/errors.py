"""Error pages in the layout, JSON errors for the API, and the one invalid-form handler."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.i18n import N_, _, use_language
from app.core.refused import Refused
from app.forms import ShowPage
from app.security.access import SignInRequired
from app.security.csrf import CsrfRefused
from app.security.ratelimit import RateLimited
from app.web import is_htmx, language_of, render, templates

log = logging.getLogger("trip.errors")

TITLES = {
    400: N_("Something was wrong with that request"),
    401: N_("Please sign in"),
    403: N_("You cannot do this"),
    404: N_("Page not found"),
    405: N_("That is not something this page can do"),
    # a conflict with how things are now; a stale edit has its own page (both versions)
    409: N_("This cannot be done now"),
    413: N_("That was too large"),
    422: N_("Something was wrong with that request"),
    429: N_("Too many tries"),
    500: N_("Sorry, something went wrong"),
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in (
        "/healthz",
        "/readyz",
    )


def error_response(
    request: Request,
    status: int,
    detail: str | None = None,
    field: str | None = None,
    title: str | None = None,
) -> Response:
    """An error as JSON (the API), an inline block (htmx: never a whole page) or a page,
    headed by `title` when the refusal carries one, else the status's general heading."""
    title = title or TITLES.get(status, N_("Something went wrong"))
    if wants_json(request):
        body = {"error": title, "detail": detail or title}
        if field:
            body["field"] = field
        return JSONResponse(body, status_code=status)
    if is_htmx(request):
        return refusal_block(request, status, detail or title)
    response = render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "detail": detail},
        status_code=status,
    )
    return response


def refusal_block(request: Request, status: int, message: str) -> Response:
    """The htmx contract: a refusal is a small block put at the start of the element that
    asked (app.js swaps it for every status that carries X-Refused)."""
    use_language(language_of(request))
    html = templates.get_template("errors/_refusal.html").render(status=status, message=message)
    return HTMLResponse(
        html,
        status_code=status,
        headers={"X-Refused": str(status), "HX-Reswap": "afterbegin", "Vary": "HX-Request"},
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        if exc.values:  # a sentence with numbers or names: translated, then filled in
            use_language(language_of(request))
            message = _(exc.msgid) % exc.values
            title = _(exc.title_msgid) % exc.values if exc.title_msgid else None
            return error_response(request, exc.status, message, exc.field, title)
        return error_response(request, exc.status, exc.message, exc.field, exc.title)

    @app.exception_handler(ShowPage)
    async def show_page(request: Request, exc: ShowPage) -> Response:
        return exc.response

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"error": "Sign in required", "detail": "Send a valid API token."},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        url = f"/login?next={quote(target, safe='')}"
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        log.warning("csrf refused: %s", exc.reason)
        return error_response(
            request,
            403,
            "This form could not be accepted because "
            f"{exc.reason}. Go back, reload the page and try again.",
        )

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited) -> Response:
        use_language(language_of(request))  # the message is made here, in their language
        response = error_response(
            request,
            429,
            _("Too many tries. Please wait %(minutes)s minutes and try again.")
            % {"minutes": exc.minutes},
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else None
        if detail == TITLES.get(exc.status_code) or detail in ("Not Found", "Method Not Allowed"):
            detail = None
        response = error_response(request, exc.status_code, detail)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", [])), "problem": e.get("msg")}
            for e in exc.errors()
        ]
        if wants_json(request):
            return JSONResponse({"error": "Invalid request", "detail": problems}, status_code=422)
        text = "; ".join(f"{p['where']}: {p['problem']}" for p in problems)
        return error_response(request, 422, text)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        return error_response(request, 500)
