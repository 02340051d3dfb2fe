"""Rating-derived figures in API answers: only what a round's publications published.

Counts come from `app.rounds.queries.published_spreads` (one entry per published group;
hidden groups are absent) and head counts from `published_heads`; nothing here floors raw
counts or reads summaries or ratings (docs/privacy.md).
"""

from __future__ import annotations

from app.api.queries import schemas
from app.core.floor import LEVELS, OTHER, Cell, HeadCount, Spread, Summed

NO_FIGURES = "fewer than 3 answers"
FEWER_THAN_3_PEOPLE = "fewer than 3 people"
NO_BREAKDOWN = "no breakdown: a group would be under 3"
# The people the co-production sign counts: who use the service, and family or carers.
COPRODUCING = ("service_user", "carer")


def one(value: float | None) -> float | None:
    """A level or change as the API answers it: rounded to one decimal, a number."""
    return None if value is None else round(value, 1)


def mean_of(cell: Cell | Summed) -> float | None:
    """The mean level, rounded to one decimal (null when no one gave a level)."""
    value = cell.mean.value
    return None if value is None else round(value, 1)


def counts_out(cell: Cell | Summed) -> schemas.CountsOut:
    return schemas.CountsOut(
        levels={str(level): cell.level(level).value for level in LEVELS},
        dont_know=cell.dont_know.value,
        matters_most=cell.matters_most.value,
        people=cell.n.value,
        mean=mean_of(cell),
    )


def summary_out(statement_id: int, code: str, spread: Spread | None) -> schemas.SummaryOut:
    """One statement's published figures, or null with the reason when it has none."""
    if spread is None or not spread.shown:
        return schemas.SummaryOut(
            statement_id=statement_id, statement_code=code, figures=None, hidden=NO_FIGURES
        )
    groups = None
    if spread.has_breakdown:
        groups = {name: counts_out(cell) for name, cell in spread.groups.items()}
    return schemas.SummaryOut(
        statement_id=statement_id,
        statement_code=code,
        figures=schemas.FiguresOut(total=counts_out(spread.total), groups=groups),
        hidden=None,
    )


def people_out(heads: HeadCount | None) -> schemas.PeopleOut:
    """Head counts as published at the round's close (same rule as a breakdown)."""
    if heads is None or heads.total is None:
        return schemas.PeopleOut(total=None, groups=None, hidden=FEWER_THAN_3_PEOPLE)
    if heads.groups is None:
        return schemas.PeopleOut(total=heads.total, groups=None, hidden=NO_BREAKDOWN)
    return schemas.PeopleOut(total=heads.total, groups=dict(heads.groups), hidden=None)


def coproducing(heads: HeadCount | None) -> int | None:
    """People who use the service or are family, where the published head counts give it.

    A group missing from a published breakdown took no part only when there is no "other"
    group (which could hold it); otherwise the number is not published (null)."""
    if heads is None or heads.total is None or heads.groups is None:
        return None
    found = 0
    for group in COPRODUCING:
        if group in heads.groups:
            found += heads.groups[group]
        elif OTHER in heads.groups:
            return None
    return found
