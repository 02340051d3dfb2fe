"""My part (`/my-part`): the priorities a person co-leads and the actions they own, each
action with one-tap updates (status, a progress note); and a co-lead's own form for their
priority's title and why."""

from __future__ import annotations

from fastapi import Request
from sqlmodel import Session

from app.core.dates import today
from app.core.i18n import N_
from app.db import SessionDep
from app.models import User
from app.plans.deps import ActionUpdater, LoadedPriority, OwnPriorityEditor
from app.plans.pages.common import asks_names, titled
from app.plans.queries.labels import STATUS_LABELS
from app.plans.queries.mypart import my_part
from app.plans.queries.views import load_action_view
from app.web import render

# the one-tap answers (a tap on one saves it, with the note if one was written)
QUICK_STATUSES = [(s, STATUS_LABELS[s]) for s in ("in_progress", "done", "stuck")]


def show_my_part(request: Request, session: Session, user: User, *, status: int = 200):
    context = {
        "page_title": N_("My part"),
        "part": my_part(session, user, today(request)),
        "quick_statuses": QUICK_STATUSES,
        "errors": {},
        "values": {},
    }
    return render(request, "plans/my_part.html", context, status_code=status)


def show_progress(
    request: Request,
    loaded: ActionUpdater,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    """One action's card on My part (htmx swaps it into #my-action-N), with a problem by its
    field; without JavaScript, a page holding the card."""
    action, priority, plan = loaded.action, loaded.priority, loaded.plan
    a = load_action_view(session, action, plan.team_id, today(request), priority, plan)
    a.may_update = True
    context = {
        "page_title": titled(request, N_("Update: %(what)s"), what=action.what),
        "a": a,
        "priority": priority,
        "plan": plan,
        "team": loaded.team,
        "quick_statuses": QUICK_STATUSES,
        "values": values or {},
        "errors": errors or {},
        "alone": True,
    }
    return render(request, "plans/my_action.html", context, status_code=status, block="my_action")


def show_own_priority(
    request: Request,
    loaded: OwnPriorityEditor,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    return own_priority_form(request, loaded, values=values, errors=errors, status=status)


def own_priority_form(
    request: Request,
    loaded: LoadedPriority,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    conflict: bool = False,
):
    priority = loaded.priority
    saved = {"title": priority.title, "why": priority.why, "version": priority.version}
    context = {
        "page_title": N_("Change our priority"),
        "priority": priority,
        "plan": loaded.plan,
        "team": loaded.team,
        "values": saved if values is None else values,
        "errors": errors or {},
        "ask_names": asks_names(errors),
        "conflict": conflict,
    }
    return render(request, "plans/own_priority.html", context, status_code=status)
