"""My part: the priorities a person co-leads and the actions they own, in the plans still
open (draft or agreed), each read through `plan_view` so the co-lead rule, people helping and
"overdue" are the plan page's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from app.core.i18n import N_
from app.models import Plan, Team, TeamMember, User
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans.queries.views import ActionView, PriorityView, plan_view

SHOWN_ACTIONS = 5  # a priority's first actions shown; the rest behind "show all"
STAFF_ROLE = N_("staff co-lead")
SERVICE_USER_ROLE = N_("co-lead who uses the service")


def _action_order(a: ActionView):
    action = a.action
    return (
        action.status not in OPEN_ACTION_STATUSES,
        not a.overdue,
        action.due_on is None,
        action.due_on or date.min,
        action.id,
    )


@dataclass
class MyPriority:
    view: PriorityView
    plan: Plan
    team: Team
    role: str
    actions: list[ActionView] = field(default_factory=list)

    @property
    def shown(self) -> list[ActionView]:
        return self.actions[:SHOWN_ACTIONS]

    @property
    def more(self) -> list[ActionView]:
        return self.actions[SHOWN_ACTIONS:]

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.actions if a.overdue)


@dataclass
class MyAction:
    a: ActionView
    view: PriorityView
    plan: Plan
    team: Team


@dataclass
class MyPart:
    priorities: list[MyPriority]
    actions: list[MyAction]

    @property
    def empty(self) -> bool:
        return not self.priorities and not self.actions


def my_plans(session: Session, user: User) -> list[tuple[Plan, Team, TeamMember]]:
    """The open plans (draft or agreed) of the teams the person is on now."""
    return list(
        session.exec(
            select(Plan, Team, TeamMember)
            .join(Team, Team.id == Plan.team_id)
            .join(TeamMember, TeamMember.team_id == Team.id)
            .where(
                TeamMember.user_id == user.id,
                TeamMember.left_at.is_(None),
                Plan.status != "closed",
            )
            .order_by(Team.name, Plan.id)
        ).all()
    )


def my_part(session: Session, user: User, today: date) -> MyPart:
    priorities: list[MyPriority] = []
    actions: list[MyAction] = []
    for plan, team, member in my_plans(session, user):
        for view in plan_view(session, plan, today):
            p = view.priority
            if member.id in (p.staff_colead_id, p.service_user_colead_id):
                role = STAFF_ROLE if p.staff_colead_id == member.id else SERVICE_USER_ROLE
                for a in view.actions:
                    a.may_update = True
                ordered = sorted(view.actions, key=_action_order)
                priorities.append(MyPriority(view, plan, team, role, ordered))
                continue
            for a in view.actions:
                if a.action.owner_member_id == member.id and a.action.status != "dropped":
                    a.may_update = True
                    actions.append(MyAction(a, view, plan, team))
    priorities.sort(key=lambda m: (m.overdue == 0, m.team.name, m.view.priority.position))
    actions.sort(key=lambda m: _action_order(m.a))
    return MyPart(priorities, actions)
