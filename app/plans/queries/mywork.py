"""My work: the actions a person owns and the priorities they co-lead, overdue first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, or_, select

from app.models import Action, Plan, Priority, Team, TeamMember, User
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans.queries.views import is_overdue


@dataclass
class MyAction:
    action: Action
    priority: Priority
    team: Team
    overdue: bool


@dataclass
class MyPriority:
    priority: Priority
    plan: Plan
    team: Team
    role: str  # "staff co-lead" | "co-lead who uses the service"
    open_actions: int
    overdue_actions: int


def my_work(session: Session, user: User, today: date) -> dict:
    member_ids = list(
        session.exec(
            select(TeamMember.id).where(TeamMember.user_id == user.id, TeamMember.left_at.is_(None))
        )
    )
    if not member_ids:
        return {"my_actions": [], "my_priorities": []}
    rows = session.exec(
        select(Action, Priority, Team)
        .join(Priority, Priority.id == Action.priority_id)
        .join(Plan, Plan.id == Priority.plan_id)
        .join(Team, Team.id == Plan.team_id)
        .where(
            Action.owner_member_id.in_(member_ids),
            Action.status.in_(OPEN_ACTION_STATUSES),
            Plan.status != "closed",
        )
    ).all()
    actions = [MyAction(a, p, t, is_overdue(a, today)) for a, p, t in rows]
    actions.sort(
        key=lambda m: (
            not m.overdue,
            m.action.due_on is None,
            m.action.due_on or today,
            m.action.id,
        )
    )
    led = session.exec(
        select(Priority, Plan, Team)
        .join(Plan, Plan.id == Priority.plan_id)
        .join(Team, Team.id == Plan.team_id)
        .where(
            Plan.status != "closed",
            or_(
                Priority.staff_colead_id.in_(member_ids),
                Priority.service_user_colead_id.in_(member_ids),
            ),
        )
    ).all()
    priorities = []
    for priority, plan, team in led:
        open_actions = session.exec(
            select(Action).where(
                Action.priority_id == priority.id, Action.status.in_(OPEN_ACTION_STATUSES)
            )
        ).all()
        role = (
            "staff co-lead"
            if priority.staff_colead_id in member_ids
            else "co-lead who uses the service"
        )
        priorities.append(
            MyPriority(
                priority,
                plan,
                team,
                role,
                len(open_actions),
                sum(1 for a in open_actions if is_overdue(a, today)),
            )
        )
    priorities.sort(key=lambda m: (m.overdue_actions == 0, m.team.name, m.priority.position))
    return {"my_actions": actions, "my_priorities": priorities}
