"""What the API answers about plans: priorities, actions and their history, people by
perspective only (never a name; not even that where an item's words name someone)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlmodel import Session

from app.api.queries import schemas
from app.models import (
    Action,
    ActionUpdate,
    Plan,
    Priority,
    PriorityStatement,
    Review,
    Statement,
    TeamMember,
)
from app.org import queries as org_queries
from app.plans import queries as plans_queries


def list_plans(session: Session, team_id: int) -> list[schemas.PlanOut]:
    plans = (
        session.exec(select(Plan).where(Plan.team_id == team_id).order_by(Plan.id)).scalars().all()
    )
    return _plans_out(session, plans)


def plan_out(session: Session, plan: Plan) -> schemas.PlanOut:
    return _plans_out(session, [plan])[0]


def _plans_out(session: Session, plans) -> list[schemas.PlanOut]:
    if not plans:
        return []
    plan_ids = [p.id for p in plans]
    perspective = {
        m.id: m.perspective
        for m in session.exec(
            select(TeamMember).where(TeamMember.team_id.in_({p.team_id for p in plans}))
        ).scalars()
    }
    priorities = (
        session.exec(
            select(Priority)
            .where(Priority.plan_id.in_(plan_ids), Priority.removed_at.is_(None))
            .order_by(Priority.position, Priority.id)
        )
        .scalars()
        .all()
    )
    priority_ids = [p.id for p in priorities]
    linked: dict[int, list] = defaultdict(list)
    for link, code in session.exec(
        select(PriorityStatement, Statement.code)
        .join(Statement, Statement.id == PriorityStatement.statement_id)
        .where(PriorityStatement.priority_id.in_(priority_ids))
        .order_by(Statement.id)
    ).all():
        linked[link.priority_id].append((link.statement_id, code))
    actions = (
        session.exec(select(Action).where(Action.priority_id.in_(priority_ids)).order_by(Action.id))
        .scalars()
        .all()
    )
    named = org_queries.named_items(session, plans, priorities, actions)  # no perspectives there
    history: dict[int, list] = defaultdict(list)
    for update in session.exec(
        select(ActionUpdate)
        .where(ActionUpdate.action_id.in_([a.id for a in actions]))
        .order_by(ActionUpdate.at, ActionUpdate.id)
    ).scalars():
        history[update.action_id].append(
            schemas.HistoryOut(
                at=update.at,
                status_from=update.status_from,
                status_to=update.status_to,
                by_perspective=named.action_label(
                    update.action_id, perspective.get(update.author_member_id)
                ),
            )
        )
    actions_by: dict[int, list] = defaultdict(list)
    for a in actions:
        actions_by[a.priority_id].append(
            schemas.ActionOut(
                id=a.id,
                what=a.what,
                owner_perspective=named.action_label(a, perspective.get(a.owner_member_id)),
                due_on=a.due_on,
                status=a.status,
                history=history.get(a.id, []),
            )
        )
    # co-leads as the rule holds today (plans' coleads_today): one who left, changed side or
    # was switched off is not reported
    leads_now = plans_queries.coleads_today(session, priority_ids)
    priorities_by: dict[int, list] = defaultdict(list)
    for p in priorities:
        staff_now, user_now = leads_now.get(p.id, (None, None))
        priorities_by[p.plan_id].append(
            schemas.PriorityOut(
                id=p.id,
                title=p.title,
                why=p.why,
                impact=p.impact,
                effort=p.effort,
                statement_ids=[s for s, _ in linked.get(p.id, [])],
                statement_codes=[c for _, c in linked.get(p.id, [])],
                staff_co_lead=named.priority_label(p, staff_now),
                service_user_co_lead=named.priority_label(p, user_now),
                actions=actions_by.get(p.id, []),
            )
        )
    reviews: dict[int, list] = defaultdict(list)
    for r in session.exec(
        select(Review).where(Review.plan_id.in_(plan_ids)).order_by(Review.held_on)
    ).scalars():
        reviews[r.plan_id].append(r.held_on)
    return [
        schemas.PlanOut(
            id=p.id,
            team_id=p.team_id,
            title=p.title,
            status=p.status,
            source_round_id=p.source_round_id,
            agreed_on=p.agreed_on,
            review_due=p.review_due,
            reviews_held_on=reviews.get(p.id, []),
            priorities=priorities_by.get(p.id, []),
        )
        for p in plans
    ]
