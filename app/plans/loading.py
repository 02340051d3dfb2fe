"""Load a plan, priority, action or review by id and check who may see it (404 if not)."""

from __future__ import annotations

from datetime import date

from fastapi import HTTPException, Request

from app.models import Action, Plan, Priority, Review, User
from app.plans.labels import local_date
from app.security.access import TeamAccess, may_edit_plan, require_access
from app.security.clock import now


def today(request: Request) -> date:
    return local_date(now(request))


def load_plan(session, user: User, plan_id: int) -> tuple[Plan, TeamAccess]:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise HTTPException(404)
    return plan, require_access(session, user, plan.team_id)


def load_priority(session, user: User, priority_id: int) -> tuple[Priority, Plan, TeamAccess]:
    priority = session.get(Priority, priority_id)
    if priority is None:
        raise HTTPException(404)
    plan, access = load_plan(session, user, priority.plan_id)
    return priority, plan, access


def load_action(session, user: User, action_id: int) -> tuple[Action, Priority, Plan, TeamAccess]:
    action = session.get(Action, action_id)
    if action is None:
        raise HTTPException(404)
    priority, plan, access = load_priority(session, user, action.priority_id)
    return action, priority, plan, access


def load_review(session, user: User, review_id: int) -> tuple[Review, Plan, TeamAccess]:
    review = session.get(Review, review_id)
    if review is None:
        raise HTTPException(404)
    plan, access = load_plan(session, user, review.plan_id)
    return review, plan, access


def require_plan_editor(access: TeamAccess, plan: Plan | None = None) -> None:
    if not may_edit_plan(access):
        access.require_facilitator()
    if plan is not None and plan.status == "closed":
        raise HTTPException(409, "This plan is closed. Start a new plan to make changes.")


def may_add_action(access: TeamAccess, priority: Priority) -> bool:
    if may_edit_plan(access):
        return True
    member = access.member
    return member is not None and member.id in (
        priority.staff_colead_id,
        priority.service_user_colead_id,
    )
