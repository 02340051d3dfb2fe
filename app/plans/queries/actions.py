"""Actions and priorities read: helpers, links, an action's history in words."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import (
    ActionHelper,
    ActionUpdate,
    Priority,
    PriorityHelper,
    PriorityStatement,
    TeamMember,
    User,
)
from app.plans.queries.labels import STATUS_LABELS


def helper_ids_of(session: Session, action) -> list[int]:
    return list(
        session.exec(select(ActionHelper.member_id).where(ActionHelper.action_id == action.id))
    )


def priority_links(session: Session, priority: Priority) -> dict[str, list[int]]:
    return {
        "statement_ids": list(
            session.exec(
                select(PriorityStatement.statement_id).where(
                    PriorityStatement.priority_id == priority.id
                )
            ).all()
        ),
        "helper_ids": list(
            session.exec(
                select(PriorityHelper.member_id).where(PriorityHelper.priority_id == priority.id)
            ).all()
        ),
    }


def action_history(session: Session, action_id: int) -> list[tuple[ActionUpdate, str]]:
    """Updates, newest first, each with who made it (their name on the team, or username)."""
    rows = session.exec(
        select(ActionUpdate, TeamMember, User)
        .outerjoin(TeamMember, TeamMember.id == ActionUpdate.author_member_id)
        .outerjoin(User, User.id == ActionUpdate.author_user_id)
        .where(ActionUpdate.action_id == action_id)
        .order_by(ActionUpdate.at.desc(), ActionUpdate.id.desc())
    ).all()
    return [
        (u, m.display_name if m else (user.username if user else "Someone")) for u, m, user in rows
    ]


def describe_update(update: ActionUpdate) -> str:
    if update.status_to and update.status_from:
        return (
            f"{STATUS_LABELS.get(update.status_from, update.status_from)} → "
            f"{STATUS_LABELS.get(update.status_to, update.status_to)}"
        )
    if update.status_to:
        return STATUS_LABELS.get(update.status_to, update.status_to)
    return ""
