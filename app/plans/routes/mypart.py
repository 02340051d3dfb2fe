"""My part: a person's priorities and actions, one-tap action updates, and a co-lead's change
to their own priority's title and why. The old "My work" address leads here."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core import naming
from app.core.dates import now
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep, StaleEdit
from app.forms import form_for
from app.org import queries as org_queries
from app.plans.deps import ActionUpdater, OwnPriorityEditor
from app.plans.forms import ActionForm, OwnPriorityForm, ProgressForm, problems, refuse_if
from app.plans.pages import mypart as pages
from app.plans.queries.actions import helper_ids_of
from app.plans.routes import router
from app.plans.service import actions as action_service
from app.plans.service import priorities as priority_service
from app.security.access import CurrentUser
from app.web import is_htmx, redirect

Progress = Annotated[
    ProgressForm, Depends(form_for(ProgressForm, pages.show_progress), scope="function")
]
OwnPriority = Annotated[
    OwnPriorityForm, Depends(form_for(OwnPriorityForm, pages.show_own_priority), scope="function")
]
NOTHING = N_("Tap a status, or write a progress note, then save")
STALE = N_("Someone else updated this action first. Here it is as it is now: try again.")


@router.get("/my-part")
def my_part(request: Request, session: SessionDep, user: CurrentUser):
    return pages.show_my_part(request, session, user)


@router.get("/my-work")
def my_work(request: Request):
    return redirect(request, "/my-part")


@router.post("/actions/{action_id}/progress")
def action_progress(request: Request, loaded: ActionUpdater, session: SessionDep, form: Progress):
    action, plan = loaded.action, loaded.plan
    if form.status is None and not form.note.strip():
        raise Refused(NOTHING, status=422, field="note")
    names = org_queries.display_names(session, plan.team_id)
    found = problems(request, {"note": form.note} if form.note else {}, names)
    refuse_if(found, pages.show_progress, request=request, loaded=loaded, session=session)
    change = ActionForm(
        what=action.what,
        owner_member_id=action.owner_member_id,
        helper_ids=helper_ids_of(session, action),
        due_on=action.due_on,
        status=form.status or action.status,
        note=form.note.strip(),
        version=form.version,
    )
    try:
        action_service.update_action(
            session, action, plan, change, actor=loaded.access.user, at=now(request)
        )
    except StaleEdit:
        session.rollback()
        session.refresh(action)
        values = {"note": form.note}
        return pages.show_progress(
            request, loaded, session, values=values, errors={"note": STALE}, status=409
        )
    if is_htmx(request):
        return pages.show_progress(request, loaded, session)
    return redirect(request, f"/my-part#my-action-{action.id}", flash=N_("Action updated."))


@router.get("/priorities/{priority_id}/own")
def own_priority_page(request: Request, loaded: OwnPriorityEditor, session: SessionDep):
    return pages.show_own_priority(request, loaded, session)


@router.post("/priorities/{priority_id}/own")
def change_own_priority(
    request: Request, loaded: OwnPriorityEditor, session: SessionDep, form: OwnPriority
):
    priority, plan = loaded.priority, loaded.plan
    texts = naming.changed(
        {"title": form.title, "why": form.why}, {"title": priority.title, "why": priority.why}
    )
    found = problems(request, texts, org_queries.display_names(session, plan.team_id))
    refuse_if(found, pages.show_own_priority, request=request, loaded=loaded, session=session)
    try:
        priority_service.update_own_priority(
            session,
            priority,
            plan,
            title=form.title,
            why=form.why,
            version=form.version,
            actor=loaded.access.user,
        )
    except StaleEdit:
        session.rollback()
        session.refresh(priority)
        return pages.own_priority_form(request, loaded, status=409, conflict=True)
    return redirect(request, f"/my-part#my-priority-{priority.id}", flash=N_("Priority saved."))
