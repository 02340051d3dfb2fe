"""Ops' reads: which rows are a team's, by name, and how many of each kind it has (shown
before deleting it)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from app.models import metadata
from app.ops.service.graph import owned_rows

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
