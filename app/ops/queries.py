"""Ops' reads: which rows hang off which (worked out from the tables' foreign keys, so a
table added later is covered), which are a team's, by name, and how many of each kind it
has (shown before deleting it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, func, or_, select
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


# Friendly names for the tables in the export; a table added later appears by its own name.
SECTION_NAMES = {
    "teammember": "members",
    "invitation": "invitations",
    "round": "rounds",
    "participant": "participants",
    "rating": "ratings",
    "agreed_rating": "agreed_ratings",
    "statement_summary": "summaries",
    "publication": "publications",
    "published_cell": "published_cells",
    "publication_member": "publication_members",
    "asset": "assets",
    "plan": "plans",
    "priority": "priorities",
    "priority_statement": "priority_statements",
    "priority_helper": "priority_helpers",
    "action": "actions",
    "action_helper": "action_helpers",
    "action_update": "updates",
    "review": "reviews",
    "celebration": "celebrations",
}


def team_where(team_id: int):
    return {"team": metadata.tables["team"].c.id == team_id}


def count_team_rows(session: Session, team_id: int) -> dict[str, int]:
    """How many rows of each kind the team has (shown before deleting)."""
    counts: dict[str, int] = {}
    for item in owned_rows(team_where(team_id)):
        if item.table.name == "team":
            continue
        n = session.execute(select(func.count()).select_from(item.table).where(item.where))
        counts[SECTION_NAMES.get(item.table.name, item.table.name)] = n.scalar_one()
    return counts
