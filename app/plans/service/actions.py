"""Actions: a step with an owner, helpers, a due date and a status; every change is an update."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, delete, select

from app import audit
from app.core.i18n import N_
from app.db import StaleEdit, claim_version
from app.models import Action, ActionHelper, ActionUpdate, Plan, Priority, TeamMember, User
from app.plans.queries.actions import helper_ids_of


def check_people(session: Session, team_id: int, data) -> dict[str, str]:
    members = set(
        session.exec(
            select(TeamMember.id).where(TeamMember.team_id == team_id, TeamMember.left_at.is_(None))
        ).all()
    )
    errors: dict[str, str] = {}
    if data.owner_member_id is not None and data.owner_member_id not in members:
        errors["owner_member_id"] = N_("Choose the owner from the team's list")
    if any(i not in members for i in data.helper_ids):
        errors["helper_ids"] = N_("Choose people helping from the team's list")
    return errors


def _member_of(session: Session, user: User, team_id: int) -> TeamMember | None:
    return session.exec(
        select(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user.id)
    ).first()


def _set_helpers(session: Session, action: Action, helper_ids: list[int]) -> None:
    session.exec(delete(ActionHelper).where(ActionHelper.action_id == action.id))
    for member_id in dict.fromkeys(helper_ids):
        if member_id != action.owner_member_id:
            session.add(ActionHelper(action_id=action.id, member_id=member_id))


def add_action(
    session: Session, priority: Priority, plan: Plan, data, *, actor: User, at: datetime
) -> Action:
    action = Action(
        priority_id=priority.id,
        what=data.what,
        owner_member_id=data.owner_member_id,
        due_on=data.due_on,
        status=data.status,
        created_at=at,
        updated_at=at,
    )
    session.add(action)
    session.flush()
    _set_helpers(session, action, data.helper_ids)
    member = _member_of(session, actor, plan.team_id)
    session.add(
        ActionUpdate(
            action_id=action.id,
            author_user_id=actor.id,
            author_member_id=member.id if member else None,
            note="Action added.",
            status_to=action.status,
            at=at,
        )
    )
    audit.record(
        session,
        verb="action.added",
        entity="action",
        entity_id=action.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"priority_id": priority.id, "status": action.status},
    )
    return action


EDITABLE = ("what", "owner_member_id", "due_on", "status")


def update_action(
    session: Session, action: Action, plan: Plan, data, *, actor: User, at: datetime
) -> ActionUpdate:
    """Save a change (refused with StaleEdit if someone saved first). Writes an update."""
    if data.version != action.version or not claim_version(
        session, Action, action.id, data.version
    ):
        session.refresh(action)
        raise StaleEdit(action)
    before_status = action.status
    changed = [f for f in EDITABLE if getattr(action, f) != getattr(data, f)]
    old_helpers = set(helper_ids_of(session, action))
    for name in changed:
        setattr(action, name, getattr(data, name))
    if set(data.helper_ids) != old_helpers:
        changed.append("helpers")
    action.version = data.version + 1
    action.updated_at = at
    session.add(action)
    _set_helpers(session, action, data.helper_ids)
    member = _member_of(session, actor, plan.team_id)
    update = ActionUpdate(
        action_id=action.id,
        author_user_id=actor.id,
        author_member_id=member.id if member else None,
        note=data.note,
        status_from=before_status if action.status != before_status else None,
        status_to=action.status if action.status != before_status else None,
        at=at,
    )
    session.add(update)
    audit.record(
        session,
        verb="action.updated",
        entity="action",
        entity_id=action.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"changed": changed, "version": action.version, "note": bool(data.note)},
    )
    return update
