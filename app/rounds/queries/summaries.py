"""Per-statement counts: live from ratings (open rounds) or from the stored summaries
(written at close by app.rounds.service.summaries).

Both answer {statement_id: {perspective: Counts}} and aggregate in SQL, never by looping
over individual ratings in Python.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Integer, case, func, select
from sqlmodel import Session

from app.core.floor import Counts
from app.models import Participant, Rating, StatementSummary

CountsByStatement = dict[int, dict[str, Counts]]


def _level_sum(level: int):
    return func.sum(case((Rating.level == level, 1), else_=0))


def live_select(round_id: int, statement_id: int | None = None):
    query = (
        select(
            Rating.statement_id,
            Participant.perspective,
            _level_sum(1).label("level_1"),
            _level_sum(2).label("level_2"),
            _level_sum(3).label("level_3"),
            _level_sum(4).label("level_4"),
            func.sum(case((Rating.level.is_(None), 1), else_=0)).label("dont_know"),
            func.sum(func.cast(Rating.matters_most, Integer)).label("matters_most"),
            func.count().label("n"),
        )
        .join(Participant, Participant.id == Rating.participant_id)
        .where(Rating.round_id == round_id)
        .group_by(Rating.statement_id, Participant.perspective)
    )
    if statement_id is not None:
        query = query.where(Rating.statement_id == statement_id)
    return query


def _to_counts(rows) -> CountsByStatement:
    result: CountsByStatement = defaultdict(dict)
    for row in rows:
        result[row.statement_id][row.perspective] = Counts(
            levels=(
                int(row.level_1 or 0),
                int(row.level_2 or 0),
                int(row.level_3 or 0),
                int(row.level_4 or 0),
            ),
            dont_know=int(row.dont_know or 0),
            matters_most=int(row.matters_most or 0),
            n=int(row.n or 0),
        )
    return dict(result)


def live_counts(
    session: Session, round_id: int, statement_id: int | None = None
) -> CountsByStatement:
    """Counts computed now from the ratings (for an open round; the room and facilitators)."""
    return _to_counts(session.exec(live_select(round_id, statement_id)).all())


def stored_counts(
    session: Session, round_id: int, statement_id: int | None = None
) -> CountsByStatement:
    """Counts from the summaries written when the round closed."""
    query = select(StatementSummary).where(StatementSummary.round_id == round_id)
    if statement_id is not None:
        query = query.where(StatementSummary.statement_id == statement_id)
    rows = session.exec(query).scalars().all()
    return _to_counts(rows)
