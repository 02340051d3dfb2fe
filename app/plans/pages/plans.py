"""The plan pages: the plan (and its review-date form), no plan yet, history, a new plan,
printing, suggestions, an invitation, and the open-actions panel."""

from fastapi import Request
from sqlmodel import Session

from app.core import i18n
from app.core.dates import today
from app.core.i18n import N_
from app.db import SessionDep
from app.models import Plan, Round
from app.plans.deps import (
    InsideTeam,
    LoadedPlan,
    PlanAccess,
    TeamPlanEditor,
    may_add_action,
)
from app.plans.pages.common import asks_names
from app.plans.queries import plans as plan_queries
from app.plans.queries import reviews as review_queries
from app.plans.queries.labels import QUADRANTS
from app.plans.queries.views import plan_view, removed_priorities, without_account
from app.security.access import TeamAccess, TeamAccessDep, may_edit_plan, may_update_action
from app.web import language_of, render


def plan_context(session: Session, request: Request, plan: Plan, access: TeamAccess) -> dict:
    day = today(request)
    i18n.use_language(language_of(request))  # "still to do" is written now, as render will
    views = plan_view(session, plan, day)
    editable = plan.status != "closed"
    for view in views:
        for item in view.actions:
            item.may_update = editable and may_update_action(access, item.action, view.priority)
    may_edit = editable and may_edit_plan(access)
    current = plan_queries.current_plan(session, plan.team_id)
    return {
        "page_title": plan.title,
        "plan": plan,
        "team": access.team,
        "access": access,
        "views": views,
        "grid": {q: [v for v in views if v.quadrant == q] for q in QUADRANTS},
        "today": day,
        "may_edit": may_edit,
        "may_add": {v.priority.id: editable and may_add_action(access, v.priority) for v in views},
        "problems": plan_queries.agree_problems(session, plan) if plan.status == "draft" else [],
        "reviews": review_queries.plan_reviews(session, plan.id),
        "source_round": session.get(Round, plan.source_round_id) if plan.source_round_id else None,
        "is_current": current is not None and current.id == plan.id,
        "no_account": without_account(views) if may_edit and access.inside else [],
        "removed": removed_priorities(session, plan.id) if may_edit else [],
        "values": {"review_due": plan.review_due.isoformat() if plan.review_due else ""},
        "errors": {},
    }


def plan_page(
    request: Request,
    session: Session,
    loaded: LoadedPlan,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
    agree_errors: list[str] | None = None,
):
    context = plan_context(session, request, loaded.plan, loaded.access)
    if values is not None:
        context["values"] = values
    context["errors"] = errors or {}
    if agree_errors:
        context["agree_errors"] = agree_errors
    return render(request, "plans/plan.html", context, status_code=status)


def show_plan(
    request: Request,
    loaded: PlanAccess,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    """The plan page; with the review-date form's problems when that form failed."""
    return plan_page(request, session, loaded, values=values, errors=errors, status=status)


def show_team_plan(request: Request, access: TeamAccessDep, session: SessionDep):
    """The team's current plan, or a page saying there is none yet."""
    plan = plan_queries.current_plan(session, access.team.id)
    if plan is not None:
        return plan_page(request, session, LoadedPlan(plan, access))
    return render(
        request,
        "plans/no_plan.html",
        {
            "page_title": N_("Action plan"),
            "team": access.team,
            "access": access,
            "may_edit": may_edit_plan(access),
            "plans": plan_queries.team_plans(session, access.team.id),
        },
    )


def show_history(request: Request, access: TeamAccessDep, session: SessionDep):
    return render(
        request,
        "plans/history.html",
        {
            "page_title": N_("Plans"),
            "team": access.team,
            "plans": plan_queries.team_plans(session, access.team.id),
            "may_edit": may_edit_plan(access),
        },
    )


def show_new_plan(
    request: Request,
    access: TeamPlanEditor,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    """Start a new plan: from which finished round, and which open actions come with it."""
    rounds = plan_queries.closed_rounds(session, access.team.id)
    candidates = plan_queries.carry_candidates(session, access.team.id, today(request))
    if values is None:
        chosen = request.query_params.get("round_id") or (str(rounds[0].id) if rounds else "")
        picked = next((r for r in rounds if str(r.id) == chosen), None)
        values = {
            "title": f"Plan from {picked.title}" if picked else "Our action plan",
            "source_round_id": chosen,
            "carry_action_ids": [str(c.action.id) for c in candidates],
            "statement": request.query_params.get("statement", ""),
        }
    context = {
        "page_title": N_("Start a new plan"),
        "team": access.team,
        "rounds": rounds,
        "candidates": candidates,
        "current": plan_queries.current_plan(session, access.team.id),
        "values": values,
        "errors": errors or {},
        "ask_names": asks_names(errors),
    }
    return render(request, "plans/new_plan.html", context, status_code=status)


def show_print(request: Request, loaded: PlanAccess, session: SessionDep):
    day = today(request)
    return render(
        request,
        "plans/print.html",
        {
            "page_title": loaded.plan.title,
            "plan": loaded.plan,
            "team": loaded.team,
            "access": loaded.access,
            "views": plan_view(session, loaded.plan, day),
            "today": day,
        },
    )


def show_suggestions(request: Request, session: Session, round_: Round, access: TeamAccess):
    from app.plans.queries import suggestions

    i18n.use_language(language_of(request))  # the reasons are written now, as render will
    plan = plan_queries.current_plan(session, round_.team_id)
    codes = {s.code for s in plan_queries.plan_statements(session, plan)} if plan else set()
    return render(
        request,
        "plans/suggestions.html",
        {
            "page_title": i18n._("Suggested priorities: %(round)s") % {"round": round_.title},
            "round": round_,
            "team": access.team,
            "groups": suggestions.suggest(session, round_),
            "plan": plan,
            "plan_codes": codes,
            "may_edit": may_edit_plan(access),
        },
    )


def show_invitation(request: Request, loaded: LoadedPlan, member, invitation, url: str):
    from app.core.codes import qr_svg

    return render(
        request,
        "plans/invitation.html",
        {
            "page_title": f"Invitation for {member.display_name}",
            "member": member,
            "plan": loaded.plan,
            "team": loaded.team,
            "invitation": invitation,
            "url": url,
            "qr": qr_svg(url, label=f"QR code for {member.display_name}'s invitation link"),
        },
    )


def show_open_actions(request: Request, access: InsideTeam, session: SessionDep):
    """The "review before you benchmark again" panel: the open actions of the team's current
    plan. With htmx (the new-round page loads it) only the panel; without, a page."""
    plan = plan_queries.current_plan(session, access.team.id)
    found = plan_queries.open_actions_of_plan(session, plan, today(request)) if plan else []
    # a recent review answered the prompt: the page says so, not "no open actions"
    reviewed = bool(found) and review_queries.reviewed_lately(session, plan, today(request))
    context = {
        "page_title": N_("Actions still open"),
        "team": access.team,
        "plan": plan,
        "open_actions": [] if reviewed else found,
        "reviewed_open": len(found) if reviewed else 0,
    }
    return render(request, "plans/open_actions.html", context, block="panel")
