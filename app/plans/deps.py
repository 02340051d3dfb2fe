"""Loaders: a plan, priority, action or review by id with the person's access to its team,
as `Annotated` dependencies. A record the person may not see is a 404 (the same rule as
`app.security.access.require_access`: members of the team, admins and recovery leads); the
editor variants refuse as the routes did (403 not allowed, 409 a closed plan). Each loader
reads its record, its team and the person's membership in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import and_
from sqlmodel import Session, select

from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.forms import ShowPage
from app.models import Action, Celebration, Plan, Priority, Review, Team, TeamMember, User
from app.security.access import (
    CurrentUser,
    TeamAccess,
    TeamAccessDep,
    may_edit_plan,
    may_update_action,
    record_refusal,
)
from app.web import is_htmx, render

CLOSED = N_("This plan is closed. Start a new plan to make changes.")
# a closed plan's refusal is headed with what is true, never "someone else changed this"
CLOSED_TITLE = N_("This plan is closed")
COLEADS_CHANGE = N_("Only this priority's co-leads and facilitators can change it.")
COLEADS_ADD = N_("Only this priority's co-leads and facilitators can add actions.")
OWNER_UPDATES = N_("Only the action's owner, the priority's co-leads and facilitators can update it.")  # noqa: E501  # fmt: skip


def _with_access(session: Session, user: User, query, team_id_column):
    """Run `query` (a select of the record and what leads to its team) joined to the team and
    the person's membership: the row, then a TeamAccess, or a 404."""
    member_on = and_(
        TeamMember.team_id == team_id_column,
        TeamMember.user_id == user.id,
        TeamMember.left_at.is_(None),
    )
    row = session.execute(
        query.add_columns(Team, TeamMember)
        .join(Team, Team.id == team_id_column)
        .outerjoin(TeamMember, member_on)
    ).first()
    if row is None:
        raise HTTPException(404)
    *records, team, member = row
    if member is None and user.role not in ("admin", "recovery_lead"):
        record_refusal(session, user, team.id, "not on this team")
        raise HTTPException(404)
    return records, TeamAccess(team=team, user=user, member=member, session=session)


@dataclass
class LoadedPlan:
    plan: Plan
    access: TeamAccess

    @property
    def team(self) -> Team:
        return self.access.team


@dataclass
class LoadedPriority(LoadedPlan):
    priority: Priority


@dataclass
class LoadedAction(LoadedPriority):
    action: Action


@dataclass
class LoadedReview(LoadedPlan):
    review: Review


def require_plan_editor(access: TeamAccess, plan: Plan | None = None) -> None:
    """Plans, priorities and reviews are the facilitators' (and admins'); a closed plan
    stays as it was."""
    if not may_edit_plan(access):
        access.require_facilitator()
    if plan is not None and plan.status == "closed":
        raise Refused(CLOSED, status=409, title=CLOSED_TITLE)


def may_add_action(access: TeamAccess, priority: Priority) -> bool:
    if may_edit_plan(access):
        return True
    member = access.member
    return member is not None and member.id in (
        priority.staff_colead_id,
        priority.service_user_colead_id,
    )


# --- plans -------------------------------------------------------------------------------


def load_plan(plan_id: int, session: SessionDep, user: CurrentUser) -> LoadedPlan:
    (plan,), access = _with_access(
        session, user, select(Plan).where(Plan.id == plan_id), Plan.team_id
    )
    return LoadedPlan(plan, access)


PlanAccess = Annotated[LoadedPlan, Depends(load_plan)]


def plan_editor(loaded: PlanAccess) -> LoadedPlan:
    require_plan_editor(loaded.access, loaded.plan)
    return loaded


PlanEditor = Annotated[LoadedPlan, Depends(plan_editor)]


def team_plan_editor(access: TeamAccessDep) -> TeamAccess:
    """Starting a plan for a team: its facilitators (and admins)."""
    require_plan_editor(access)
    return access


TeamPlanEditor = Annotated[TeamAccess, Depends(team_plan_editor)]


def inside_team(access: TeamAccessDep) -> TeamAccess:
    """Names, helper ideas and celebrations: inside the team only (404 outside)."""
    access.require_inside()
    return access


InsideTeam = Annotated[TeamAccess, Depends(inside_team)]


# --- priorities --------------------------------------------------------------------------


def load_priority(priority_id: int, session: SessionDep, user: CurrentUser) -> LoadedPriority:
    query = (
        select(Priority, Plan)
        .join(Plan, Plan.id == Priority.plan_id)
        .where(Priority.id == priority_id, Priority.removed_at.is_(None))
    )
    (priority, plan), access = _with_access(session, user, query, Plan.team_id)
    return LoadedPriority(plan, access, priority)


PriorityAccess = Annotated[LoadedPriority, Depends(load_priority)]


