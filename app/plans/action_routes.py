"""Actions: add, update inline (htmx) or by plain form, history, helper ideas."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from app.core import naming
from app.db import SessionDep
from app.forms import parse_form
from app.plans import actions as actions_service
from app.plans import helper_ideas
from app.plans.forms import ActionForm
from app.plans.labels import STATUS_LABELS
from app.plans.loading import load_action, load_priority, may_add_action, today
from app.plans.pages import member_options
from app.plans.service import StaleEdit
from app.plans.views import load_action_view
from app.security.access import CurrentUser, may_update_action
from app.security.clock import now
from app.web import format_date, is_htmx, redirect, render

router = APIRouter()

STATUS_OPTIONS = list(STATUS_LABELS.items())


def _ideas(session, access, team_id: int, text: str) -> dict:
    if not access.inside:
        return {"idea_people": [], "idea_aliases": []}
    people, aliases = helper_ideas.helper_ideas(session, team_id, text)
    return {"idea_people": people, "idea_aliases": aliases}


def _form_context(session, request, priority, plan, access, action=None, text="") -> dict:
    context = {
        "page_title": "Update action" if action else "Add an action",
        "priority": priority,
        "plan": plan,
        "team": access.team,
        "action": action,
        "options": member_options(session, plan.team_id),
        "status_options": STATUS_OPTIONS,
        "values": {},
        "errors": {},
        **_ideas(session, access, plan.team_id, text or f"{priority.title} {priority.why}"),
    }
    if action is not None:
        context["a"] = load_action_view(session, action, plan.team_id, today(request))
    return context


# --- adding ------------------------------------------------------------------------------


def _require_adder(access, priority, plan) -> None:
    if plan.status == "closed":
        raise HTTPException(409, "This plan is closed. Start a new plan to make changes.")
    if not may_add_action(access, priority):
        raise HTTPException(403, "Only this priority's co-leads and facilitators can add actions.")


@router.get("/priorities/{priority_id}/actions/new")
def new_action_page(request: Request, priority_id: int, session: SessionDep, user: CurrentUser):
    priority, plan, access = load_priority(session, user, priority_id)
    _require_adder(access, priority, plan)
    context = _form_context(session, request, priority, plan, access)
    context["values"] = {"status": "not_started"}
    return render(request, "plans/action_new.html", context)


@router.post("/priorities/{priority_id}/actions")
def add_action(request: Request, priority_id: int, session: SessionDep, user: CurrentUser):
    priority, plan, access = load_priority(session, user, priority_id)
    _require_adder(access, priority, plan)
    context = _form_context(session, request, priority, plan, access)
    data = parse_form(request, ActionForm, template="plans/action_new.html", context=context)
    naming.ask_before_saving(
        request,
        {"what": data.what},
        naming.display_names(session, plan.team_id),
        template="plans/action_new.html",
        values=data,
        context=context,
        errors=actions_service.check_people(session, plan.team_id, data),
    )
    action = actions_service.add_action(session, priority, plan, data, actor=user, at=now(request))
    session.commit()
    return redirect(request, f"/plans/{plan.id}#action-{action.id}", flash="Action added.")


@router.get("/priorities/{priority_id}/helper-ideas")
def helper_ideas_fragment(
    request: Request, priority_id: int, session: SessionDep, user: CurrentUser, what: str = ""
):
    priority, plan, access = load_priority(session, user, priority_id)
    access.require_inside()
    context = _ideas(session, access, plan.team_id, what or f"{priority.title} {priority.why}")
    # This fragment is fetched while someone types, alongside other requests: end the read
    # now (SQLite holds its lock until the session closes), before rendering.
    session.close()
    return render(
        request, "plans/_helper_ideas.html", {**context, "team": access.team, "priority": priority}
    )


# --- one action --------------------------------------------------------------------------


def _row(request, session, action, priority, plan, access, status_code=200):
    view = load_action_view(session, action, plan.team_id, today(request), priority, plan)
    view.may_update = plan.status != "closed" and may_update_action(access, action, priority)
    context = {
        "page_title": action.what,
        "a": view,
        "priority": priority,
        "plan": plan,
        "team": access.team,
        "access": access,
    }
    return render(
        request, "plans/action.html", context, status_code=status_code, block="action_row"
    )


@router.get("/actions/{action_id}")
def action_page(request: Request, action_id: int, session: SessionDep, user: CurrentUser):
    action, priority, plan, access = load_action(session, user, action_id)
    return _row(request, session, action, priority, plan, access)


def _require_updater(access, action, priority, plan) -> None:
    if plan.status == "closed":
        raise HTTPException(409, "This plan is closed. Its actions are kept as they were.")
    if not may_update_action(access, action, priority):
        raise HTTPException(
            403, "Only the action's owner, the priority's co-leads and facilitators can update it."
        )


def _edit_values(session, action) -> dict:
    return {
        "what": action.what,
        "owner_member_id": action.owner_member_id or "",
        "helper_ids": [str(i) for i in actions_service.helper_ids_of(session, action)],
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "status": action.status,
        "note": "",
        "version": action.version,
    }


def _latest_note(session, action) -> str:
    history = actions_service.action_history(session, action.id)
    return (history[0][0].note if history else "") or "–"


def _shown(source, names: dict, note: str) -> dict:
    """One version of an action, in words, for the side-by-side conflict table."""
    return {
        "what": source.what,
        "status": source.status,
        "due": format_date(source.due_on) if source.due_on else "No due date",
        "owner": names.get(source.owner_member_id, "No owner yet"),
        "note": note,
    }


@router.get("/actions/{action_id}/edit")
def edit_action_page(request: Request, action_id: int, session: SessionDep, user: CurrentUser):
    action, priority, plan, access = load_action(session, user, action_id)
    _require_updater(access, action, priority, plan)
    context = _form_context(session, request, priority, plan, access, action, action.what)
    context["values"] = _edit_values(session, action)
    return render(request, "plans/action_edit.html", context, block="action_form")


@router.post("/actions/{action_id}/update")
def update_action(request: Request, action_id: int, session: SessionDep, user: CurrentUser):
    action, priority, plan, access = load_action(session, user, action_id)
    _require_updater(access, action, priority, plan)
    context = _form_context(session, request, priority, plan, access, action, action.what)
    data = parse_form(
        request,
        ActionForm,
        template="plans/action_edit.html",
        context=context,
        block="action_form",
    )
    naming.ask_before_saving(
        request,
        naming.changed({"what": data.what}, {"what": action.what}),
        naming.display_names(session, plan.team_id),
        template="plans/action_edit.html",
        values=data,
        context=context,
        block="action_form",
        errors=actions_service.check_people(session, plan.team_id, data),
    )
    try:
        actions_service.update_action(session, action, plan, data, actor=user, at=now(request))
    except StaleEdit:
        session.rollback()
        session.refresh(action)
        context = _form_context(session, request, priority, plan, access, action, action.what)
        names = {m_id: text for m_id, text in member_options(session, plan.team_id)["everyone"]}
        context["values"] = {**_edit_values(session, action), "note": data.note}
        context["conflict"] = {
            "theirs": _shown(action, names, _latest_note(session, action)),
            "yours": _shown(data, names, data.note or "–"),
        }
        return render(
            request, "plans/action_edit.html", context, status_code=409, block="action_form"
        )
    session.commit()
    if is_htmx(request):
        return _row(request, session, action, priority, plan, access)
    return redirect(request, f"/plans/{plan.id}#action-{action.id}", flash="Action updated.")


@router.get("/actions/{action_id}/history")
def action_history(request: Request, action_id: int, session: SessionDep, user: CurrentUser):
    action, priority, plan, access = load_action(session, user, action_id)
    history = actions_service.action_history(session, action.id)
    return render(
        request,
        "plans/action_history.html",
        {
            "page_title": f"History: {action.what}",
            "action": action,
            "priority": priority,
            "plan": plan,
            "team": access.team,
            "access": access,
            "history": history,
            "describe": actions_service.describe_update,
        },
    )
