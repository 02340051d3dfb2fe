"""Reminders' routes: your choices (/account/reminders) and unsubscribing by a signed link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse

from app.core.i18n import N_
from app.db import SessionDep
from app.forms import form_for
from app.reminders import service
from app.reminders.forms import RemindersForm
from app.reminders.pages import show_reminders, show_unsubscribe
from app.security.access import CurrentUser
from app.web import end_transaction, redirect

router = APIRouter()
UNSUBSCRIBE_PATH = "/reminders/unsubscribe"


@router.get("/account/reminders")
def reminders_page(request: Request, session: SessionDep, user: CurrentUser):
    return show_reminders(request, session, user)


@router.post("/account/reminders")
def save_reminders(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    form: Annotated[
        RemindersForm, Depends(form_for(RemindersForm, show_reminders), scope="function")
    ],
):
    service.save_choices(
        session,
        user,
        email=form.email or None,
        weekly_digest="weekly_digest" in form.notices,
        action_notices="action_notices" in form.notices,
        review_notices="review_notices" in form.notices,
    )
    return redirect(request, "/account/reminders", flash=N_("Your reminder choices are saved."))


@router.get(UNSUBSCRIBE_PATH)
def unsubscribe_page(request: Request, session: SessionDep, t: str = ""):
    user_id = service.user_of_token(request.app.state.settings.secret_key, t)
    return show_unsubscribe(request, session, t, user_id)


@router.post(UNSUBSCRIBE_PATH)
def unsubscribe(request: Request, session: SessionDep, t: str = ""):
    """Both ways in: the confirmation page's button (CSRF-checked like every form), and a mail
    program's one-click POST (RFC 8058), the one request the CSRF check lets through
    (app/security/csrf.py, docs/security.md)."""
    form = getattr(request.state, "form", None)
    one_click = getattr(request.state, "one_click_unsubscribe", False)
    token = t or (form.get("t") if form is not None else "") or ""
    user_id = service.user_of_token(request.app.state.settings.secret_key, str(token))
    service.unsubscribe(session, user_id, how="one-click" if one_click else "link")
    if one_click:
        end_transaction(request)
        return PlainTextResponse("You will get no more reminder emails.")
    return redirect(request, f"{UNSUBSCRIBE_PATH}?t={token}")