def removed_priority_restorer(
    priority_id: int, session: SessionDep, user: CurrentUser
) -> LoadedPriority:
    """Restoring a removed priority: the plan's editors (facilitators, admins)."""
    query = (
        select(Priority, Plan)
        .join(Plan, Plan.id == Priority.plan_id)
        .where(Priority.id == priority_id, Priority.removed_at.is_not(None))
    )
    (priority, plan), access = _with_access(session, user, query, Plan.team_id)
    require_plan_editor(access, plan)
    return LoadedPriority(plan, access, priority)


RemovedPriority = Annotated[LoadedPriority, Depends(removed_priority_restorer)]


def own_priority_editor(loaded: PriorityAccess) -> LoadedPriority:
    """Changing a priority's title and why: its co-leads too (and the plan's editors)."""
    if loaded.plan.status == "closed":
        raise Refused(CLOSED, status=409, title=CLOSED_TITLE)
    member = loaded.access.member
    is_colead = member is not None and member.id in (
        loaded.priority.staff_colead_id,
        loaded.priority.service_user_colead_id,
    )
    if not (is_colead or may_edit_plan(loaded.access)):
        raise Refused(COLEADS_CHANGE, status=403)
    return loaded


OwnPriorityEditor = Annotated[LoadedPriority, Depends(own_priority_editor)]


def priority_editor(loaded: PriorityAccess) -> LoadedPriority:
    require_plan_editor(loaded.access, loaded.plan)
    return loaded


PriorityEditor = Annotated[LoadedPriority, Depends(priority_editor)]


def action_adder(loaded: PriorityAccess) -> LoadedPriority:
    """Adding an action: the priority's co-leads and the facilitators, while the plan is open."""
    if loaded.plan.status == "closed":
        raise Refused(CLOSED, status=409, title=CLOSED_TITLE)
    if not may_add_action(loaded.access, loaded.priority):
        raise Refused(COLEADS_ADD, status=403)
    return loaded


ActionAdder = Annotated[LoadedPriority, Depends(action_adder)]


# --- actions -------------------------------------------------------------------------------


def load_action(action_id: int, session: SessionDep, user: CurrentUser) -> LoadedAction:
    query = (
        select(Action, Priority, Plan)
        .join(Priority, Priority.id == Action.priority_id)
        .join(Plan, Plan.id == Priority.plan_id)
        .where(Action.id == action_id, Priority.removed_at.is_(None))
    )
    (action, priority, plan), access = _with_access(session, user, query, Plan.team_id)
    return LoadedAction(plan, access, priority, action)


ActionAccess = Annotated[LoadedAction, Depends(load_action)]


ACTION_IN_CLOSED_PLAN = N_("This plan is closed. Its actions are kept as they were.")


def action_updater(loaded: ActionAccess, request: Request) -> LoadedAction:
    """Updating an action: its owner, the priority's co-leads and facilitators, while the
    plan is open. In a closed plan the page says so (409), never "someone else changed this"."""
    if loaded.plan.status == "closed":
        if is_htmx(request):
            raise Refused(ACTION_IN_CLOSED_PLAN, status=409, title=CLOSED_TITLE)
        context = {
            "page_title": CLOSED_TITLE,
            "plan": loaded.plan,
            "team": loaded.team,
            "action": loaded.action,
        }
        raise ShowPage(render(request, "plans/closed.html", context, status_code=409))
    if not may_update_action(loaded.access, loaded.action, loaded.priority):
        raise Refused(OWNER_UPDATES, status=403)
    return loaded


ActionUpdater = Annotated[LoadedAction, Depends(action_updater)]


# --- reviews -------------------------------------------------------------------------------


def load_review(review_id: int, session: SessionDep, user: CurrentUser) -> LoadedReview:
    query = select(Review, Plan).join(Plan, Plan.id == Review.plan_id).where(Review.id == review_id)
    (review, plan), access = _with_access(session, user, query, Plan.team_id)
    return LoadedReview(plan, access, review)


ReviewAccess = Annotated[LoadedReview, Depends(load_review)]


def review_editor(loaded: ReviewAccess) -> LoadedReview:
    """Changing or removing a review: the plan's editors, while the plan is open."""
    require_plan_editor(loaded.access, loaded.plan)
    return loaded


ReviewEditor = Annotated[LoadedReview, Depends(review_editor)]


@dataclass
class LoadedCelebration:
    celebration: Celebration
    access: TeamAccess

    @property
    def team(self) -> Team:
        return self.access.team


def celebration_editor(
    celebration_id: int, session: SessionDep, user: CurrentUser
) -> LoadedCelebration:
    """Changing or removing a celebration: who added it, and the team's facilitators."""
    query = select(Celebration).where(Celebration.id == celebration_id)
    (celebration,), access = _with_access(session, user, query, Celebration.team_id)
    access.require_inside()
    if celebration.created_by_user_id != user.id and not may_edit_plan(access):
        raise Refused(N_("Only who added it and the facilitators can change this."), status=403)
    return LoadedCelebration(celebration, access)


CelebrationEditor = Annotated[LoadedCelebration, Depends(celebration_editor)]
