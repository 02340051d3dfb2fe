"""Actions: add, update inline (htmx) or by plain form, history, helper ideas."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core import naming
from app.core.dates import now, today
from app.core.i18n import N_
from app.db import SessionDep, StaleEdit
from app.forms import form_for
from app.org import queries as org_queries
from app.plans.deps import ActionAccess, ActionAdder, ActionUpdater, PriorityAccess
from app.plans.forms import ActionForm, problems, refuse_if, window_problems
from app.plans.pages import actions as pages
from app.plans.routes import router
from app.plans.service import actions as service
from app.web import is_htmx, redirect

NewAction = Annotated[
    ActionForm, Depends(form_for(ActionForm, pages.show_new_action), scope="function")
]
ChangedAction = Annotated[
    ActionForm, Depends(form_for(ActionForm, pages.show_edit_action), scope="function")
]


@router.get("/priorities/{priority_id}/actions/new")
def new_action_page(request: Request, loaded: ActionAdder, session: SessionDep):
    return pages.show_new_action(request, loaded, session)


@router.post("/priorities/{priority_id}/actions")
def add_action(request: Request, loaded: ActionAdder, session: SessionDep, form: NewAction):
    plan = loaded.plan
    names = org_queries.display_names(session, plan.team_id)
    others = service.check_people(session, plan.team_id, form)
    others |= window_problems(form, today(request), loaded.team)
    found = problems(request, {"what": form.what}, names, others)
    refuse_if(found, pages.show_new_action, request=request, loaded=loaded, session=session)
    action = service.add_action(
        session, loaded.priority, plan, form, actor=loaded.access.user, at=now(request)
    )
    return redirect(request, f"/plans/{plan.id}#action-{action.id}", flash=N_("Action added."))


@router.get("/priorities/{priority_id}/helper-ideas")
def helper_ideas_fragment(
    request: Request, loaded: PriorityAccess, session: SessionDep, what: str = ""
):
    loaded.access.require_inside()
    return pages.show_helper_ideas(request, session, loaded, what)


@router.get("/actions/{action_id}")
def action_page(request: Request, loaded: ActionAccess, session: SessionDep):
    return pages.show_row(request, loaded, session)


@router.get("/actions/{action_id}/edit")
def edit_action_page(request: Request, loaded: ActionUpdater, session: SessionDep):
    return pages.show_edit_action(request, loaded, session)


@router.post("/actions/{action_id}/update")
def update_action(
    request: Request, loaded: ActionUpdater, session: SessionDep, form: ChangedAction
):
    action, plan = loaded.action, loaded.plan
    texts = naming.changed({"what": form.what}, {"what": action.what})
    names = org_queries.display_names(session, plan.team_id)
    others = service.check_people(session, plan.team_id, form)
    others |= window_problems(
        form, today(request), loaded.team, unchanged={"due_on": action.due_on}
    )
    found = problems(request, texts, names, others)
    refuse_if(found, pages.show_edit_action, request=request, loaded=loaded, session=session)
    try:
        service.update_action(
            session, action, plan, form, actor=loaded.access.user, at=now(request)
        )
    except StaleEdit:
        session.rollback()
        session.refresh(action)
        return pages.show_conflict(request, session, loaded, form)
    if is_htmx(request):
        return pages.show_row(request, loaded, session)
    return redirect(request, f"/plans/{plan.id}#action-{action.id}", flash=N_("Action updated."))


@router.get("/actions/{action_id}/history")
def action_history(request: Request, loaded: ActionAccess, session: SessionDep):
    return pages.show_history(request, loaded, session)
