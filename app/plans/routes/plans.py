"""Plans: suggestions from a round, the team's plan and history, starting, agreeing and
closing a plan, its review date, inviting someone it names, the open-actions panel."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request

from app.accounts.service import invitations
from app.core import i18n
from app.core.dates import now, today
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.forms import form_for, submitted_form
from app.models import Round, TeamMember
from app.org import queries as org_queries
from app.plans.deps import InsideTeam, PlanAccess, PlanEditor, TeamPlanEditor
from app.plans.forms import NewPlanForm, ReviewDueForm, problems, refuse_if, window_problems
from app.plans.pages import plans as pages
from app.plans.queries import plans as plan_queries
from app.plans.queries.views import plan_view, without_account
from app.plans.routes import router
from app.plans.service import plans as service
from app.security.access import CurrentUser, TeamAccessDep, require_access
from app.web import language_of, redirect


@router.get("/rounds/{round_id}/suggestions")
def suggestions(request: Request, round_id: int, session: SessionDep, user: CurrentUser):
    round_ = session.get(Round, round_id)
    if round_ is None:
        raise HTTPException(404)
    access = require_access(session, user, round_.team_id)
    access.require_inside()
    if round_.status != "closed":
        raise HTTPException(404)
    return pages.show_suggestions(request, session, round_, access)


@router.get("/teams/{team_id}/plan")
def current_plan_page(request: Request, access: TeamAccessDep, session: SessionDep):
    return pages.show_team_plan(request, access, session)


@router.get("/teams/{team_id}/plans")
def plan_history(request: Request, access: TeamAccessDep, session: SessionDep):
    return pages.show_history(request, access, session)


@router.get("/teams/{team_id}/open-actions")
def open_actions_panel(request: Request, access: InsideTeam, session: SessionDep):
    """The "review before you benchmark again" fragment on the new-round page."""
    return pages.show_open_actions(request, access, session)


@router.get("/teams/{team_id}/plans/new")
def new_plan_page(request: Request, access: TeamPlanEditor, session: SessionDep):
    return pages.show_new_plan(request, access, session)


@router.post("/teams/{team_id}/plans")
def create_plan(
    request: Request,
    access: TeamPlanEditor,
    session: SessionDep,
    form: Annotated[
        NewPlanForm, Depends(form_for(NewPlanForm, pages.show_new_plan), scope="function")
    ],
):
    source = None
    if form.source_round_id is not None:
        source = session.get(Round, form.source_round_id)
        if source is None or source.team_id != access.team.id or source.status != "closed":
            message = N_("Choose one of this team's finished rounds")
            raise Refused(message, status=422, field="source_round_id")
    found = problems(
        request, {"title": form.title}, org_queries.display_names(session, access.team.id)
    )
    refuse_if(found, pages.show_new_plan, request=request, access=access, session=session)
    candidates = plan_queries.carry_candidates(session, access.team.id, today(request))
    allowed = {c.action.id for c in candidates}
    plan = service.create_plan(
        session,
        team=access.team,
        title=form.title,
        source_round=source,
        carry_action_ids=[i for i in form.carry_action_ids if i in allowed],
        actor=access.user,
    )
    if form.statement:
        code = quote(form.statement, safe="")
        return redirect(request, f"/plans/{plan.id}/priorities/new?statement={code}")
    return redirect(request, f"/plans/{plan.id}", flash=N_("Plan started. Add 3 to 5 priorities."))


@router.get("/plans/{plan_id}")
def plan_page(request: Request, loaded: PlanAccess, session: SessionDep):
    return pages.show_plan(request, loaded, session)


@router.post("/plans/{plan_id}/agree")
def agree_plan(request: Request, loaded: PlanEditor, session: SessionDep):
    plan = loaded.plan
    if plan.status != "draft":
        return redirect(request, f"/plans/{plan.id}")
    i18n.use_language(language_of(request))  # what is missing is written in their language
    found = service.agree_plan(session, plan, actor=loaded.access.user, today=today(request))
    if found:
        return pages.plan_page(request, session, loaded, status=422, agree_errors=found)
    return redirect(request, f"/plans/{plan.id}", flash=N_("The plan is agreed. Well done."))


@router.post("/plans/{plan_id}/close")
def close_plan(request: Request, loaded: PlanEditor, session: SessionDep):
    service.close_plan(session, loaded.plan, actor=loaded.access.user, at=now(request))
    flash = N_("The plan is closed and kept as history.")
    return redirect(request, f"/plans/{loaded.plan.id}", flash=flash)


@router.post("/plans/{plan_id}/review-due")
def set_review_due(
    request: Request,
    loaded: PlanEditor,
    session: SessionDep,
    form: Annotated[
        ReviewDueForm, Depends(form_for(ReviewDueForm, pages.show_plan), scope="function")
    ],
):
    found = window_problems(form, today(request), loaded.team)
    refuse_if(found, pages.show_plan, request=request, loaded=loaded, session=session)
    service.set_review_due(session, loaded.plan, form.review_due, actor=loaded.access.user)
    return redirect(request, f"/plans/{loaded.plan.id}", flash=N_("Review date saved."))


@router.post("/plans/{plan_id}/invitations")
def invite_named_person(request: Request, loaded: PlanEditor, session: SessionDep):
    """Make an invitation link for someone named on this plan who has no account yet."""
    raw = str(submitted_form(request).get("member_id", ""))
    # isascii: '²'.isdigit() is true but int('²') fails; 9 digits fit an id column
    member_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    member = session.get(TeamMember, member_id) if member_id is not None else None
    views = plan_view(session, loaded.plan, today(request))
    named = {m.id for m in without_account(views)} if loaded.access.inside else set()
    if member is None or member.id not in named:
        raise HTTPException(404)
    invitation, token = invitations.create_invitation(
        session, team=loaded.team, member=member, actor=loaded.access.user, now=now(request)
    )
    url = invitations.invitation_url(request.app.state.settings, token)
    return pages.show_invitation(request, loaded, member, invitation, url)
