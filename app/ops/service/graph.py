"""Deleting the rows that belong to some root rows (found by app.ops.queries.owned_rows,
from the tables' foreign keys).

Deleting a team (or purging a round's ratings) must remove every row that belongs to it,
including rows in tables added later. A row *belongs* to a parent row when it points at it
through a NOT NULL foreign key (or, for the team itself, a `team_id` column). A nullable
foreign key from a row that does not belong is cleared instead, so nothing else is lost.
"""

from __future__ import annotations

from sqlalchemy import select, true, update
from sqlmodel import Session

from app.models import metadata
from app.ops.queries import Owned


def clear_references(session: Session, owned: list[Owned]) -> dict[str, int]:
    """Set nullable foreign keys to NULL where a row that stays points at a row that goes."""
    by_name = {o.table.name: o for o in owned}
    cleared: dict[str, int] = {}
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column.table
            if not fk.parent.nullable or parent.name not in by_name:
                continue
            points_at_going = fk.parent.in_(select(fk.column).where(by_name[parent.name].where))
            stays = ~by_name[table.name].where if table.name in by_name else true()
            result = session.exec(
                update(table).where(points_at_going, stays).values({fk.parent.name: None})
            )
            if result.rowcount:
                cleared[f"{table.name}.{fk.parent.name}"] = result.rowcount
    return cleared


def delete_owned(session: Session, owned: list[Owned]) -> dict[str, int]:
    """Delete the rows, children first, in the caller's transaction; counts per table."""
    clear_references(session, owned)
    counts: dict[str, int] = {}
    for item in reversed(owned):
        result = session.exec(item.table.delete().where(item.where))
        counts[item.table.name] = result.rowcount or 0
    return counts
