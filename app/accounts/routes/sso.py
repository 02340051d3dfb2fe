"""Single sign-on with the trust's identity provider (OpenID Connect): start, come back,
link your own account, set up from an invitation. The provider answers by query string, so
the callback is a GET and the CSRF check on every POST stands. Starting is a plain link
(GET): the page's `form-action 'self'` would stop a form from leaving the site."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse

from app.accounts import service
from app.accounts.deps import OpenInvitation
from app.accounts.pages import show_sso_no_account
from app.accounts.routes import router
from app.accounts.service import sso, sso_sessions
from app.core.dates import now
from app.core.i18n import N_
from app.db import SessionDep
from app.security.access import CurrentUser
from app.security.sessions import session_token, set_session_cookie
from app.web import end_transaction, redirect, safe_next

TRIP_COOKIE = "trip_sso"
TRIP_PATH = "/login/sso"


def _settings(request: Request):
    settings = request.app.state.settings
    if not settings.sso_configured:
        raise HTTPException(404, N_("Signing in with an NHS account is not set up here."))
    return settings


def _to_provider(request: Request, url: str, state: str, settings) -> RedirectResponse:
    end_transaction(request)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        TRIP_COOKIE,
        state,
        max_age=int(sso.TRIP_VALID.total_seconds()),
        path=TRIP_PATH,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
    )
    return response


@router.get("/login/sso")
def sso_start(request: Request, session: SessionDep, next: str = "/"):
    settings = _settings(request)
    url, state = sso.begin(
        session, settings, purpose="signin", next_url=safe_next(next), now=now(request)
    )
    return _to_provider(request, url, state, settings)


@router.get("/account/sso")
def sso_link_start(request: Request, session: SessionDep, user: CurrentUser):
    settings = _settings(request)
    url, state = sso.begin(
        session, settings, purpose="link", user=user, next_url="/account", now=now(request)
    )
    return _to_provider(request, url, state, settings)


@router.get("/invite/{token}/sso")
def sso_invite_start(request: Request, session: SessionDep, found: OpenInvitation):
    settings = _settings(request)
    url, state = sso.begin(
        session, settings, purpose="invite", invitation_id=found.invitation.id, now=now(request)
    )
    return _to_provider(request, url, state, settings)


@router.get("/login/sso/callback")
def sso_callback(
    request: Request,
    session: SessionDep,
    state: str = "",
    code: str | None = None,
    error: str | None = None,
):
    settings = _settings(request)
    done = sso.finish(
        session,
        settings,
        state=state,
        code=code,
        error=error,
        browser_state=request.cookies.get(TRIP_COOKIE),
        now=now(request),
    )
    if done.user is None:
        response = redirect(request, "/login/sso/no-account")
    else:
        token = service.start_signed_in(
            session,
            done.user,
            old_token=session_token(request),
            now=now(request),
            settings=settings,
        )
        sso_sessions.keep_id_token(session, token, done.id_token)
        if done.purpose == "link":
            response = redirect(request, "/account", flash=N_("Your NHS account is now linked."))
        elif sso_sessions.waiting_for_a_team(session, done.user):
            response = redirect(request, "/login/sso/no-account")
        else:
            response = redirect(request, safe_next(done.next_url))
        set_session_cookie(response, token, settings)
    response.delete_cookie(TRIP_COOKIE, path=TRIP_PATH)
    return response


@router.get("/login/sso/no-account")
def sso_no_account(request: Request):
    return show_sso_no_account(request)
