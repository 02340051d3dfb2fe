"""Using an invitation link: choose a username and password, then you are signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from app.accounts import invitations
from app.accounts import service as accounts
from app.db import SessionDep
from app.forms import invalid, parse_form
from app.security import ratelimit
from app.security.clock import now
from app.security.sessions import end_session, session_token, set_session_cookie, start_session
from app.web import redirect, render

router = APIRouter()

TEMPLATE = "accounts/invite.html"


class InviteForm(BaseModel):
    username: str = Field(default="", max_length=64, title="Username")
    password: str = Field(min_length=1, max_length=256, title="Password")
    password_again: str = Field(min_length=1, max_length=256, title="Password again")


def _problem_page(request: Request, session, address: str, problem) -> object:
    """A plain page saying the link cannot be used; counts towards the per-address limit."""
    ratelimit.hit(session, ratelimit.INVITE_PER_ADDRESS, address, now=now(request))
    session.commit()
    status = 404 if problem.kind == "unknown" else 410
    context = {"page_title": "This link cannot be used", "message": problem.message}
    return render(request, "accounts/invite_problem.html", context, status_code=status)


def _open(request: Request, session, token: str):
    address = ratelimit.client_address(request)
    ratelimit.check(session, ratelimit.INVITE_PER_ADDRESS, address, now=now(request))
    try:
        return invitations.find_open(session, token, now=now(request)), None
    except invitations.InvitationProblem as exc:
        return None, _problem_page(request, session, address, exc)


def _context(found: invitations.OpenInvitation) -> dict:
    return {
        "page_title": "Set up your account",
        "team": found.team,
        "member": found.member,
        "existing": found.user,
    }


@router.get("/invite/{token}")
def invite_page(request: Request, session: SessionDep, token: str):
    found, problem = _open(request, session, token)
    if problem is not None:
        return problem
    return render(request, TEMPLATE, {**_context(found), "values": {}, "errors": {}})


@router.post("/invite/{token}")
def use_invitation(request: Request, session: SessionDep, token: str):
    found, problem = _open(request, session, token)
    if problem is not None:
        return problem
    context = _context(found)
    form = parse_form(request, InviteForm, template=TEMPLATE, context=context)
    values = {"username": form.username}
    if form.password != form.password_again:
        raise invalid(TEMPLATE, values, context, password_again="The two passwords are different")
    try:
        user = invitations.redeem_invitation(
            session,
            token=token,
            username=form.username,
            password=form.password,
            now=now(request),
        )
    except accounts.AccountError as exc:
        raise invalid(TEMPLATE, values, context, **{exc.field: exc.message}) from None
    except invitations.InvitationProblem as exc:
        session.rollback()
        return _problem_page(request, session, ratelimit.client_address(request), exc)
    old = session_token(request)
    if old:
        end_session(session, old)
    settings = request.app.state.settings
    session_value = start_session(session, user, now=now(request), settings=settings)
    session.commit()
    response = redirect(
        request,
        "/",
        flash=f"Welcome. Your account is ready and you are signed in as {user.username}.",
    )
    set_session_cookie(response, session_value, settings)
    return response
