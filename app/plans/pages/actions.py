"""The action pages and fragments: one action's row, its form (new; update inline with
htmx, both versions after a stale edit), its history, and helper ideas."""

from fastapi import Request
from sqlmodel import Session

from app.core.dates import today
from app.core.i18n import N_
from app.db import SessionDep
from app.plans.deps import ActionAccess, ActionAdder, ActionUpdater, LoadedAction, LoadedPriority
from app.plans.pages.common import asks_names, member_options, titled
from app.plans.queries import actions as action_queries
from app.plans.queries.helper_ideas import helper_ideas
from app.plans.queries.labels import STATUS_LABELS
from app.plans.queries.views import load_action_view
from app.security.access import TeamAccess, may_update_action
from app.web import format_date, render

STATUS_OPTIONS = list(STATUS_LABELS.items())


def ideas(session: Session, access: TeamAccess, team_id: int, text: str) -> dict:
    if not access.inside:
        return {"idea_people": [], "idea_aliases": []}
    people, aliases = helper_ideas(session, team_id, text)
    return {"idea_people": people, "idea_aliases": aliases}


def _form_context(request, session, loaded: LoadedPriority, action=None, text="") -> dict:
    priority, plan = loaded.priority, loaded.plan
    context = {
        "page_title": N_("Update action") if action else N_("Add an action"),
        "priority": priority,
        "plan": plan,
        "team": loaded.team,
        "action": action,
        "options": member_options(session, plan.team_id, request),
        "status_options": STATUS_OPTIONS,
        **ideas(session, loaded.access, plan.team_id, text or f"{priority.title} {priority.why}"),
    }
    if action is not None:
        context["a"] = load_action_view(session, action, plan.team_id, today(request))
    return context


def show_new_action(
    request: Request,
    loaded: ActionAdder,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    context = _form_context(request, session, loaded)
    context["values"] = {"status": "not_started"} if values is None else values
    context["errors"] = errors or {}
    context["ask_names"] = asks_names(errors)
    return render(request, "plans/action_new.html", context, status_code=status)


def edit_values(session: Session, action) -> dict:
    return {
        "what": action.what,
        "owner_member_id": action.owner_member_id or "",
        "helper_ids": [str(i) for i in action_queries.helper_ids_of(session, action)],
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "status": action.status,
        "note": "",
        "version": action.version,
    }


def action_form(
    request: Request,
    session: Session,
    loaded: LoadedAction,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    conflict: dict | None = None,
):
    """The update form, in its row (htmx swaps it into #action-N)."""
    action = loaded.action
    context = _form_context(request, session, loaded, action, action.what)
    context["values"] = edit_values(session, action) if values is None else values
    context["errors"] = errors or {}
    context["ask_names"] = asks_names(errors)
    if conflict:
        context["conflict"] = conflict
    return render(
        request, "plans/action_edit.html", context, status_code=status, block="action_form"
    )


def show_edit_action(
    request: Request,
    loaded: ActionUpdater,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    return action_form(request, session, loaded, values=values, errors=errors, status=status)


def _shown(source, names: dict, note: str) -> dict:
    """One version of an action, in words, for the side-by-side conflict table."""
    return {
        "what": source.what,
        "status": source.status,
        "due": format_date(source.due_on) if source.due_on else N_("No due date"),
        "owner": names.get(source.owner_member_id, N_("No owner yet")),
        "note": note,
    }


def show_conflict(request: Request, session: Session, loaded: LoadedAction, data):
    """Someone saved first: the form holds theirs, and a table shows both versions (409)."""
    action = loaded.action
    everyone = member_options(session, loaded.plan.team_id, request)["everyone"]
    names = {member_id: text for member_id, text in everyone}
    history = action_queries.action_history(session, action.id)
    latest = (history[0][0].note if history else "") or "–"
    conflict = {
        "theirs": _shown(action, names, latest),
        "yours": _shown(data, names, data.note or "–"),
    }
    values = {**edit_values(session, action), "note": data.note}
    return action_form(request, session, loaded, values=values, status=409, conflict=conflict)


def show_row(request: Request, loaded: ActionAccess, session: SessionDep):
    """One action: its row (htmx swaps it into #action-N), or a page holding it."""
    action, priority, plan = loaded.action, loaded.priority, loaded.plan
    view = load_action_view(session, action, plan.team_id, today(request), priority, plan)
    view.may_update = plan.status != "closed" and may_update_action(loaded.access, action, priority)
    context = {
        "page_title": action.what,
        "a": view,
        "priority": priority,
        "plan": plan,
        "team": loaded.team,
        "access": loaded.access,
    }
    return render(request, "plans/action.html", context, block="action_row")


def show_history(request: Request, loaded: ActionAccess, session: SessionDep):
    action = loaded.action
    return render(
        request,
        "plans/action_history.html",
        {
            "page_title": titled(request, N_("History: %(what)s"), what=action.what),
            "action": action,
            "priority": loaded.priority,
            "plan": loaded.plan,
            "team": loaded.team,
            "access": loaded.access,
            "history": action_queries.action_history(session, action.id),
            "describe": action_queries.describe_update,
        },
    )


def show_helper_ideas(request: Request, session: Session, loaded: LoadedPriority, what: str):
    priority = loaded.priority
    context = ideas(
        session, loaded.access, loaded.plan.team_id, what or f"{priority.title} {priority.why}"
    )
    # This fragment is fetched while someone types, alongside other requests: end the read
    # now (SQLite holds its lock until the session closes), before rendering.
    session.close()
    return render(
        request, "plans/_helper_ideas.html", {**context, "team": loaded.team, "priority": priority}
    )
