"""SQL for comparing teams. Every figure is aggregated in the database (from agreed ratings
and plans); Python only arranges the few rows per team. How people rated statements, and how
many took part, are read from the rounds' publications (app.rounds.queries), never
from summaries or ratings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, select
from sqlmodel import Session

from app.core.i18n import _
from app.core.levels import SectionLevel
from app.models import (
    AgreedRating,
    Framework,
    Plan,
    Round,
    Section,
    Service,
    Statement,
    Team,
)

SECTION_CODES = tuple(f"C{n}" for n in range(1, 11))
# "Use the service or are family": the groups of a published head count the co-production
# sign adds up (app.core.floor.GROUPS).
COPRODUCING = ("service_user", "carer")


@dataclass(frozen=True)
class TeamFilter:
    service_id: int | None = None
    setting: str | None = None
    framework_key: str | None = None


def ranked_rounds(framework_key: str | None = None):
    """Closed rounds numbered per team, newest first (rn 1 = latest)."""
    query = select(
        Round.id.label("round_id"),
        Round.team_id.label("team_id"),
        Round.framework_id.label("framework_id"),
        Round.held_on.label("held_on"),
        func.row_number()
        .over(partition_by=Round.team_id, order_by=(Round.held_on.desc(), Round.id.desc()))
        .label("rn"),
    ).where(Round.status == "closed")
    if framework_key is not None:
        query = query.join(Framework, Framework.id == Round.framework_id).where(
            Framework.key == framework_key
        )
    return query.subquery("ranked")


def teams(session: Session, where: TeamFilter) -> list:
    """Teams (not archived) with their service, filtered by service and setting."""
    query = (
        select(Team.id, Team.name, Team.setting, Team.service_id, Service.name.label("service"))
        .join(Service, Service.id == Team.service_id)
        .where(Team.archived_at.is_(None))
        .order_by(Team.id)
    )
    if where.service_id is not None:
        query = query.where(Team.service_id == where.service_id)
    if where.setting:
        query = query.where(Team.setting == where.setting)
    return list(session.connection().execute(query).all())


def section_levels_of_rounds(session: Session, round_ids) -> dict[int, dict[str, SectionLevel]]:
    """{round_id: {section code: SectionLevel}} for the given rounds.

    Grouped by section id (within a round every statement is of one framework, so a section
    id stands for one code), read from the covering index on agreed_rating."""
    rows = session.exec(
        select(
            AgreedRating.round_id,
            Statement.section_id,
            func.avg(AgreedRating.level).label("mean"),
            func.count(AgreedRating.level).label("n"),
        )
        .join(Statement, Statement.id == AgreedRating.statement_id)
        .where(AgreedRating.round_id.in_(round_ids))
        .group_by(AgreedRating.round_id, Statement.section_id)
    ).all()
    codes = dict(session.exec(select(Section.id, Section.code)).all())
    result: dict[int, dict[str, SectionLevel]] = defaultdict(dict)
    for row in rows:
        mean = None if row.mean is None else float(row.mean)
        result[row.round_id][codes[row.section_id]] = SectionLevel(mean, int(row.n))
    return dict(result)


def section_titles(session: Session) -> dict[str, str]:
    """A title for each section code (from the newest framework that has it)."""
    rows = session.exec(
        select(Section.code, Section.title).order_by(Section.framework_id.desc())
    ).all()
    titles: dict[str, str] = {}
    for row in rows:
        titles.setdefault(row.code, row.title)
    return titles


def current_plan_ids():
    """The newest agreed plan of each team (a subquery of plan ids): compare's "current
    plan" is the plan a team has agreed, not a draft it is still writing."""
    return select(func.max(Plan.id)).where(Plan.status == "agreed").group_by(Plan.team_id)


def labelled_teams(session: Session, where: TeamFilter) -> tuple[list, dict[int, str]]:
    """The teams the filter keeps, and "Team 1", "Team 2"… by team id over all teams (so
    labels stay the same whatever the filters or the sort). One query: the service and
    setting filters are applied to the few hundred rows here."""
    everyone = teams(session, TeamFilter())
    labels = {  # in the page's language: the compare routes set it before they query
        row.id: _("Team %(number)s") % {"number": number}
        for number, row in enumerate(everyone, start=1)
    }
    kept = [
        row
        for row in everyone
        if (where.service_id is None or row.service_id == where.service_id)
        and (not where.setting or row.setting == where.setting)
    ]
    return kept, labels


def services(session: Session) -> list:
    return list(
        session.exec(
            select(Service.id, Service.name)
            .where(Service.archived_at.is_(None))
            .order_by(Service.name)
        ).all()
    )


def framework_keys(session: Session) -> list:
    """(key, title of the newest version) of every framework."""
    rows = session.exec(select(Framework.key, Framework.title).order_by(Framework.id)).all()
    titles: dict[str, str] = {}
    for row in rows:
        titles[row.key] = row.title
    return sorted(titles.items(), key=lambda item: item[1])


class StatementLink(NamedTuple):
    id: int
    code: str
    text: str


def statements_by_key(session: Session, framework_key: str | None = None) -> list:
    """[(framework title, [(section code, section title, [statements])])] of the newest
    version of each framework key: the ways into a statement across teams. Statements
    are StatementLinks."""
    newest = (
        select(Framework.key, func.max(Framework.id).label("id"))
        .group_by(Framework.key)
        .subquery("newest")
    )
    query = (
        select(
            Framework.title,
            Section.code,
            Section.title,
            Statement.id.label("id"),
            Statement.code.label("code"),
            Statement.text.label("text"),
        )
        .join(newest, newest.c.id == Framework.id)
        .join(Section, Section.framework_id == Framework.id)
        .join(Statement, Statement.section_id == Section.id)
        .order_by(Framework.title, Section.position, Section.id, Statement.position, Statement.id)
    )
    if framework_key:
        query = query.where(Framework.key == framework_key)
    result: list = []
    for row in session.connection().execute(query).all():
        title, code, section_title, statement = row[0], row[1], row[2], StatementLink(*row[3:])
        if not result or result[-1][0] != title:
            result.append((title, []))
        sections = result[-1][1]
        if not sections or sections[-1][0] != code:
            sections.append((code, section_title, []))
        sections[-1][2].append(statement)
    return result


def first_statements(session: Session) -> dict[tuple[str, str], int]:
    """{(framework key, section code): id of the section's first statement} in the newest
    version of each key: where a section's cell on the compare table links to."""
    result: dict[tuple[str, str], int] = {}
    newest = (
        select(Framework.key, func.max(Framework.id).label("id"))
        .group_by(Framework.key)
        .subquery("newest_first")
    )
    query = (
        select(Framework.key, Section.code, Statement.id)
        .join(newest, newest.c.id == Framework.id)
        .join(Section, Section.framework_id == Framework.id)
        .join(Statement, Statement.section_id == Section.id)
        .order_by(Statement.position.desc(), Statement.id.desc())
    )
    for key, code, statement_id in session.connection().execute(query).all():
        result[(key, code)] = statement_id  # the last written is the first statement
    return result
