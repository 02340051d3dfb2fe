"""Assets at work: people whose assets match an action's words or kind (inside view only).

The matching itself is the assets register's (`app.assets.queries.match_assets`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.assets import queries as assets_queries
from app.models import Asset, TeamMember


@dataclass
class HelperIdea:
    asset: Asset
    member: TeamMember | None  # None: held under an alias (an idea, not a person to name)


def helper_ideas(
    session: Session, team_id: int, text: str, kind: str | None = None, limit: int = 6
) -> tuple[list[HelperIdea], list[HelperIdea]]:
    """(people to ask, ideas from alias-held assets) whose assets match `text` or `kind`."""
    rows = assets_queries.match_assets(session, team_id, text, kind=kind)
    holder_ids = {r.asset.holder_member_id for r in rows if r.asset.holder_member_id}
    members = (
        {
            m.id: m
            for m in session.exec(
                select(TeamMember).where(
                    TeamMember.id.in_(holder_ids), TeamMember.left_at.is_(None)
                )
            )
        }
        if holder_ids
        else {}
    )
    people: list[HelperIdea] = []
    ideas: list[HelperIdea] = []
    seen: set[int] = set()
    for row in rows:
        asset = row.asset
        if not asset.happy_to_share:
            continue
        if asset.holder_member_id is None:
            ideas.append(HelperIdea(asset, None))
        elif asset.holder_member_id in members and asset.holder_member_id not in seen:
            seen.add(asset.holder_member_id)
            people.append(HelperIdea(asset, members[asset.holder_member_id]))
    return people[:limit], ideas[:limit]
