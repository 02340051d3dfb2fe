"""The long-format export for analysts: one row per published figure of a published cell
— round, team setting, framework key and version, statement code, group, level (or don't
know) and count — read from the rounds' current publications (app.rounds.queries,
app.core.floor cells), so it holds exactly what the anonymity floor let out: no participant
ids, no times, no group under 3, "other" only as published."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from app.compare.queries.teams import TeamFilter, labelled_teams
from app.models import Framework, Round, Statement
from app.rounds.queries import published_cells

# (column value, published figure)
LEVELS = (("1", "level_1"), ("2", "level_2"), ("3", "level_3"), ("4", "level_4"))
LEVELS += (("dont_know", "dont_know"),)
HEADER = [
    "round_id",
    "round_held_on",
    "team_setting",
    "framework_key",
    "framework_version",
    "statement_code",
    "group",
    "level",
    "count",
]


@dataclass(frozen=True)
class LongRow:
    round_id: int
    held_on: object  # a date (the day of the round, never a time)
    setting: str
    framework_key: str
    framework_version: str
    statement_code: str
    group: str
    level: str  # "1".."4" or "dont_know"
    count: int
    # where it comes from (not exported): the published cell and its figure
    publication_id: int
    statement_id: int
    figure: str

    @property
    def values(self) -> list:
        return [
            self.round_id,
            self.held_on,
            self.setting,
            self.framework_key,
            self.framework_version,
            self.statement_code,
            self.group,
            self.level,
            self.count,
        ]


def long_rows(session: Session, where: TeamFilter) -> list[LongRow]:
    teams, _labels = labelled_teams(session, where)
    settings = {t.id: t.setting for t in teams}
    if not settings:
        return []
    query = (
        select(Round.id, Round.held_on, Round.team_id, Framework.key, Framework.version)
        .join(Framework, Framework.id == Round.framework_id)
        .where(Round.status == "closed", Round.team_id.in_(settings))
        .order_by(Round.held_on, Round.id)
    )
    if where.framework_key:
        query = query.where(Framework.key == where.framework_key)
    rounds = session.exec(query).all()
    cells = published_cells(session, [r.id for r in rounds])
    codes = dict(session.exec(select(Statement.id, Statement.code)).all())
    rows: list[LongRow] = []
    for r in rounds:
        by_statement = cells.get(r.id, {})
        for statement_id in sorted(by_statement, key=lambda s: _order(codes.get(s, ""))):
            for cell in by_statement[statement_id]:
                for level, name in LEVELS:
                    figure = cell.figure(name)
                    rows.append(
                        LongRow(
                            r.id,
                            r.held_on,
                            settings[r.team_id],
                            r.key,
                            r.version,
                            codes[statement_id],
                            cell.group,
                            level,
                            figure.value,
                            cell.publication_id,
                            statement_id,
                            name,
                        )
                    )
    return rows


def _order(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in code.lstrip("C").split("."))
