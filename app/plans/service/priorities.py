"""Priorities: what the team chose, why, impact and effort, two co-leads and helpers."""

from __future__ import annotations

from sqlmodel import Session, delete, select

from app import audit
from app.db import StaleEdit, claim_version
from app.models import (
    Action,
    ActionHelper,
    ActionUpdate,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    TeamMember,
    User,
)
from app.plans.queries.labels import is_service_user, is_staff_side
from app.plans.queries.plans import plan_statements
from app.plans.queries.views import priorities_of

STAFF_COLEAD_MESSAGE = "Choose a staff member or peer support worker from the team's list"
SERVICE_USER_COLEAD_MESSAGE = "Choose a person who uses the service from the team's list"


def check_priority(session: Session, plan: Plan, data) -> dict[str, str]:
    """Problems with a priority form, by field (co-leads' perspectives, statements, helpers)."""
    errors: dict[str, str] = {}
    members = {
        m.id: m
        for m in session.exec(
            select(TeamMember).where(
                TeamMember.team_id == plan.team_id, TeamMember.left_at.is_(None)
            )
        ).all()
    }
    if data.staff_colead_id is not None and not is_staff_side(members.get(data.staff_colead_id)):
        errors["staff_colead_id"] = STAFF_COLEAD_MESSAGE
    if data.service_user_colead_id is not None and not is_service_user(
        members.get(data.service_user_colead_id)
    ):
        errors["service_user_colead_id"] = SERVICE_USER_COLEAD_MESSAGE
    if any(i not in members for i in data.helper_ids):
        errors["helper_ids"] = "Choose helpers from the team's list"
    allowed = {s.id for s in plan_statements(session, plan)}
    if allowed and not data.statement_ids:
        errors["statement_ids"] = "Choose at least one statement this priority is about"
    elif any(i not in allowed for i in data.statement_ids):
        errors["statement_ids"] = "Choose statements from this plan's round"
    return errors


def _set_links(session: Session, priority: Priority, data) -> None:
    session.exec(delete(PriorityStatement).where(PriorityStatement.priority_id == priority.id))
    session.exec(delete(PriorityHelper).where(PriorityHelper.priority_id == priority.id))
    for statement_id in dict.fromkeys(data.statement_ids):
        session.add(PriorityStatement(priority_id=priority.id, statement_id=statement_id))
    coleads = {priority.staff_colead_id, priority.service_user_colead_id}
    for member_id in dict.fromkeys(data.helper_ids):
        if member_id not in coleads:
            session.add(PriorityHelper(priority_id=priority.id, member_id=member_id))


FIELDS = ("title", "why", "impact", "effort", "staff_colead_id", "service_user_colead_id")


def add_priority(session: Session, plan: Plan, data, *, actor: User) -> Priority:
    position = len(priorities_of(session, plan.id))
    priority = Priority(plan_id=plan.id, position=position, **{f: getattr(data, f) for f in FIELDS})
    session.add(priority)
    session.flush()
    _set_links(session, priority, data)
    audit.record(
        session,
        verb="priority.added",
        entity="priority",
        entity_id=priority.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"plan_id": plan.id, "title": priority.title},
    )
    return priority


def update_priority(
    session: Session, priority: Priority, plan: Plan, data, *, version: int, actor: User
) -> Priority:
    if version != priority.version or not claim_version(session, Priority, priority.id, version):
        session.refresh(priority)
        raise StaleEdit(priority)
    changed = {f: getattr(data, f) for f in FIELDS if getattr(priority, f) != getattr(data, f)}
    for name, value in changed.items():
        setattr(priority, name, value)
    priority.version = version + 1
    session.add(priority)
    session.flush()
    _set_links(session, priority, data)
    audit.record(
        session,
        verb="priority.updated",
        entity="priority",
        entity_id=priority.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"changed": sorted(changed), "version": priority.version},
    )
    return priority


def remove_priority(session: Session, priority: Priority, plan: Plan, *, actor: User) -> None:
    """Remove a priority and its actions (only while the plan is a draft)."""
    action_ids = session.exec(select(Action.id).where(Action.priority_id == priority.id)).all()
    if action_ids:
        session.exec(delete(ActionUpdate).where(ActionUpdate.action_id.in_(action_ids)))
        session.exec(delete(ActionHelper).where(ActionHelper.action_id.in_(action_ids)))
        session.exec(delete(Action).where(Action.id.in_(action_ids)))
    session.exec(delete(PriorityStatement).where(PriorityStatement.priority_id == priority.id))
    session.exec(delete(PriorityHelper).where(PriorityHelper.priority_id == priority.id))
    audit.record(
        session,
        verb="priority.removed",
        entity="priority",
        entity_id=priority.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"plan_id": plan.id, "title": priority.title},
    )
    session.delete(priority)
