"""Plans: making one from a round (carrying open actions forward), agreeing, closing, the
review date. Writes flush; the request commits (docs/architecture.md)."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from sqlmodel import Session, select

from app import audit
from app.models import (
    Action,
    ActionHelper,
    ActionUpdate,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    Round,
    Statement,
    Team,
    User,
    utcnow,
)
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans.queries.plans import agree_problems, latest_plan, plan_statements
from app.plans.queries.views import priorities_of


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
                    note=f"Kept from the last plan, '{old.title}'.",
                    status_to=carried.status,
                )
            )
            session.add(
                ActionUpdate(
                    action_id=action.id,
                    author_user_id=actor.id,
                    note=f"Kept in the next plan, '{new.title}'.",
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


def close_plan(session: Session, plan: Plan, *, actor: User, at: datetime | None = None) -> None:
    plan.status = "closed"
    plan.closed_at = at or utcnow()
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
