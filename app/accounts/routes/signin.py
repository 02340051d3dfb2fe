"""Sign in and out, and your own account page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.accounts import service
from app.accounts.forms import LanguageForm, LoginForm, PasswordForm
from app.accounts.pages import show_account, show_login, show_signed_out
from app.accounts.routes import router
from app.accounts.service import sso_sessions
from app.core import i18n
from app.core.dates import now
from app.core.i18n import N_
from app.db import SessionDep
from app.forms import form_for
from app.security import ratelimit
from app.security.access import CurrentUser
from app.security.sessions import (
    clear_session_cookie,
    end_session,
    session_token,
    set_session_cookie,
)
from app.web import redirect, safe_next


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return show_login(request, values={"next": next})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    form: Annotated[LoginForm, Depends(form_for(LoginForm, show_login), scope="function")],
):
    settings = request.app.state.settings
    user = service.sign_in(
        session,
        username=form.username,
        password=form.password,
        address=ratelimit.client_address(request),
        now=now(request),
        barred=lambda user: sso_sessions.password_barred(session, settings, user),
    )
    token = service.start_signed_in(
        session, user, old_token=session_token(request), now=now(request), settings=settings
    )
    response = redirect(request, safe_next(form.next))
    set_session_cookie(response, token, settings)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep):
    settings = request.app.state.settings
    token = session_token(request)
    id_token = None
    if token:
        id_token = sso_sessions.id_token_of(session, token)
        end_session(session, token)
    provider_url = sso_sessions.provider_sign_out_url(settings, id_token)
    if provider_url:  # signed in with the provider: offer its sign-out too
        response = show_signed_out(request, provider_url)
    else:
        response = redirect(request, "/", flash=N_("You have signed out."))
    clear_session_cookie(response, settings)
    return response


@router.get("/account")
def account_page(request: Request, session: SessionDep, user: CurrentUser):
    return show_account(request, session, user)


@router.post("/account/language")
def change_language(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    form: Annotated[LanguageForm, Depends(form_for(LanguageForm, show_account), scope="function")],
):
    """The person's language, kept on their account (any device they sign in on) and in
    this browser's language cookie (which the link on every page also sets)."""
    service.set_language(session, user=session.get(type(user), user.id), language=form.language)
    response = redirect(request, "/account#your-language")
    response.set_cookie(
        i18n.COOKIE,
        form.language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.post("/account/password")
def change_password(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    form: Annotated[PasswordForm, Depends(form_for(PasswordForm, show_account), scope="function")],
):
    service.change_password(
        session,
        user=session.get(type(user), user.id),
        current=form.current_password,
        new=form.new_password,
        keep_session_id=getattr(request.state, "login_session", None),
        now=now(request),
    )
    return redirect(
        request,
        "/account",
        flash=N_("Your password has been changed. You have been signed out everywhere else."),
    )
