"""Which rows hang off which: worked out from the tables' foreign keys.

Deleting a team (or purging a round's ratings) must remove every row that belongs to it,
including rows in tables added later. A row *belongs* to a parent row when it points at it
through a NOT NULL foreign key (or, for the team itself, a `team_id` column). A nullable
foreign key from a row that does not belong is cleared instead, so nothing else is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, or_, select, true, update
from sqlmodel import Session

import app.models  # noqa: F401  (registers every table)
from app.models import metadata


@dataclass(frozen=True)
class Owned:
    """One table and the condition that picks the rows belonging to the roots."""

    table: Table
    where: ColumnElement[bool]


def owned_rows(roots: dict[str, ColumnElement[bool]]) -> list[Owned]:
    """Every table's rows that belong to the root rows, parents before children.

    `roots` maps a table name to the condition picking its root rows, for example
    ``{"team": team.c.id == 5}``. A table with a `team_id` column is not a child of the
    team unless that column is a foreign key (the audit log keeps its plain `team_id`).
    """
    found: dict[str, ColumnElement[bool]] = {}
    for table in metadata.sorted_tables:
        conditions = [roots[table.name]] if table.name in roots else []
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent.name == table.name or parent.name not in found or fk.parent.nullable:
                continue
            conditions.append(fk.parent.in_(select(fk.column).where(found[parent.name])))
        if conditions:
            found[table.name] = or_(*conditions)
    return [Owned(t, found[t.name]) for t in metadata.sorted_tables if t.name in found]


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
