"""The priority pages: one priority, and its form (new, change, both versions after a
stale edit)."""

from fastapi import Request
from sqlmodel import Session

from app.core.i18n import N_
from app.db import SessionDep
from app.plans.deps import LoadedPlan, PlanEditor, PriorityAccess, PriorityEditor
from app.plans.pages.common import asks_names, member_options, statement_groups
from app.plans.pages.plans import plan_context
from app.plans.queries.actions import priority_links
from app.plans.queries.plans import plan_statements
from app.web import render

FORM = "plans/priority_form.html"


def show_priority(request: Request, loaded: PriorityAccess, session: SessionDep):
    context = plan_context(session, request, loaded.plan, loaded.access)
    context["views"] = [v for v in context["views"] if v.priority.id == loaded.priority.id]
    context["page_title"] = loaded.priority.title
    return render(request, "plans/priority.html", context)


def priority_form(
    request: Request,
    session: Session,
    loaded: LoadedPlan,
    priority=None,
    *,
    values: dict,
    errors: dict | None = None,
    status: int = 200,
    conflict: dict | None = None,
):
    context = {
        "page_title": N_("Change priority") if priority else N_("Add a priority"),
        "plan": loaded.plan,
        "team": loaded.team,
        "priority": priority,
        "options": member_options(session, loaded.plan.team_id, request),
        "statement_groups": statement_groups(session, loaded.plan),
        "values": values,
        "errors": errors or {},
        "ask_names": asks_names(errors),
    }
    if conflict:
        context["conflict"] = conflict
    return render(request, FORM, context, status_code=status)


def saved_values(session: Session, priority) -> dict:
    return {**priority.model_dump(mode="json"), **priority_links(session, priority)}


def show_new_priority(
    request: Request,
    loaded: PlanEditor,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    if values is None:
        values = {"impact": "high", "effort": "low", "statement_ids": []}
        code = request.query_params.get("statement", "")
        if code:
            statements = plan_statements(session, loaded.plan)
            match = next((s for s in statements if s.code == code), None)
            if match is not None:
                values["statement_ids"] = [str(match.id)]
                values["title"] = match.text[:120]
    return priority_form(request, session, loaded, values=values, errors=errors, status=status)


def show_edit_priority(
    request: Request,
    loaded: PriorityEditor,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    if values is None:
        values = saved_values(session, loaded.priority)
    return priority_form(
        request, session, loaded, loaded.priority, values=values, errors=errors, status=status
    )
