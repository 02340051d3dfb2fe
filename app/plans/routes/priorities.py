"""Priorities: add, read, change (both versions after a stale edit), remove (after a
confirmation step) and restore."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core import naming
from app.core.i18n import N_
from app.db import SessionDep, StaleEdit
from app.forms import form_for
from app.org import queries as org_queries
from app.plans.deps import PlanEditor, PriorityAccess, PriorityEditor, RemovedPriority
from app.plans.forms import PriorityForm, problems, refuse_if
from app.plans.pages import priorities as pages
from app.plans.pages import reviews as review_pages
from app.plans.routes import router
from app.plans.service import priorities as service
from app.web import redirect

NewPriority = Annotated[
    PriorityForm, Depends(form_for(PriorityForm, pages.show_new_priority), scope="function")
]
ChangedPriority = Annotated[
    PriorityForm, Depends(form_for(PriorityForm, pages.show_edit_priority), scope="function")
]


def _problems(request, session, plan, form: PriorityForm, priority=None) -> dict:
    texts = {"title": form.title, "why": form.why}
    if priority is not None:
        texts = naming.changed(texts, {"title": priority.title, "why": priority.why})
    names = org_queries.display_names(session, plan.team_id)
    return problems(request, texts, names, service.check_priority(session, plan, form))


@router.get("/plans/{plan_id}/priorities/new")
def new_priority_page(request: Request, loaded: PlanEditor, session: SessionDep):
    return pages.show_new_priority(request, loaded, session)


@router.post("/plans/{plan_id}/priorities")
def add_priority(request: Request, loaded: PlanEditor, session: SessionDep, form: NewPriority):
    found = _problems(request, session, loaded.plan, form)
    refuse_if(found, pages.show_new_priority, request=request, loaded=loaded, session=session)
    priority = service.add_priority(session, loaded.plan, form, actor=loaded.access.user)
    url = f"/plans/{loaded.plan.id}#priority-{priority.id}"
    return redirect(request, url, flash=N_("Priority added."))


@router.get("/priorities/{priority_id}")
def priority_page(request: Request, loaded: PriorityAccess, session: SessionDep):
    return pages.show_priority(request, loaded, session)


@router.get("/priorities/{priority_id}/edit")
def edit_priority_page(request: Request, loaded: PriorityEditor, session: SessionDep):
    return pages.show_edit_priority(request, loaded, session)


@router.post("/priorities/{priority_id}")
def update_priority(
    request: Request, loaded: PriorityEditor, session: SessionDep, form: ChangedPriority
):
    priority, plan = loaded.priority, loaded.plan
    found = _problems(request, session, plan, form, priority)
    refuse_if(found, pages.show_edit_priority, request=request, loaded=loaded, session=session)
    try:
        service.update_priority(
            session, priority, plan, form, version=form.version, actor=loaded.access.user
        )
    except StaleEdit:
        session.rollback()
        session.refresh(priority)
        return pages.priority_form(
            request,
            session,
            loaded,
            priority,
            values=pages.saved_values(session, priority),
            status=409,
            conflict={"yours": form, "theirs": priority},
        )
    return redirect(
        request, f"/plans/{plan.id}#priority-{priority.id}", flash=N_("Priority saved.")
    )


REMOVE_DETAIL = (
    "It goes from the plan, the exports and /compare. Its actions, progress notes and history "
    "are kept, and a facilitator can bring it back."
)


@router.get("/priorities/{priority_id}/remove")
def confirm_remove_priority(request: Request, loaded: PriorityEditor):
    """The confirmation step first (a link and a form: it works without JavaScript)."""
    url = f"/priorities/{loaded.priority.id}"
    return review_pages.show_confirm_remove(
        request,
        question=N_("Remove the priority \u201c%(title)s\u201d?"),
        title=loaded.priority.title,
        action=f"{url}/remove",
        back=f"/plans/{loaded.plan.id}#priority-{loaded.priority.id}",
        team=loaded.team,
        detail=REMOVE_DETAIL,
    )


@router.post("/priorities/{priority_id}/remove")
def remove_priority(request: Request, loaded: PriorityEditor, session: SessionDep):
    service.remove_priority(session, loaded.priority, loaded.plan, actor=loaded.access.user)
    flash = N_("Priority removed. Its actions and history are kept: a facilitator can restore it.")
    return redirect(request, f"/plans/{loaded.plan.id}#removed", flash=flash)


@router.post("/priorities/{priority_id}/restore")
def restore_priority(request: Request, loaded: RemovedPriority, session: SessionDep):
    service.restore_priority(session, loaded.priority, loaded.plan, actor=loaded.access.user)
    url = f"/plans/{loaded.plan.id}#priority-{loaded.priority.id}"
    return redirect(request, url, flash=N_("Priority restored."))
