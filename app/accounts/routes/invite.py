"""Using an invitation link: choose a username and password, then you are signed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.accounts import service
from app.accounts.deps import OpenInvitation
from app.accounts.forms import InviteForm
from app.accounts.pages import show_invite
from app.accounts.routes import router
from app.core.dates import now
from app.db import SessionDep
from app.forms import form_for
from app.security.sessions import session_token, set_session_cookie
from app.web import redirect


@router.get("/invite/{token}")
def invite_page(request: Request, session: SessionDep, found: OpenInvitation):
    return show_invite(request, session, found)


@router.post("/invite/{token}")
def use_invitation(
    request: Request,
    session: SessionDep,
    found: OpenInvitation,
    form: Annotated[InviteForm, Depends(form_for(InviteForm, show_invite), scope="function")],
):
    user = service.redeem_invitation(
        session, found=found, username=form.username, password=form.password, now=now(request)
    )
    settings = request.app.state.settings
    token = service.start_signed_in(
        session, user, old_token=session_token(request), now=now(request), settings=settings
    )
    response = redirect(
        request,
        "/my-part",
        flash=f"Welcome. Your account is ready and you are signed in as {user.username}.",
    )
    set_session_cookie(response, token, settings)
    return response
