"""The assets register's reads: a team's assets, the ones matching some words ("assets at
work" on a plan: other domains call `match_assets`), and the team's list to choose from.

Inside view only (members and admins): an asset may name a person on the team's list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from app.core.i18n import N_
from app.models import Asset, TeamMember

KIND_LABELS = {
    "talent": N_("Talent"),
    "skill": N_("Skill"),
    "interest": N_("Interest"),
    "contact": N_("Contact"),
    "resource": N_("Resource"),
}
KIND_PLURALS = {
    "talent": N_("Talents"),
    "skill": N_("Skills"),
    "interest": N_("Interests"),
    "contact": N_("Contacts"),
    "resource": N_("Resources"),
}
KIND_NONE_YET = {
    "talent": N_("No talents yet."),
    "skill": N_("No skills yet."),
    "interest": N_("No interests yet."),
    "contact": N_("No contacts yet."),
    "resource": N_("No resources yet."),
}

# words too common to say anything about a match
STOPWORDS = frozenset(
    """a an and are as at be but by can do for from has have how i in into is it its of on
    or our so that the their them they this to up us we what when who will with you your""".split()
)


@dataclass(frozen=True)
class AssetRow:
    asset: Asset
    holder: str  # a name (inside view only) or the alias

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.asset.kind, self.asset.kind)


def list_assets(session: Session, team_id: int, kind: str | None = None) -> list[AssetRow]:
    """A team's assets, newest first, with who holds each (a name from the list, or alias)."""
    query = (
        select(Asset, TeamMember.display_name)
        .outerjoin(TeamMember, TeamMember.id == Asset.holder_member_id)
        .where(Asset.team_id == team_id)
        .order_by(Asset.created_at.desc(), Asset.id.desc())
    )
    if kind:
        query = query.where(Asset.kind == kind)
    return [
        AssetRow(asset=asset, holder=name or asset.alias or N_("Someone on the team"))
        for asset, name in session.exec(query).all()
    ]


def _words(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[a-z0-9']+", text.lower()):
        word = word.strip("'")
        if len(word) < 3 or word in STOPWORDS:
            continue
        found.add(word)
        if word.endswith("s") and len(word) > 3:
            found.add(word[:-1])  # "gardens" finds "garden"
    return found


def match_assets(
    session: Session, team_id: int, words: str, kind: str | None = None
) -> list[AssetRow]:
    """Assets whose description or kind shares words with `words`, best match first."""
    wanted = _words(words)
    if not wanted:
        return []
    scored = []
    for row in list_assets(session, team_id, kind):
        have = _words(f"{row.asset.description} {row.asset.kind}")
        score = len(wanted & have)
        if score:
            scored.append((score, row))
    scored.sort(key=lambda pair: (-pair[0], -(pair[1].asset.id or 0)))
    return [row for _score, row in scored]


def team_people(session: Session, team_id: int) -> list[TeamMember]:
    """The team's list (people who have not left), for the "held by" choice."""
    return list(
        session.exec(
            select(TeamMember)
            .where(TeamMember.team_id == team_id, TeamMember.left_at.is_(None))
            .order_by(TeamMember.display_name)
        ).all()
    )
