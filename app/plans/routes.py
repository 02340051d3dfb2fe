"""Plans and priorities (thin routes; the work is in the service modules)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request

from app.core import naming
from app.db import SessionDep
from app.forms import invalid, parse_form, submitted_form
from app.models import Round, TeamMember
from app.plans import priorities as priorities_service
from app.plans import service
from app.plans import suggestions as suggestions_service
from app.plans.forms import NewPlanForm, PriorityForm, ReviewDueForm
from app.plans.loading import load_plan, load_priority, require_plan_editor, today
from app.plans.pages import member_options, plan_context, statement_groups
from app.security.access import CurrentUser, TeamAccessDep, may_edit_plan, require_access
from app.security.clock import now
from app.web import redirect, render

router = APIRouter()


# --- suggestions -------------------------------------------------------------------------


@router.get("/rounds/{round_id}/suggestions")
def suggestions(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise HTTPException(404)
    access = require_access(session, user, round_.team_id)
    access.require_inside()
    if round_.status != "closed":
        raise HTTPException(404)
    plan = service.current_plan(session, round_.team_id)
    return render(
        request,
        "plans/suggestions.html",
        {
            "page_title": f"Suggested priorities: {round_.title}",
            "round": round_,
            "team": access.team,
            "groups": suggestions_service.suggest(session, round_),
            "plan": plan,
            "plan_codes": {s.code for s in service.plan_statements(session, plan)}
            if plan
            else set(),
            "may_edit": may_edit_plan(access),
        },
    )


# --- plans -------------------------------------------------------------------------------


@router.get("/teams/{team_id}/plan")
def current_plan_page(request: Request, access: TeamAccessDep, session: SessionDep):
    plan = service.current_plan(session, access.team.id)
    if plan is None:
        return render(
            request,
            "plans/no_plan.html",
            {
                "page_title": "Action plan",
                "team": access.team,
                "access": access,
                "may_edit": may_edit_plan(access),
                "plans": service.team_plans(session, access.team.id),
            },
        )
    return render(request, "plans/plan.html", plan_context(session, request, plan, access))


@router.get("/teams/{team_id}/plans")
def plan_history(request: Request, access: TeamAccessDep, session: SessionDep):
    return render(
        request,
        "plans/history.html",
        {
            "page_title": "Plans",
            "team": access.team,
            "plans": service.team_plans(session, access.team.id),
            "may_edit": may_edit_plan(access),
        },
    )


def _new_plan_context(session, request, access, values=None) -> dict:
    rounds = service.closed_rounds(session, access.team.id)
    candidates = service.carry_candidates(session, access.team.id, today(request))
    if values is None:
        chosen = request.query_params.get("round_id") or (str(rounds[0].id) if rounds else "")
        picked = next((r for r in rounds if str(r.id) == chosen), None)
        values = {
            "title": f"Plan from {picked.title}" if picked else "Our action plan",
            "source_round_id": chosen,
            "carry_action_ids": [str(c.action.id) for c in candidates],
            "statement": request.query_params.get("statement", ""),
        }
    return {
        "page_title": "Start a new plan",
        "team": access.team,
        "rounds": rounds,
        "candidates": candidates,
        "current": service.current_plan(session, access.team.id),
        "values": values,
        "errors": {},
    }


@router.get("/teams/{team_id}/plans/new")
def new_plan_page(request: Request, access: TeamAccessDep, session: SessionDep):
    require_plan_editor(access)
    return render(request, "plans/new_plan.html", _new_plan_context(session, request, access))


@router.post("/teams/{team_id}/plans")
def create_plan(request: Request, access: TeamAccessDep, session: SessionDep):
    require_plan_editor(access)
    context = _new_plan_context(session, request, access, values={})
    data = parse_form(request, NewPlanForm, template="plans/new_plan.html", context=context)
    source = None
    if data.source_round_id is not None:
        source = session.get(Round, data.source_round_id)
        if source is None or source.team_id != access.team.id or source.status != "closed":
            raise invalid(
                "plans/new_plan.html",
                data,
                context,
                source_round_id="Choose one of this team's finished rounds",
            )
    naming.ask_before_saving(
        request,
        {"title": data.title},
        naming.display_names(session, access.team.id),
        template="plans/new_plan.html",
        values=data,
        context=context,
    )
    allowed = {c.action.id for c in context["candidates"]}
    plan = service.create_plan(
        session,
        team=access.team,
        title=data.title,
        source_round=source,
        carry_action_ids=[i for i in data.carry_action_ids if i in allowed],
        actor=access.user,
    )
    session.commit()
    if data.statement:
        code = quote(data.statement, safe="")
        return redirect(request, f"/plans/{plan.id}/priorities/new?statement={code}")
    return redirect(request, f"/plans/{plan.id}", flash="Plan started. Add 3 to 5 priorities.")


@router.get("/plans/{plan_id}")
def plan_page(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    return render(request, "plans/plan.html", plan_context(session, request, plan, access))


@router.post("/plans/{plan_id}/agree")
def agree_plan(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    if plan.status != "draft":
        return redirect(request, f"/plans/{plan.id}")
    problems = service.agree_plan(session, plan, actor=user, today=today(request))
    if problems:
        context = plan_context(session, request, plan, access)
        context["agree_errors"] = problems
        return render(request, "plans/plan.html", context, status_code=422)
    session.commit()
    return redirect(request, f"/plans/{plan.id}", flash="The plan is agreed. Well done.")


@router.post("/plans/{plan_id}/close")
def close_plan(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    service.close_plan(session, plan, actor=user)
    session.commit()
    return redirect(request, f"/plans/{plan.id}", flash="The plan is closed and kept as history.")


@router.post("/plans/{plan_id}/review-due")
def set_review_due(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    data = parse_form(
        request,
        ReviewDueForm,
        template="plans/plan.html",
        context=plan_context(session, request, plan, access),
    )
    service.set_review_due(session, plan, data.review_due, actor=user)
    session.commit()
    return redirect(request, f"/plans/{plan.id}", flash="Review date saved.")


# --- priorities --------------------------------------------------------------------------


def _priority_form_context(session, plan, access, priority=None, values=None) -> dict:
    return {
        "page_title": "Change priority" if priority else "Add a priority",
        "plan": plan,
        "team": access.team,
        "priority": priority,
        "options": member_options(session, plan.team_id),
        "statement_groups": statement_groups(session, plan),
        "values": values or {},
        "errors": {},
    }


@router.get("/plans/{plan_id}/priorities/new")
def new_priority_page(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    values: dict = {"impact": "high", "effort": "low", "statement_ids": []}
    code = request.query_params.get("statement", "")
    if code:
        match = next((s for s in service.plan_statements(session, plan) if s.code == code), None)
        if match is not None:
            values["statement_ids"] = [str(match.id)]
            values["title"] = match.text[:120]
    return render(
        request,
        "plans/priority_form.html",
        _priority_form_context(session, plan, access, values=values),
    )


def _parse_priority(request, session, plan, access, priority=None) -> PriorityForm:
    context = _priority_form_context(session, plan, access, priority)
    data = parse_form(request, PriorityForm, template="plans/priority_form.html", context=context)
    naming.ask_before_saving(
        request,
        naming.changed(
            {"title": data.title, "why": data.why},
            {"title": priority.title, "why": priority.why} if priority else {},
        ),
        naming.display_names(session, plan.team_id),
        template="plans/priority_form.html",
        values=data,
        context=context,
        errors=priorities_service.check_priority(session, plan, data),
    )
    return data


@router.post("/plans/{plan_id}/priorities")
def add_priority(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    data = _parse_priority(request, session, plan, access)
    priority = priorities_service.add_priority(session, plan, data, actor=user)
    session.commit()
    return redirect(request, f"/plans/{plan.id}#priority-{priority.id}", flash="Priority added.")


@router.get("/priorities/{priority_id}")
def priority_page(request: Request, priority_id: int, session: SessionDep, user: CurrentUser):
    priority, plan, access = load_priority(session, user, priority_id)
    context = plan_context(session, request, plan, access)
    context["views"] = [v for v in context["views"] if v.priority.id == priority.id]
    context["page_title"] = priority.title
    return render(request, "plans/priority.html", context)


@router.get("/priorities/{priority_id}/edit")
def edit_priority_page(request: Request, priority_id: int, session: SessionDep, user: CurrentUser):
    priority, plan, access = load_priority(session, user, priority_id)
    require_plan_editor(access, plan)
    values = {
        **priority.model_dump(mode="json"),
        **priorities_service.priority_links(session, priority),
    }
    return render(
        request,
        "plans/priority_form.html",
        _priority_form_context(session, plan, access, priority, values),
    )


@router.post("/priorities/{priority_id}")
def update_priority(request: Request, priority_id: int, session: SessionDep, user: CurrentUser):
    priority, plan, access = load_priority(session, user, priority_id)
    require_plan_editor(access, plan)
    data = _parse_priority(request, session, plan, access, priority)
    try:
        priorities_service.update_priority(
            session, priority, plan, data, version=data.version, actor=user
        )
    except service.StaleEdit:
        session.rollback()
        session.refresh(priority)
        context = _priority_form_context(
            session,
            plan,
            access,
            priority,
            {
                **priority.model_dump(mode="json"),
                **priorities_service.priority_links(session, priority),
            },
        )
        context["conflict"] = {"yours": data, "theirs": priority}
        return render(request, "plans/priority_form.html", context, status_code=409)
    session.commit()
    return redirect(request, f"/plans/{plan.id}#priority-{priority.id}", flash="Priority saved.")


@router.post("/priorities/{priority_id}/remove")
def remove_priority(request: Request, priority_id: int, session: SessionDep, user: CurrentUser):
    priority, plan, access = load_priority(session, user, priority_id)
    require_plan_editor(access, plan)
    if plan.status != "draft":
        raise HTTPException(409, "Priorities can be removed only while the plan is a draft.")
    priorities_service.remove_priority(session, priority, plan, actor=user)
    session.commit()
    return redirect(request, f"/plans/{plan.id}", flash="Priority removed.")


@router.post("/plans/{plan_id}/invitations")
def invite_named_person(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    """Make an invitation link for someone named on this plan who has no account yet."""
    from app.accounts import invitations
    from app.accounts.qr import qr_svg

    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    raw = submitted_form(request).get("member_id", "")
    raw = str(raw)
    # isascii: '²'.isdigit() is true but int('²') fails; 9 digits fit an id column
    member_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    member = session.get(TeamMember, member_id) if member_id is not None else None
    named = {m.id for m in plan_context(session, request, plan, access)["no_account"]}
    if member is None or member.id not in named:
        raise HTTPException(404)
    try:
        invitation, token = invitations.create_invitation(
            session, team=access.team, member=member, actor=user, now=now(request)
        )
    except invitations.InvitationProblem as problem:
        raise HTTPException(409, problem.message) from None
    session.commit()
    url = invitations.invitation_url(request.app.state.settings, token)
    return render(
        request,
        "plans/invitation.html",
        {
            "page_title": f"Invitation for {member.display_name}",
            "member": member,
            "plan": plan,
            "team": access.team,
            "invitation": invitation,
            "url": url,
            "qr": qr_svg(url, label=f"QR code for {member.display_name}'s invitation link"),
        },
    )


from app.plans.action_routes import router as _actions  # noqa: E402
from app.plans.export_routes import router as _exports  # noqa: E402
from app.plans.review_routes import router as _reviews  # noqa: E402

router.include_router(_actions)
router.include_router(_reviews)
router.include_router(_exports)
