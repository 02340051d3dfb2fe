"""Plans: the current plan, making one from a round, agreeing, closing, carrying forward."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app import audit
from app.core import naming
from app.models import (
    Action,
    ActionHelper,
    ActionUpdate,
    Framework,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    Round,
    Statement,
    Team,
    TeamMember,
    User,
    utcnow,
)
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans.labels import is_service_user, is_staff_side, local_date
from app.plans.views import is_overdue, priorities_of, team_members

MIN_PRIORITIES = 3
MAX_PRIORITIES = 5


class StaleEdit(Exception):
    """Someone saved a newer version first; nothing was written."""

    def __init__(self, current) -> None:
        super().__init__("stale edit")
        self.current = current


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def current_plan(session: Session, team_id: int) -> Plan | None:
    """The team's one current plan: the newest that is not closed."""
    return session.exec(
        select(Plan)
        .where(Plan.team_id == team_id, Plan.status != "closed")
        .order_by(Plan.created_at.desc(), Plan.id.desc())
    ).first()


def team_plans(session: Session, team_id: int) -> list[Plan]:
    return list(
        session.exec(
            select(Plan)
            .where(Plan.team_id == team_id)
            .order_by(Plan.created_at.desc(), Plan.id.desc())
        ).all()
    )


def latest_plan(session: Session, team_id: int) -> Plan | None:
    plans = team_plans(session, team_id)
    return plans[0] if plans else None


def closed_rounds(session: Session, team_id: int) -> list[Round]:
    return list(
        session.exec(
            select(Round)
            .where(Round.team_id == team_id, Round.status == "closed")
            .order_by(Round.held_on.desc(), Round.id.desc())
        ).all()
    )


def plan_statements(session: Session, plan: Plan) -> list[Statement]:
    """Statements a priority may link to: those of the plan's source round's framework."""
    if plan.source_round_id is None:
        return []
    round_ = session.get(Round, plan.source_round_id)
    return list(
        session.exec(
            select(Statement)
            .where(Statement.framework_id == round_.framework_id)
            .order_by(Statement.position, Statement.id)
        ).all()
    )


@dataclass
class OpenAction:
    action: Action
    priority: Priority
    plan: Plan
    owner: TeamMember | None
    overdue: bool
    names_person: bool = False  # the action's, priority's or plan's words name someone


def open_actions_of_plan(session: Session, plan: Plan, today: date) -> list[OpenAction]:
    members = {m.id: m for m in team_members(session, plan.team_id)}
    rows = session.exec(
        select(Action, Priority)
        .join(Priority, Priority.id == Action.priority_id)
        .where(Priority.plan_id == plan.id, Action.status.in_(OPEN_ACTION_STATUSES))
        .order_by(Priority.position, Priority.id, Action.due_on.is_(None), Action.due_on, Action.id)
    ).all()
    names = {plan.team_id: [m.display_name for m in members.values()]}
    named = naming.NamedItems([plan], [p for _, p in rows], [a for a, _ in rows], names)
    return [
        OpenAction(
            a, p, plan, members.get(a.owner_member_id), is_overdue(a, today), named.action_named(a)
        )
        for a, p in rows
    ]


def open_actions_for_team(
    session: Session, team_id: int, today: date | None = None
) -> list[OpenAction]:
    """The open actions of the team's current plan ("review before you benchmark again")."""
    plan = current_plan(session, team_id)
    if plan is None:
        return []
    return open_actions_of_plan(session, plan, today or local_date(utcnow()))


def carry_candidates(session: Session, team_id: int, today: date) -> list[OpenAction]:
    """Open actions a new plan may carry forward: those of the team's latest plan."""
    plan = latest_plan(session, team_id)
    return open_actions_of_plan(session, plan, today) if plan else []


def create_plan(
    session: Session,
    *,
    team: Team,
    title: str,
    source_round: Round | None,
    carry_action_ids: list[int],
    actor: User,
) -> Plan:
    """A new draft plan. The previous plan closes; chosen open actions come with it."""
    previous = latest_plan(session, team.id)
    if previous is not None and previous.status != "closed":
        close_plan(session, previous, actor=actor)
    plan = Plan(
        team_id=team.id,
        source_round_id=source_round.id if source_round else None,
        title=title,
    )
    session.add(plan)
    session.flush()
    audit.record(
        session,
        verb="plan.created",
        entity="plan",
        entity_id=plan.id,
        actor=actor,
        team_id=team.id,
        detail={"title": title, "source_round_id": plan.source_round_id},
    )
    if previous is not None and carry_action_ids:
        carry_forward(session, previous, plan, carry_action_ids, actor=actor)
    return plan


