"""What the facilitator's home shows of the co-lead rule: the priorities of their teams'
current agreed plans that need a co-lead today."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from app.models import Plan, Priority
from app.plans.queries.coleads import colead_needs
from app.plans.queries.plans import current_plans


def needing_coleads(
    session: Session, team_ids: Iterable[int]
) -> list[tuple[Plan, Priority, list[str]]]:
    """The priorities of these teams' current agreed plans that need a co-lead today, for the
    facilitator's home: (plan, priority, needs), by team and position."""
    plans = {p.id: p for p in current_plans(session, team_ids).values() if p.status == "agreed"}
    if not plans:
        return []
    priorities = session.exec(
        select(Priority)
        .where(Priority.plan_id.in_(plans), Priority.removed_at.is_(None))
        .order_by(Priority.plan_id, Priority.position, Priority.id)
    ).all()
    needs = colead_needs(session, [p.id for p in priorities])
    return [(plans[p.plan_id], p, needs[p.id]) for p in priorities if needs.get(p.id)]
