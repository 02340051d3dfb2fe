"""Plans read: the current plan (the one rule), a team's plans, the rounds a plan may come
from, the statements a priority may link to, open actions, and what stops agreeing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from app.core import naming
from app.core.i18n import _, ngettext
from app.models import Action, Plan, Priority, Round, Statement, TeamMember
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans.queries.coleads import NEEDS_SERVICE_USER, NEEDS_STAFF, plan_needs
from app.plans.queries.views import is_overdue, team_members

MIN_PRIORITIES = 3
MAX_PRIORITIES = 5


# --- the current plan: written once --------------------------------------------------------


def current_plan_ids():
    """A subquery of (team_id, plan_id): each team's one current plan, the newest that is
    not closed (newest by created_at, then id). The one rule; every reader uses it."""
    ranked = (
        select(
            Plan.team_id.label("team_id"),
            Plan.id.label("plan_id"),
            func.row_number()
            .over(partition_by=Plan.team_id, order_by=(Plan.created_at.desc(), Plan.id.desc()))
            .label("rn"),
        )
        .where(Plan.status != "closed")
        .subquery("ranked_plans")
    )
    return select(ranked.c.team_id, ranked.c.plan_id).where(ranked.c.rn == 1).subquery("current")


def current_plans(session: Session, team_ids: Iterable[int]) -> dict[int, Plan]:
    """{team_id: its current plan} for the teams that have one (one query)."""
    ids = set(team_ids)
    if not ids:
        return {}
    current = current_plan_ids()
    rows = session.exec(
        select(Plan).join(current, current.c.plan_id == Plan.id).where(current.c.team_id.in_(ids))
    ).all()
    return {plan.team_id: plan for plan in rows}


def current_plan(session: Session, team_id: int) -> Plan | None:
    """The team's one current plan: the newest that is not closed."""
    return current_plans(session, [team_id]).get(team_id)


def team_plans(session: Session, team_id: int) -> list[Plan]:
    return list(
        session.exec(
            select(Plan)
            .where(Plan.team_id == team_id)
            .order_by(Plan.created_at.desc(), Plan.id.desc())
        ).all()
    )


def latest_plan(session: Session, team_id: int) -> Plan | None:
    return session.exec(
        select(Plan)
        .where(Plan.team_id == team_id)
        .order_by(Plan.created_at.desc(), Plan.id.desc())
        .limit(1)
    ).first()


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
    return list(
        session.exec(
            select(Statement)
            .join(Round, Round.framework_id == Statement.framework_id)
            .where(Round.id == plan.source_round_id)
            .order_by(Statement.position, Statement.id)
        ).all()
    )


# --- open actions ----------------------------------------------------------------------------


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
        .where(
            Priority.plan_id == plan.id,
            Priority.removed_at.is_(None),
            Action.status.in_(OPEN_ACTION_STATUSES),
        )
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


def open_actions_for_team(session: Session, team_id: int, today: date) -> list[OpenAction]:
    """The open actions of the team's current plan ("review before you benchmark again")."""
    plan = current_plan(session, team_id)
    if plan is None:
        return []
    return open_actions_of_plan(session, plan, today)


def carry_candidates(session: Session, team_id: int, today: date) -> list[OpenAction]:
    """Open actions a new plan may carry forward: those of the team's latest plan."""
    plan = latest_plan(session, team_id)
    return open_actions_of_plan(session, plan, today) if plan else []


# --- agreeing ----------------------------------------------------------------------------------


def agree_problems(session: Session, plan: Plan) -> list[str]:
    """What stops this plan being agreed, in plain words (empty when it may be agreed): the
    co-lead rule as it holds today (app.plans.queries.coleads), so a co-lead who has left,
    changed perspective or been switched off does not count."""
    rows = plan_needs(session, plan.id)
    problems: list[str] = []
    count = len(rows)
    if count < MIN_PRIORITIES:
        problems.append(
            ngettext(
                "Add at least %(least)s priorities: there is %(num)s",
                "Add at least %(least)s priorities: there are %(num)s",
                count,
            )
            % {"least": MIN_PRIORITIES, "num": count}
        )
    elif count > MAX_PRIORITIES:
        problems.append(
            ngettext(
                "Keep to %(most)s priorities at most: there is %(num)s",
                "Keep to %(most)s priorities at most: there are %(num)s",
                count,
            )
            % {"most": MAX_PRIORITIES, "num": count}
        )
    for priority, needs in rows:
        if NEEDS_STAFF in needs:
            problems.append(
                _("'%(title)s' needs a co-lead who is staff or a peer support worker")
                % {"title": priority.title}
            )
        if NEEDS_SERVICE_USER in needs:
            problems.append(
                _("'%(title)s' needs a co-lead who uses the service") % {"title": priority.title}
            )
    return problems
