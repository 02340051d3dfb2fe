"""The SQL behind the teams-side-by-side matrix: a handful of grouped queries, each run
once per page over every team (no list of ids sent back to the database, no query per
team). Run on the Core connection and read as plain tuples: at 300 teams the ORM's
per-row work would cost more than the queries themselves. Head counts are not here: they
are the rounds' published ones (app.rounds.queries.published_heads)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from app.compare.queries.teams import current_plan_ids, ranked_rounds
from app.models import (
    Action,
    AgreedRating,
    Framework,
    Plan,
    Priority,
    Review,
    Section,
    Statement,
    TeamMember,
)
from app.models.plans import OPEN_ACTION_STATUSES
from app.plans import queries as plans_queries


def _rows(session: Session, query) -> list:
    return session.connection().execute(query).all()


def latest_rounds(session: Session) -> dict[int, tuple]:
    """{team_id: (round_id, held_on, framework key, framework title)} of each team's
    latest closed round."""
    ranked = ranked_rounds()
    rows = _rows(
        session,
        select(
            ranked.c.team_id,
            ranked.c.round_id,
            ranked.c.held_on,
            Framework.key,
            Framework.title,
        )
        .join(Framework, Framework.id == ranked.c.framework_id)
        .where(ranked.c.rn == 1),
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def section_sums(session: Session) -> dict[int, dict[str, tuple]]:
    """{team_id: {section code: (sum, n, sum before, n before)}}: the agreed levels of
    each section (don't know left out) in the team's latest closed round and in the round
    before, added up in one grouped query; the section level is sum / n.

    Grouped by section id (cheaper than joining sections), then by code here: a team
    that changed framework version between the two rounds has two ids for one code."""
    ranked = ranked_rounds()
    latest = ranked.c.rn == 1
    before = ranked.c.rn == 2
    level = AgreedRating.level
    rows = _rows(
        session,
        select(
            ranked.c.team_id,
            Statement.section_id,
            func.sum(case((latest, level))),
            func.count(case((latest, level))),
            func.sum(case((before, level))),
            func.count(case((before, level))),
        )
        .select_from(ranked)
        .join(AgreedRating, AgreedRating.round_id == ranked.c.round_id)
        .join(Statement, Statement.id == AgreedRating.statement_id)
        .where(ranked.c.rn <= 2)
        .group_by(ranked.c.team_id, Statement.section_id),
    )
    codes = dict(_rows(session, select(Section.id, Section.code)))
    result: dict[int, dict[str, tuple]] = {}
    for team_id, section_id, total, n, total_before, n_before in rows:
        sums = result.setdefault(team_id, {})
        code = codes[section_id]
        found = sums.get(code)
        if found is None:
            sums[code] = (total or 0, n, total_before or 0, n_before)
        else:
            sums[code] = (
                found[0] + (total or 0),
                found[1] + n,
                found[2] + (total_before or 0),
                found[3] + n_before,
            )
    return result


def plan_figures(session: Session, today: date) -> dict[int, tuple]:
    """{team_id: (review due, actions, done, overdue, owned by people who use the service,
    priorities, priorities with both co-leads)} of each team's current agreed plan (its
    newest agreed one). Dropped actions and removed priorities (with their actions) are left
    out; overdue: open and past due. "With both co-leads" is the co-lead rule as it holds
    today (plans' coled_today: perspective, membership and accounts as they are now)."""
    current = current_plan_ids()
    plans = _rows(
        session, select(Plan.id, Plan.team_id, Plan.review_due).where(Plan.id.in_(current))
    )
    if not plans:
        return {}
    overdue = and_(Action.status.in_(OPEN_ACTION_STATUSES), Action.due_on < today)
    actions = {
        row[0]: row[1:]
        for row in _rows(
            session,
            select(
                Priority.plan_id,
                func.count(Action.id),
                func.sum(case((Action.status == "done", 1), else_=0)),
                func.sum(case((overdue, 1), else_=0)),
                func.sum(case((TeamMember.perspective == "service_user", 1), else_=0)),
            )
            .join(Action, Action.priority_id == Priority.id)
            .outerjoin(TeamMember, TeamMember.id == Action.owner_member_id)
            .where(
                Priority.plan_id.in_(current),
                Priority.removed_at.is_(None),
                Action.status != "dropped",
            )
            .group_by(Priority.plan_id),
        )
    }
    coled = plans_queries.coled_today(session, [row[0] for row in plans])
    priorities = {plan_id: (total, both) for plan_id, (both, total) in coled.items()}
    result: dict[int, tuple] = {}
    for plan_id, team_id, review_due in plans:
        a = actions.get(plan_id, (0, 0, 0, 0))
        p = priorities.get(plan_id, (0, 0))
        result[team_id] = (review_due, *(int(v or 0) for v in a), *(int(v or 0) for v in p))
    return result


def last_reviews(session: Session) -> dict[int, date]:
    rows = _rows(
        session,
        select(Plan.team_id, func.max(Review.held_on))
        .join(Review, Review.plan_id == Plan.id)
        .group_by(Plan.team_id),
    )
    return dict(rows)
