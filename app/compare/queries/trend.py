"""The organisation over time, and the priorities teams choose most.

Trend: for each quarter, each team is counted once (its latest closed round in that
quarter); we show the spread of that section's levels — how many teams, lowest, median,
highest and teams per band — never an average of averages. The organisation's chart plots
the medians (an XmR chart, app.core.xmr); a team's own chart plots its rounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy import func, select
from sqlmodel import Session

from app.compare.queries import teams as queries
from app.compare.queries.teams import TeamFilter
from app.models import Framework, Plan, Priority, PriorityStatement, Round, Statement


@dataclass(frozen=True)
class QuarterSpread:
    quarter: str  # "2026 Q1"
    teams: int  # teams with a level for this section in the quarter
    lowest: float | None
    median: float | None
    highest: float | None
    bands: tuple[int, int, int, int]  # teams nearest each scale level


def quarter_of(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def band_of(mean: float) -> int:
    return min(4, max(1, int(mean + 0.5)))


def trend(session: Session, where: TeamFilter, code: str) -> list[QuarterSpread]:
    team_ids = {t.id for t in queries.teams(session, where)}
    query = (
        select(Round.id, Round.team_id, Round.held_on, Framework.key)
        .join(Framework, Framework.id == Round.framework_id)
        .where(Round.status == "closed")
        .order_by(Round.held_on, Round.id)
    )
    if where.framework_key:
        query = query.where(Framework.key == where.framework_key)
    chosen: dict[tuple[str, int], int] = {}  # (quarter, team) → its latest round that quarter
    for row in session.exec(query).all():
        if row.team_id in team_ids:
            chosen[(quarter_of(row.held_on), row.team_id)] = row.id
    if not chosen:
        return []
    levels = queries.section_levels_of_rounds(session, list(chosen.values()))
    by_quarter: dict[str, list[float]] = {}
    for (quarter, _team), round_id in chosen.items():
        by_quarter.setdefault(quarter, [])
        level = levels.get(round_id, {}).get(code)
        if level is not None and level.mean is not None:
            by_quarter[quarter].append(level.mean)
    spreads = []
    for quarter in sorted(by_quarter):
        values = sorted(by_quarter[quarter])
        bands = [0, 0, 0, 0]
        for value in values:
            bands[band_of(value) - 1] += 1
        spreads.append(
            QuarterSpread(
                quarter,
                len(values),
                values[0] if values else None,
                median(values) if values else None,
                values[-1] if values else None,
                tuple(bands),
            )
        )
    return spreads


def team_levels(session: Session, team_id: int, code: str) -> list[tuple[date, float]]:
    """(held on, section level) of each of the team's closed rounds with a level for the
    section, oldest first: the team's own chart."""
    rounds = session.exec(
        select(Round.id, Round.held_on)
        .where(Round.team_id == team_id, Round.status == "closed")
        .order_by(Round.held_on, Round.id)
    ).all()
    levels = queries.section_levels_of_rounds(session, [r.id for r in rounds]) if rounds else {}
    found = []
    for row in rounds:
        level = levels.get(row.id, {}).get(code)
        if level is not None and level.mean is not None:
            found.append((row.held_on, level.mean))
    return found


@dataclass(frozen=True)
class CommonPriority:
    framework_key: str
    framework_title: str
    code: str
    text: str
    statement_id: int  # the newest version's statement, for the link
    teams: int


def common_priorities(session: Session, where: TeamFilter, limit: int = 50):
    """Statements most chosen as priorities in current (agreed) plans, by key + code."""
    team_ids = [t.id for t in queries.teams(session, where)]
    if not team_ids:
        return []
    rows = session.exec(
        select(
            Framework.key,
            Statement.code,
            func.count(func.distinct(Plan.team_id)).label("teams"),
            func.max(Statement.id).label("statement_id"),
        )
        .select_from(Plan)
        .join(Priority, Priority.plan_id == Plan.id)
        .join(PriorityStatement, PriorityStatement.priority_id == Priority.id)
        .join(Statement, Statement.id == PriorityStatement.statement_id)
        .join(Framework, Framework.id == Statement.framework_id)
        .where(
            Plan.id.in_(queries.current_plan_ids()),
            Plan.team_id.in_(team_ids),
            Priority.removed_at.is_(None),
        )
        .group_by(Framework.key, Statement.code)
    ).all()
    if where.framework_key:
        rows = [r for r in rows if r.key == where.framework_key]
    newest = _newest_statements(session, {(r.key, r.code) for r in rows})
    result = []
    for row in rows:
        statement, title = newest[(row.key, row.code)]
        result.append(
            CommonPriority(row.key, title, row.code, statement.text, statement.id, row.teams)
        )
    result.sort(key=lambda p: (-p.teams, p.framework_title, _code_order(p.code)))
    return result[:limit]


def _newest_statements(session: Session, pairs) -> dict:
    keys = {key for key, _ in pairs}
    found = {}
    if not keys:
        return found
    for statement, framework in session.exec(
        select(Statement, Framework)
        .join(Framework, Framework.id == Statement.framework_id)
        .where(Framework.key.in_(keys))
        .order_by(Framework.id)
    ).all():
        if (framework.key, statement.code) in pairs:
            found[(framework.key, statement.code)] = (statement, framework.title)
    return found


def _code_order(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in code.lstrip("C").split("."))
