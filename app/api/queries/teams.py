"""What the API answers about teams and rounds: agreed ratings and published figures
(app.api.queries.figures).

The outside view: no names of people, no comments or notes; rating-derived figures only as
the round's publications published them (the anonymity floor, docs/privacy.md)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from app.api.queries import figures, schemas
from app.compare import queries as compare_queries
from app.models import AgreedRating, Framework, Round, Section, Service, Statement, Team
from app.rounds import queries as rounds_queries


def team_out(team: Team, service: Service) -> schemas.TeamOut:
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
    return [team_out(team, service) for team, service in rows]


def find_team(session: Session, team_id: int) -> tuple[Team, Service] | None:
    return session.exec(
        select(Team, Service).join(Service, Service.id == Team.service_id).where(Team.id == team_id)
    ).first()


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
    rows = session.exec(
        select(Round, Framework)
        .join(Framework, Framework.id == Round.framework_id)
        .where(Round.team_id == team_id, Round.status == "closed")
        .order_by(Round.held_on, Round.id)
    ).all()
    return [schemas.RoundOut(**_round_out(r, f)) for r, f in rows]


def find_closed_round(session: Session, round_id: int) -> tuple[Round, Framework] | None:
    """A closed round: open and draft rounds are only for their facilitators."""
    return session.exec(
        select(Round, Framework)
        .join(Framework, Framework.id == Round.framework_id)
        .where(Round.id == round_id, Round.status == "closed")
    ).first()


def round_detail(session: Session, rnd: Round, framework: Framework) -> schemas.RoundDetail:
    """Figures and head counts are the round's published ones (app.api.queries.figures)."""
    round_id = rnd.id
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
    spreads = rounds_queries.published_spreads(session, round_id)
    heads = rounds_queries.published_heads(session, [round_id]).get(round_id)
    levels = compare_queries.section_levels_of_rounds(session, [round_id]).get(round_id, {})
    return schemas.RoundDetail(
        **_round_out(rnd, framework),
        people=figures.people_out(heads),
        section_levels=[
            schemas.SectionLevelOut(code=code, level=figures.one(lvl.mean), statements=lvl.n)
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
