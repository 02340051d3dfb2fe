"""CSRF: Fetch Metadata (or Origin) plus a per-session token on every state change."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.requests import ClientDisconnect

from app.security.tokens import same, sign

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
ANON_COOKIE = "trip_anon"
PARTICIPANT_COOKIE_PREFIX = "trip_p_"


class CsrfRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_for(secret: str, cookie_value: str) -> str:
    """The CSRF token that goes with one cookie (session, anonymous or participant)."""
    return sign(secret, "csrf", cookie_value)


def anon_cookie_name(request: Request) -> str:
    return ("__Host-" if request.app.state.settings.secure_cookies else "") + ANON_COOKIE


def _candidate_cookies(request: Request) -> list[str]:
    from app.security.sessions import cookie_name

    settings = request.app.state.settings
    names = [cookie_name(settings), anon_cookie_name(request)]
    values = [request.cookies[n] for n in names if request.cookies.get(n)]
    values += [v for k, v in request.cookies.items() if k.startswith(PARTICIPANT_COOKIE_PREFIX)]
    fresh = getattr(request.state, "anon_token", None)
    if fresh:
        values.append(fresh)
    return values


def check_origin(request: Request) -> None:
    site = request.headers.get("sec-fetch-site")
    if site in ("same-origin", "none"):
        return
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") == request.app.state.settings.public_origin:
        return
    if site:
        raise CsrfRefused(f"a {site} request was refused")
    raise CsrfRefused("the request did not say where it came from")


# The one exception (docs/security.md): a mail program's one-click unsubscribe (RFC 8058)
# comes from the mail provider's server, with no cookie, token or Origin. It is let through
# only at exactly this path and only with exactly the RFC's body; the link's own signature
# (checked by the route) says whose reminders stop, and stopping is all it can do.
ONE_CLICK_PATH = "/reminders/unsubscribe"
ONE_CLICK_BODY = b"List-Unsubscribe=One-Click"


async def _is_one_click_unsubscribe(request: Request) -> bool:
    if request.method != "POST" or request.url.path != ONE_CLICK_PATH:
        return False
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.split(";")[0].strip() == "application/x-www-form-urlencoded":
            if await request.body() != ONE_CLICK_BODY:
                return False
        elif content_type.startswith("multipart/form-data"):
            form = await request.form()
            if list(form.multi_items()) != [("List-Unsubscribe", "One-Click")]:
                return False
        else:
            return False
    except ClientDisconnect:
        raise HTTPException(400, "The request was cut off.") from None
    request.state.one_click_unsubscribe = True
    return True


async def check_csrf(request: Request) -> None:
    """A global dependency: runs before every route."""
    if request.method in SAFE_METHODS or request.url.path.startswith("/api/"):
        return
    if await _is_one_click_unsubscribe(request):
        return
    check_origin(request)
    form = None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        # read once here, on the event loop; sync routes then use request.state.form
        try:
            form = await request.form()
        except ClientDisconnect:  # the phone went away mid-post: nothing to answer
            raise HTTPException(400, "The request was cut off.") from None
        request.state.form = form
    submitted = request.headers.get(HEADER)
    if not submitted and form is not None:
        value = form.get(FORM_FIELD)
        submitted = value if isinstance(value, str) else None
    if not submitted:
        raise CsrfRefused("the form's security token was missing")
    secret = request.app.state.settings.secret_key
    for cookie in _candidate_cookies(request):
        if same(token_for(secret, cookie), submitted):
            return
    raise CsrfRefused("the form's security token did not match")
