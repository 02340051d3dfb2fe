"""The assets register's loaders: the inside view of a team (`AssetsTeam`: members and
admins; anyone else who may see the team gets a 404), a team's facilitator (`AssetsEditor`,
403 for a member) and one of the team's assets for them (`EditedAsset`, 404 if not the
team's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.models import Asset
from app.security.access import TeamAccess, TeamAccessDep


def assets_team(access: TeamAccessDep) -> TeamAccess:
    access.require_inside()
    return access


AssetsTeam = Annotated[TeamAccess, Depends(assets_team)]


def assets_editor(access: AssetsTeam) -> TeamAccess:
    access.require_facilitator()
    return access


AssetsEditor = Annotated[TeamAccess, Depends(assets_editor)]


def edited_asset(asset_id: int, access: AssetsEditor, session: SessionDep) -> Asset:
    asset = session.get(Asset, asset_id)
    if asset is None or asset.team_id != access.team.id:
        raise Refused(N_("There is no such asset on this team's register."), status=404)
    return asset


EditedAsset = Annotated[Asset, Depends(edited_asset)]
