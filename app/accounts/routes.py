"""Sign in and out, and your own account page. Other account pages are in sibling modules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from app.accounts import service
from app.accounts.admin_routes import router as admin_router
from app.accounts.invite_routes import router as invite_router
from app.accounts.people_routes import router as people_router
from app.db import SessionDep
from app.forms import invalid, parse_form
from app.security import ratelimit
from app.security.access import CurrentUser, teams_of
from app.security.clock import now
from app.security.sessions import (
    clear_session_cookie,
    end_session,
    session_token,
    set_session_cookie,
    start_session,
)
from app.web import redirect, render, safe_next

router = APIRouter()


class LoginForm(BaseModel):
    username: str = Field(min_length=1, max_length=64, title="Your username")
    password: str = Field(min_length=1, max_length=256, title="Your password")
    next: str = ""


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    return render(
        request,
        "accounts/login.html",
        {"page_title": "Sign in", "values": {"next": safe_next(next)}, "errors": {}},
    )


@router.post("/login")
def login(request: Request, session: SessionDep):
    form = parse_form(
        request, LoginForm, template="accounts/login.html", context={"page_title": "Sign in"}
    )
    values = {"username": form.username, "next": safe_next(form.next)}
    try:
        user = service.authenticate(
            session,
            username=form.username,
            password=form.password,
            address=ratelimit.client_address(request),
            now=now(request),
        )
    except ratelimit.RateLimited as exc:
        raise invalid(
            "accounts/login.html",
            values,
            {"page_title": "Sign in"},
            username=f"Too many tries. Please wait {exc.wait} and try again.",
        ) from None
    if user is None:
        raise invalid(
            "accounts/login.html",
            values,
            {"page_title": "Sign in"},
            username="The username or password is not right. Check them and try again.",
        )
    old = session_token(request)
    if old:
        end_session(session, old)
    token = start_session(session, user, now=now(request), settings=request.app.state.settings)
    session.commit()
    response = redirect(request, safe_next(form.next))
    set_session_cookie(response, token, request.app.state.settings)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep):
    token = session_token(request)
    if token:
        end_session(session, token)
        session.commit()
    response = redirect(request, "/", flash="You have signed out.")
    clear_session_cookie(response, request.app.state.settings)
    return response


class PasswordForm(BaseModel):
    current_password: str = Field(min_length=1, max_length=256, title="Your current password")
    new_password: str = Field(min_length=1, max_length=256, title="Your new password")


def _account_context(session, user) -> dict:
    return {
        "page_title": "Your account",
        "memberships": teams_of(session, user),
        "role_label": service.GLOBAL_ROLE_LABELS.get(user.role, user.role),
    }


@router.get("/account")
def account_page(request: Request, session: SessionDep, user: CurrentUser):
    context = _account_context(session, user)
    return render(request, "accounts/account.html", {**context, "values": {}, "errors": {}})


@router.post("/account/password")
def change_password(request: Request, session: SessionDep, user: CurrentUser):
    context = _account_context(session, user)
    form = parse_form(request, PasswordForm, template="accounts/account.html", context=context)
    account = session.get(type(user), user.id)
    try:
        service.change_password(
            session,
            user=account,
            current=form.current_password,
            new=form.new_password,
            keep_session_id=getattr(request.state, "login_session", None),
            now=now(request),
        )
    except service.AccountError as exc:
        session.commit()  # a wrong current password counts against the limit
        context = _account_context(session, user)  # the commit expired what it held
        raise invalid("accounts/account.html", {}, context, **{exc.field: exc.message}) from None
    session.commit()
    return redirect(
        request,
        "/account",
        flash="Your password has been changed. You have been signed out everywhere else.",
    )


router.include_router(people_router)
router.include_router(invite_router)
router.include_router(admin_router)
