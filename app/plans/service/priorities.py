"""Priorities: what the team chose, why, impact and effort, two co-leads and helpers."""

from __future__ import annotations

from sqlmodel import Session, delete, select

from app import audit
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import StaleEdit, claim_version
from app.models import (
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    TeamMember,
    User,
    utcnow,
)
from app.plans.queries.coleads import NEEDS_STAFF, colead_needs
from app.plans.queries.labels import is_service_user, is_staff_side
from app.plans.queries.plans import MAX_PRIORITIES, plan_statements
from app.plans.queries.views import priorities_of

STAFF_COLEAD_MESSAGE = N_("Choose a staff member or peer support worker from the team's list")
SERVICE_USER_COLEAD_MESSAGE = N_("Choose a person who uses the service from the team's list")
# From agreement on, the co-lead rule holds on every edit (app.plans.queries.coleads shows
# what changes made elsewhere did to it).
KEEP_STAFF_COLEAD = (
    "The plan is agreed, so each priority keeps a staff co-lead: choose who takes over"
)
KEEP_SERVICE_USER_COLEAD = (
    "The plan is agreed, so each priority keeps a co-lead who uses the service: "
    "choose who takes over"
)
# Sentences with placeholders: app.errors translates them, then fills in the numbers.
SIXTH_PRIORITY_SENTENCE = N_(
    "The plan is agreed and has %(most)s priorities, the most a plan keeps. "
    "Remove one first, or add this to the next plan."
)
SIXTH_PRIORITY_TITLE_SENTENCE = N_("A plan has at most %(most)s priorities")
SIXTH_PRIORITY = SIXTH_PRIORITY_SENTENCE % {"most": MAX_PRIORITIES}  # the English, filled in
SIXTH_PRIORITY_TITLE = SIXTH_PRIORITY_TITLE_SENTENCE % {"most": MAX_PRIORITIES}

RESTORE_NEEDS_TITLE = N_("This priority cannot come back as it is")
RESTORE_NEEDS_STAFF = N_(
    "The plan is agreed and this priority needs a staff co-lead today, so it cannot come "
    "back as it is. Add it again with both co-leads."
)
RESTORE_NEEDS_SERVICE_USER = N_(
    "The plan is agreed and this priority needs a co-lead who uses the service today, so it "
    "cannot come back as it is. Add it again with both co-leads."
)
RESTORE_NEEDS_BOTH = N_(
    "The plan is agreed and this priority needs a staff co-lead and a co-lead who uses the "
    "service today, so it cannot come back as it is. Add it again with both co-leads."
)


def refuse_sixth(session: Session, plan: Plan) -> None:
    """From agreement on, a plan keeps at most five priorities (409 with the reason)."""
    if plan.status == "agreed" and len(priorities_of(session, plan.id)) >= MAX_PRIORITIES:
        raise Refused(
            SIXTH_PRIORITY_SENTENCE,
            status=409,
            title=SIXTH_PRIORITY_TITLE_SENTENCE,
            values={"most": MAX_PRIORITIES},
        )


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
    # a co-lead counts as the rule counts today (plans.queries.coleads): a current member
    # whose account, if they have one, is not switched off
    switched_off = set(
        session.exec(
            select(TeamMember.id)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id == plan.team_id, User.active.is_(False))
        ).all()
    )
    coleads = {i: m for i, m in members.items() if i not in switched_off}
    if data.staff_colead_id is not None and not is_staff_side(coleads.get(data.staff_colead_id)):
        errors["staff_colead_id"] = STAFF_COLEAD_MESSAGE
    if data.service_user_colead_id is not None and not is_service_user(
        coleads.get(data.service_user_colead_id)
    ):
        errors["service_user_colead_id"] = SERVICE_USER_COLEAD_MESSAGE
    if plan.status == "agreed":
        if data.staff_colead_id is None:
            errors["staff_colead_id"] = KEEP_STAFF_COLEAD
        if data.service_user_colead_id is None:
            errors["service_user_colead_id"] = KEEP_SERVICE_USER_COLEAD
    if any(i not in members for i in data.helper_ids):
        errors["helper_ids"] = N_("Choose people helping from the team's list")
    allowed = {s.id for s in plan_statements(session, plan)}
    if allowed and not data.statement_ids:
        errors["statement_ids"] = N_("Choose at least one statement this priority is about")
    elif any(i not in allowed for i in data.statement_ids):
        errors["statement_ids"] = N_("Choose statements from this plan's round")
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
    refuse_sixth(session, plan)
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
    """A soft delete: the priority, its actions and history are kept (`removed_at`) and left
    out of the plan, its exports, the API and /compare; a facilitator may restore it."""
    priority.removed_at = utcnow()
    priority.version += 1
    session.add(priority)
    session.flush()
    audit.record(
        session,
        verb="priority.removed",
        entity="priority",
        entity_id=priority.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"plan_id": plan.id, "title": priority.title},
    )


def restore_priority(session: Session, priority: Priority, plan: Plan, *, actor: User) -> None:
    """Bring a removed priority back, with its actions and history (refused on an agreed
    plan that already has five)."""
    if priority.removed_at is None:
        return
    refuse_sixth(session, plan)
    needs = colead_needs(session, [priority.id]).get(priority.id, [])
    if plan.status == "agreed" and needs:
        if len(needs) > 1:
            message = RESTORE_NEEDS_BOTH
        elif needs[0] == NEEDS_STAFF:
            message = RESTORE_NEEDS_STAFF
        else:
            message = RESTORE_NEEDS_SERVICE_USER
        raise Refused(message, status=409, title=RESTORE_NEEDS_TITLE)
    priority.removed_at = None
    priority.version += 1
    session.add(priority)
    session.flush()
    audit.record(
        session,
        verb="priority.restored",
        entity="priority",
        entity_id=priority.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"plan_id": plan.id, "title": priority.title},
    )


def update_own_priority(
    session: Session, priority: Priority, plan: Plan, *, title: str, why: str, version: int, actor
) -> Priority:
    """A co-lead changes their priority's title and why (nothing else), audited."""
    if version != priority.version or not claim_version(session, Priority, priority.id, version):
        session.refresh(priority)
        raise StaleEdit(priority)
    changed = sorted(
        name for name, value in (("title", title), ("why", why)) if getattr(priority, name) != value
    )
    priority.title, priority.why, priority.version = title, why, version + 1
    session.add(priority)
    session.flush()
    audit.record(
        session,
        verb="priority.updated",
        entity="priority",
        entity_id=priority.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"changed": changed, "version": priority.version, "by": "co-lead"},
    )
    return priority
