"""A plan read for showing: priorities with their statements, people and actions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from app.core import naming
from app.models import (
    Action,
    ActionHelper,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    Statement,
    TeamMember,
)
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans.queries.coleads import colead_needs
from app.plans.queries.labels import quadrant_of


def is_overdue(action: Action, today: date) -> bool:
    return (
        action.due_on is not None
        and action.due_on < today
        and action.status in OPEN_ACTION_STATUSES
    )


@dataclass
class ActionView:
    action: Action
    owner: TeamMember | None
    helpers: list[TeamMember]
    overdue: bool
    may_update: bool = False
    names_person: bool = False  # its words (or its priority's or plan's) name someone


@dataclass
class PriorityView:
    priority: Priority
    statements: list[Statement]
    staff_colead: TeamMember | None
    service_user_colead: TeamMember | None
    helpers: list[TeamMember]
    actions: list[ActionView] = field(default_factory=list)
    names_person: bool = False  # its words (or its plan's) name someone: no perspectives
    needs: list[str] = field(default_factory=list)  # the co-lead rule, as it holds today

    @property
    def quadrant(self) -> str:
        return quadrant_of(self.priority)

    @property
    def counted(self) -> list[ActionView]:
        """Actions that count towards progress (dropped ones do not)."""
        return [a for a in self.actions if a.action.status != "dropped"]

    @property
    def done(self) -> int:
        return sum(1 for a in self.counted if a.action.status == "done")

    @property
    def total(self) -> int:
        return len(self.counted)

    @property
    def open_actions(self) -> list[ActionView]:
        return [a for a in self.actions if a.action.status in OPEN_ACTION_STATUSES]


def removed_priorities(session: Session, plan_id: int) -> list[Priority]:
    """A plan's removed priorities (soft-deleted; a facilitator may restore them)."""
    return list(
        session.exec(
            select(Priority)
            .where(Priority.plan_id == plan_id, Priority.removed_at.is_not(None))
            .order_by(Priority.removed_at.desc(), Priority.id)
        ).all()
    )


def team_members(session: Session, team_id: int, *, include_left: bool = True) -> list[TeamMember]:
    query = select(TeamMember).where(TeamMember.team_id == team_id)
    if not include_left:
        query = query.where(TeamMember.left_at.is_(None))
    return list(session.exec(query.order_by(TeamMember.display_name, TeamMember.id)).all())


def priorities_of(session: Session, plan_id: int) -> list[Priority]:
    return list(
        session.exec(
            select(Priority)
            .where(Priority.plan_id == plan_id, Priority.removed_at.is_(None))
            .order_by(Priority.position, Priority.id)
        ).all()
    )


def plan_view(session: Session, plan: Plan, today: date) -> list[PriorityView]:
    priorities = priorities_of(session, plan.id)
    ids = [p.id for p in priorities]
    members = {m.id: m for m in team_members(session, plan.team_id)}
    statements: dict[int, list[Statement]] = defaultdict(list)
    helpers: dict[int, list[TeamMember]] = defaultdict(list)
    actions: dict[int, list[Action]] = defaultdict(list)
    action_helpers: dict[int, list[TeamMember]] = defaultdict(list)
    if ids:
        for link, statement in session.exec(
            select(PriorityStatement, Statement)
            .join(Statement, Statement.id == PriorityStatement.statement_id)
            .where(PriorityStatement.priority_id.in_(ids))
            .order_by(Statement.position, Statement.id)
        ).all():
            statements[link.priority_id].append(statement)
        for link in session.exec(
            select(PriorityHelper).where(PriorityHelper.priority_id.in_(ids))
        ).all():
            if link.member_id in members:
                helpers[link.priority_id].append(members[link.member_id])
        for action in session.exec(
            select(Action)
            .where(Action.priority_id.in_(ids))
            .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
        ).all():
            actions[action.priority_id].append(action)
        action_ids = [a.id for group in actions.values() for a in group]
        if action_ids:
            for link in session.exec(
                select(ActionHelper).where(ActionHelper.action_id.in_(action_ids))
            ).all():
                if link.member_id in members:
                    action_helpers[link.action_id].append(members[link.member_id])
    named = naming.NamedItems(
        [plan],
        priorities,
        [a for group in actions.values() for a in group],
        {plan.team_id: [m.display_name for m in members.values()]},
    )
    needs = colead_needs(session, ids)
    views = []
    for p in priorities:
        view = PriorityView(
            priority=p,
            statements=statements[p.id],
            staff_colead=members.get(p.staff_colead_id),
            service_user_colead=members.get(p.service_user_colead_id),
            helpers=helpers[p.id],
            names_person=named.priority_named(p),
            needs=needs.get(p.id, []),
        )
        view.actions = [action_view(a, members, action_helpers[a.id], today) for a in actions[p.id]]
        for a in view.actions:
            a.names_person = named.action_named(a.action)
        views.append(view)
    return views


def action_view(
    action: Action, members: dict[int, TeamMember], helpers: list[TeamMember], today: date
) -> ActionView:
    return ActionView(
        action=action,
        owner=members.get(action.owner_member_id),
        helpers=helpers,
        overdue=is_overdue(action, today),
    )


def load_action_view(
    session: Session, action: Action, team_id: int, today: date, priority=None, plan=None
) -> ActionView:
    """One action; with its priority and plan, `names_person` is set too."""
    members = {m.id: m for m in team_members(session, team_id)}
    helper_ids = session.exec(
        select(ActionHelper.member_id).where(ActionHelper.action_id == action.id)
    ).all()
    view = action_view(action, members, [members[i] for i in helper_ids if i in members], today)
    if priority is not None and plan is not None:
        names = {plan.team_id: [m.display_name for m in members.values()]}
        view.names_person = naming.NamedItems([plan], [priority], [action], names).action_named(
            action.id
        )
    return view


def without_account(views: list[PriorityView]) -> list[TeamMember]:
    """People named on the plan (co-leads, helpers, owners) who have no account yet."""
    found: list[TeamMember] = []
    seen: set[int] = set()
    for view in views:
        people = [view.staff_colead, view.service_user_colead, *view.helpers]
        people += [a.owner for a in view.actions]
        for member in people:
            if member and member.user_id is None and member.id not in seen:
                seen.add(member.id)
                found.append(member)
    return found
