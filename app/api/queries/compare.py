"""What the API answers for teams side by side: compare's matrix rows (app.compare.queries),
with head counts as the rounds published them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.api.queries import figures, schemas
from app.compare import queries as compare_queries
from app.rounds import queries as rounds_queries


def compare_rows(
    session: Session, where: compare_queries.TeamFilter, today: date
) -> list[schemas.CompareRowOut]:
    codes = compare_queries.SECTION_CODES
    rows = compare_queries.build_rows(session, where, today)
    round_ids = [r.round_id for r in rows if r.round_id is not None]
    heads = rounds_queries.published_heads(session, round_ids)
    return [
        schemas.CompareRowOut(
            team_id=r.team_id,
            team=r.name,
            service=r.service,
            setting=r.setting,
            framework_key=r.framework_key,
            last_round_on=r.last_round_on,
            section_levels={c: figures.one(r.cells[c].mean) for c in codes},
            section_changes={c: figures.one(r.cells[c].change) for c in codes},
            no_round_for_12_months=r.no_recent_round,
            last_review_on=r.last_review_on,
            review_overdue=r.review_overdue,
            actions=r.actions,
            actions_done=r.actions_done,
            actions_overdue=r.actions_overdue,
            actions_owned_by_service_users=r.actions_by_service_users,
            priorities=r.priorities,
            priorities_with_both_co_leads=r.priorities_co_led,
            people=None if r.round_id is None else figures.people_out(heads.get(r.round_id)),
            people_who_use_the_service_or_family=figures.coproducing(heads.get(r.round_id)),
        )
        for r in rows
    ]


def cell_rows(
    session: Session, where: compare_queries.TeamFilter
) -> list[schemas.PublishedCellOut]:
    """The analysts' long format: one figure of a published cell a row."""
    return [
        schemas.PublishedCellOut(**dict(zip(compare_queries.cells.HEADER, r.values, strict=True)))
        for r in compare_queries.long_rows(session, where)
    ]
