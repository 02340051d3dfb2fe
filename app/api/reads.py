"""What the API answers: published figures (app.api.figures), agreed ratings and plans.

The outside view: no names of people, no comments or notes; rating-derived figures only as
the round's publications published them (the anonymity floor, docs/privacy.md)."""

from __future__ import annotations

from collections import defaultdict

from fastapi import HTTPException
from sqlalchemy import select
from sqlmodel import Session

from app.api import figures, schemas
from app.compare import queries
from app.core import naming
from app.models import (
    Action,
    ActionUpdate,
    AgreedRating,
    Framework,
    Plan,
    Priority,
    PriorityStatement,
    Review,
    Round,
    Section,
    Service,
    Statement,
    Team,
    TeamMember,
)
from app.rounds import publications


def _team_out(team: Team, service: Service) -> schemas.TeamOut:
    return schemas.TeamOut(
        id=team.id,
        name=team.name,
        service_id=service.id,
        service=service.name,
        setting=team.setting,
        archived=team.archived_at is not None,
    )


def list_teams(session: Session) -> list[schemas.TeamOut]:
    rows = session.exec(
        select(Team, Service).join(Service, Service.id == Team.service_id).order_by(Team.id)
    ).all()
    return [_team_out(team, service) for team, service in rows]


def get_team(session: Session, team_id: int) -> schemas.TeamOut:
    row = session.exec(
        select(Team, Service).join(Service, Service.id == Team.service_id).where(Team.id == team_id)
    ).first()
    if row is None:
        raise HTTPException(404, "There is no team with this id.")
    return _team_out(*row)


def _round_out(rnd: Round, framework: Framework) -> dict:
    return {
        "id": rnd.id,
        "team_id": rnd.team_id,
        "framework_key": framework.key,
        "framework_version": framework.version,
        "title": rnd.title,
        "held_on": rnd.held_on,
        "status": rnd.status,
        "closed_at": rnd.closed_at,
    }


def list_rounds(session: Session, team_id: int) -> list[schemas.RoundOut]:
    get_team(session, team_id)
    rows = session.exec(
        select(Round, Framework)
        .join(Framework, Framework.id == Round.framework_id)
        .where(Round.team_id == team_id, Round.status == "closed")
        .order_by(Round.held_on, Round.id)
    ).all()
    return [schemas.RoundOut(**_round_out(r, f)) for r, f in rows]


def get_round(session: Session, round_id: int) -> schemas.RoundDetail:
    """A closed round: open and draft rounds are only for their facilitators (404 here).
    Figures and head counts are the round's published ones (app.api.figures)."""
    row = session.exec(
        select(Round, Framework)
        .join(Framework, Framework.id == Round.framework_id)
        .where(Round.id == round_id, Round.status == "closed")
    ).first()
    if row is None:
        raise HTTPException(404, "There is no closed round with this id.")
    rnd, framework = row
    statements = session.exec(
        select(Statement.id, Statement.code, Section.code.label("section"))
        .join(Section, Section.id == Statement.section_id)
        .where(Statement.framework_id == framework.id)
        .order_by(Section.position, Statement.position, Statement.id)
    ).all()
    agreed = {
        a.statement_id: a.level
        for a in session.exec(select(AgreedRating).where(AgreedRating.round_id == round_id))
        .scalars()
        .all()
    }
    spreads = publications.published_spreads(session, round_id)
    heads = publications.published_heads(session, [round_id]).get(round_id)
    levels = queries.section_levels_of_rounds(session, [round_id]).get(round_id, {})
    return schemas.RoundDetail(
        **_round_out(rnd, framework),
        people=figures.people_out(heads),
        section_levels=[
            schemas.SectionLevelOut(code=code, level=lvl.mean, statements=lvl.n)
            for code, lvl in sorted(levels.items(), key=lambda item: int(item[0][1:]))
        ],
        agreed_ratings=[
            schemas.AgreedOut(
                statement_id=s.id,
                statement_code=s.code,
                section_code=s.section,
                level=agreed.get(s.id),
            )
            for s in statements
            if s.id in agreed
        ],
        summaries=[figures.summary_out(s.id, s.code, spreads.get(s.id)) for s in statements],
    )


def list_plans(session: Session, team_id: int) -> list[schemas.PlanOut]:
    get_team(session, team_id)
    plans = (
        session.exec(select(Plan).where(Plan.team_id == team_id).order_by(Plan.id)).scalars().all()
    )
    return _plans_out(session, plans)


def get_plan(session: Session, plan_id: int) -> schemas.PlanOut:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise HTTPException(404, "There is no plan with this id.")
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
            .where(Priority.plan_id.in_(plan_ids))
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
    named = naming.named_items(session, plans, priorities, actions)  # no perspectives there
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
    priorities_by: dict[int, list] = defaultdict(list)
    for p in priorities:
        priorities_by[p.plan_id].append(
            schemas.PriorityOut(
                id=p.id,
                title=p.title,
                why=p.why,
                impact=p.impact,
                effort=p.effort,
                statement_ids=[s for s, _ in linked.get(p.id, [])],
                statement_codes=[c for _, c in linked.get(p.id, [])],
                staff_co_lead=named.priority_label(p, perspective.get(p.staff_colead_id)),
                service_user_co_lead=named.priority_label(
                    p, perspective.get(p.service_user_colead_id)
                ),
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
