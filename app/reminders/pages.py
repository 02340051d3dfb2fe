"""Reminders' pages: your reminder choices, and the unsubscribe confirmation."""

from __future__ import annotations

from fastapi import Request

from app.core.i18n import N_
from app.db import SessionDep
from app.reminders import queries
from app.security.access import CurrentUser
from app.web import render

NOTICE_OPTIONS = [
    ("weekly_digest", N_("A weekly email of what is due in the next four weeks")),
    ("action_notices", N_("An email when an action you own or co-lead is due soon or overdue")),
    ("review_notices", N_("An email when a plan review is due, for teams you facilitate")),
]


def show_reminders(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    *,
    values=None,
    errors=None,
    status=200,
):
    choice = queries.choice_of(session, user.id)
    saved = {
        "email": choice.email or "" if choice else "",
        "notices": [k for k, _ in NOTICE_OPTIONS if choice and getattr(choice, k)],
    }
    context = {
        "page_title": N_("Email reminders"),
        "options": NOTICE_OPTIONS,
        "values": {**saved, **(values or {})},
        "errors": errors or {},
        "sending": request.app.state.settings.reminders_sender != "none",
    }
    return render(request, "reminders/choices.html", context, status_code=status)


def show_unsubscribe(request: Request, session: SessionDep, token: str, user_id: int):
    choice = queries.choice_of(session, user_id)
    on = bool(choice and (choice.weekly_digest or choice.action_notices or choice.review_notices))
    context = {
        "page_title": N_("Stop reminder emails")
        if on
        else N_("You will get no more reminder emails"),
        "token": token,
        "on": on,
    }
    return render(request, "reminders/unsubscribe.html", context)
