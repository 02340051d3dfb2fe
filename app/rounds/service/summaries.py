"""The stored summaries: per-statement counts written when a round closes, in one
INSERT … SELECT from the live counts (app.rounds.queries.summaries)."""

from __future__ import annotations

from sqlalchemy import delete, insert, literal, select
from sqlmodel import Session

from app.models import StatementSummary
from app.rounds.queries.summaries import live_select

COLUMNS = (
    "round_id",
    "statement_id",
    "perspective",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "dont_know",
    "matters_most",
    "n",
)


def write_summaries(session: Session, round_id: int) -> int:
    """Replace the round's summaries with counts from its ratings, in one INSERT … SELECT.

    Runs inside the caller's transaction (closing a round writes both together).
    """
    session.exec(delete(StatementSummary).where(StatementSummary.round_id == round_id))
    live = live_select(round_id).subquery()
    source = select(literal(round_id), *(live.c[name] for name in COLUMNS[1:]))
    result = session.exec(
        insert(StatementSummary).from_select(
            [getattr(StatementSummary, c) for c in COLUMNS], source
        )
    )
    return result.rowcount or 0


def delete_summaries(session: Session, round_id: int) -> None:
    session.exec(delete(StatementSummary).where(StatementSummary.round_id == round_id))
