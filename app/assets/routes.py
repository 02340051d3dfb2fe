"""The assets register: /teams/{team_id}/assets (inside view only; outside → 404).

Members and facilitators may add; facilitators (and admins) may edit and remove.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.assets import pages, service
from app.assets.deps import AssetsEditor, AssetsTeam, EditedAsset
from app.assets.forms import AssetForm
from app.core.i18n import N_
from app.db import SessionDep
from app.forms import form_for
from app.web import redirect

router = APIRouter()

NewAsset = Annotated[
    AssetForm, Depends(form_for(AssetForm, pages.show_new_asset), scope="function")
]
ChangedAsset = Annotated[
    AssetForm, Depends(form_for(AssetForm, pages.show_edit_asset), scope="function")
]


def _back(request: Request, access, flash: str):
    return redirect(request, f"/teams/{access.team.id}/assets", flash=flash)


@router.get("/teams/{team_id}/assets")
def assets_page(request: Request, access: AssetsTeam, session: SessionDep, kind: str = ""):
    return pages.show_assets(request, session, access, kind)


@router.get("/teams/{team_id}/assets/new")
def new_asset_page(request: Request, access: AssetsTeam, session: SessionDep):
    return pages.show_new_asset(request, session, access)


@router.post("/teams/{team_id}/assets")
def add_asset(request: Request, access: AssetsTeam, session: SessionDep, form: NewAsset):
    fields = service.asset_fields(session, access.team.id, form)
    service.add_asset(session, team_id=access.team.id, actor=access.user, **fields)
    return _back(request, access, N_("Asset added."))


@router.get("/teams/{team_id}/assets/{asset_id}/edit")
def edit_asset_page(
    request: Request, access: AssetsEditor, asset: EditedAsset, session: SessionDep
):
    return pages.show_edit_asset(request, session, access, asset)


@router.post("/teams/{team_id}/assets/{asset_id}")
def change_asset(
    request: Request,
    access: AssetsEditor,
    asset: EditedAsset,
    session: SessionDep,
    form: ChangedAsset,
):
    fields = service.asset_fields(session, access.team.id, form)
    service.update_asset(session, asset, actor=access.user, **fields)
    return _back(request, access, N_("Asset changed."))


@router.post("/teams/{team_id}/assets/{asset_id}/remove")
def remove_asset(request: Request, access: AssetsEditor, asset: EditedAsset, session: SessionDep):
    service.remove_asset(session, asset, actor=access.user)
    return _back(request, access, N_("Asset removed."))