def carry_forward(
    session: Session, old: Plan, new: Plan, action_ids: list[int], *, actor: User
) -> list[Action]:
    """Copy the chosen open actions (and their priorities) into the new plan."""
    wanted = set(action_ids)
    statements = {s.code: s.id for s in plan_statements(session, new)}
    made: list[Action] = []
    for position, priority in enumerate(priorities_of(session, old.id)):
        actions = session.exec(
            select(Action)
            .where(
                Action.priority_id == priority.id,
                Action.status.in_(OPEN_ACTION_STATUSES),
                Action.id.in_(wanted),
            )
            .order_by(Action.id)
        ).all()
        if not actions:
            continue
        copy = Priority(
            plan_id=new.id,
            title=priority.title,
            why=priority.why,
            impact=priority.impact,
            effort=priority.effort,
            staff_colead_id=priority.staff_colead_id,
            service_user_colead_id=priority.service_user_colead_id,
            position=position,
        )
        session.add(copy)
        session.flush()
        for code in session.exec(
            select(Statement.code)
            .join(PriorityStatement, PriorityStatement.statement_id == Statement.id)
            .where(PriorityStatement.priority_id == priority.id)
        ).all():
            if code in statements:
                session.add(PriorityStatement(priority_id=copy.id, statement_id=statements[code]))
        for member_id in session.exec(
            select(PriorityHelper.member_id).where(PriorityHelper.priority_id == priority.id)
        ).all():
            session.add(PriorityHelper(priority_id=copy.id, member_id=member_id))
        for action in actions:
            carried = Action(
                priority_id=copy.id,
                what=action.what,
                owner_member_id=action.owner_member_id,
                due_on=action.due_on,
                status=action.status,
                carried_from_action_id=action.id,
            )
            session.add(carried)
            session.flush()
            for member_id in session.exec(
                select(ActionHelper.member_id).where(ActionHelper.action_id == action.id)
            ).all():
                session.add(ActionHelper(action_id=carried.id, member_id=member_id))
            session.add(
                ActionUpdate(
                    action_id=carried.id,
                    author_user_id=actor.id,
                    note=f"Carried forward from '{old.title}'.",
                    status_to=carried.status,
                )
            )
            session.add(
                ActionUpdate(
                    action_id=action.id,
                    author_user_id=actor.id,
                    note=f"Carried forward to '{new.title}'.",
                )
            )
            audit.record(
                session,
                verb="action.carried",
                entity="action",
                entity_id=carried.id,
                actor=actor,
                team_id=new.team_id,
                detail={"from_action_id": action.id, "plan_id": new.id},
            )
            made.append(carried)
    return made


def agree_problems(session: Session, plan: Plan) -> list[str]:
    """What stops this plan being agreed, in plain words (empty when it may be agreed)."""
    problems: list[str] = []
    priorities = priorities_of(session, plan.id)
    count = len(priorities)
    there = "there is 1" if count == 1 else f"there are {count}"
    if count < MIN_PRIORITIES:
        problems.append(f"Add at least {MIN_PRIORITIES} priorities: {there}")
    elif count > MAX_PRIORITIES:
        problems.append(f"Keep to {MAX_PRIORITIES} priorities at most: {there}")
    for priority in priorities:
        staff = (
            session.get(TeamMember, priority.staff_colead_id) if priority.staff_colead_id else None
        )
        user = (
            session.get(TeamMember, priority.service_user_colead_id)
            if priority.service_user_colead_id
            else None
        )
        if not is_staff_side(staff):
            problems.append(
                f"'{priority.title}' needs a co-lead who is staff or a peer support worker"
            )
        if not is_service_user(user):
            problems.append(f"'{priority.title}' needs a co-lead who uses the service")
    return problems


def agree_plan(
    session: Session, plan: Plan, *, actor: User, today: date, review_due: date | None = None
) -> list[str]:
    """Agree the plan if it may be; otherwise answer what is missing (nothing changes)."""
    problems = agree_problems(session, plan)
    if problems:
        return problems
    plan.status = "agreed"
    plan.agreed_on = today
    plan.review_due = review_due or plan.review_due or add_months(today, 3)
    plan.version += 1
    session.add(plan)
    audit.record(
        session,
        verb="plan.agreed",
        entity="plan",
        entity_id=plan.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"review_due": plan.review_due.isoformat()},
    )
    return []


def close_plan(session: Session, plan: Plan, *, actor: User) -> None:
    plan.status = "closed"
    plan.closed_at = utcnow()
    plan.version += 1
    session.add(plan)
    audit.record(
        session,
        verb="plan.closed",
        entity="plan",
        entity_id=plan.id,
        actor=actor,
        team_id=plan.team_id,
    )


def set_review_due(session: Session, plan: Plan, review_due: date, *, actor: User) -> None:
    before = plan.review_due
    plan.review_due = review_due
    plan.version += 1
    session.add(plan)
    audit.record(
        session,
        verb="plan.review_due_set",
        entity="plan",
        entity_id=plan.id,
        actor=actor,
        team_id=plan.team_id,
        detail={"from": before.isoformat() if before else None, "to": review_due.isoformat()},
    )


def framework_of_round(session: Session, round_id: int | None) -> Framework | None:
    if round_id is None:
        return None
    round_ = session.get(Round, round_id)
    return session.get(Framework, round_.framework_id) if round_ else None
