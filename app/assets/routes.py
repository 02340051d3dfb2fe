"""The assets register: /teams/{team_id}/assets (inside view only; outside → 404).

Members and facilitators may add; facilitators (and admins) may edit and remove.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from app import audit
from app.assets import service
from app.db import SessionDep
from app.forms import invalid, parse_form
from app.models import Asset
from app.models.assets import ASSET_KINDS
from app.models.base import PERSPECTIVE_LABELS
from app.security.access import TeamAccess, TeamAccessDep
from app.web import redirect, render

router = APIRouter()

FORM = "assets/form.html"
KIND_HINTS = {
    "talent": "something a person is good at, like music or drawing",
    "skill": "something learnt, like cooking, first aid or another language",
    "interest": "something enjoyed, like gardening or football",
    "contact": "a group, place or person in the community",
    "resource": "a room, equipment, money or something to lend",
}


class AssetForm(BaseModel):
    kind: str = Field(default="", title="Kind")
    description: str = Field(default="", max_length=500, title="What it is")
    holder: str = Field(default="", title="Who holds it")
    alias: str = Field(default="", max_length=40, title="Nickname")
    perspective: str = Field(default="", title="Their group")
    happy_to_share: str = ""


def _inside(access: TeamAccess) -> None:
    access.require_inside()


def _asset(session, access: TeamAccess, asset_id: int) -> Asset:
    asset = session.get(Asset, asset_id)
    if asset is None or asset.team_id != access.team.id:
        raise HTTPException(404)
    return asset


def _form_context(session, access: TeamAccess, asset: Asset | None = None) -> dict:
    people = service.team_people(session, access.team.id)
    return {
        "page_title": "Change an asset" if asset else "Add an asset",
        "team": access.team,
        "asset": asset,
        "kinds": [(k, f"{service.KIND_LABELS[k]}: {KIND_HINTS[k]}") for k in ASSET_KINDS],
        "people": [
            (str(p.id), f"{p.display_name} ({PERSPECTIVE_LABELS[p.perspective]})")
            for p in people
            if p.perspective in PERSPECTIVE_LABELS
        ],
        "perspectives": list(PERSPECTIVE_LABELS.items()),
    }


def _checked(session, access: TeamAccess, form: AssetForm, context: dict) -> dict:
    """The form's values as Asset fields, or a 422 with the problem by each field."""
    errors: dict[str, str] = {}
    if form.kind not in ASSET_KINDS:
        errors["kind"] = "Choose what kind of asset this is"
    description = form.description.strip()
    if not description:
        errors["description"] = "Say what the asset is"
    member = None
    if form.holder:
        member = next(
            (p for p in service.team_people(session, access.team.id) if str(p.id) == form.holder),
            None,
        )
        if member is None:
            errors["holder"] = "Choose a person from the team's list"
    elif not form.alias.strip():
        errors["alias"] = "Choose a person from the list, or enter a nickname"
    perspective = form.perspective or (member.perspective if member else "")
    if perspective not in PERSPECTIVE_LABELS:
        errors["perspective"] = "Choose which group they are in"
    if errors:
        raise invalid(FORM, form, context, **errors)
    return {
        "kind": form.kind,
        "description": description,
        "holder_member_id": member.id if member else None,
        "alias": None if member else form.alias.strip(),
        "perspective": perspective,
        "happy_to_share": bool(form.happy_to_share),
    }


@router.get("/teams/{team_id}/assets")
def assets_page(request: Request, access: TeamAccessDep, session: SessionDep, kind: str = ""):
    _inside(access)
    chosen = kind if kind in ASSET_KINDS else ""
    rows = service.list_assets(session, access.team.id, chosen or None)
    return render(
        request,
        "assets/list.html",
        {
            "page_title": f"Assets – {access.team.name}",
            "team": access.team,
            "rows": rows,
            "kind": chosen,
            "kind_labels": service.KIND_LABELS,
            "can_edit": access.is_facilitator,
        },
    )


@router.get("/teams/{team_id}/assets/new")
def new_asset_page(request: Request, access: TeamAccessDep, session: SessionDep):
    _inside(access)
    context = _form_context(session, access)
    return render(request, FORM, {**context, "values": {"happy_to_share": "yes"}, "errors": {}})


@router.post("/teams/{team_id}/assets")
def add_asset(request: Request, access: TeamAccessDep, session: SessionDep):
    _inside(access)
    context = _form_context(session, access)
    form = parse_form(request, AssetForm, template=FORM, context=context)
    fields = _checked(session, access, form, context)
    asset = service.add_asset(session, team_id=access.team.id, **fields)
    audit.record(
        session,
        verb="asset.added",
        entity="asset",
        entity_id=asset.id,
        actor=access.user,
        team_id=access.team.id,
        detail={"kind": asset.kind},
    )
    session.commit()
    return redirect(request, f"/teams/{access.team.id}/assets", flash="Asset added.")


@router.get("/teams/{team_id}/assets/{asset_id}/edit")
def edit_asset_page(request: Request, access: TeamAccessDep, session: SessionDep, asset_id: int):
    _inside(access)
    access.require_facilitator()
    asset = _asset(session, access, asset_id)
    values = {
        "kind": asset.kind,
        "description": asset.description,
        "holder": str(asset.holder_member_id or ""),
        "alias": asset.alias or "",
        "perspective": asset.perspective,
        "happy_to_share": "yes" if asset.happy_to_share else "",
    }
    context = _form_context(session, access, asset)
    return render(request, FORM, {**context, "values": values, "errors": {}})


@router.post("/teams/{team_id}/assets/{asset_id}")
def change_asset(request: Request, access: TeamAccessDep, session: SessionDep, asset_id: int):
    _inside(access)
    access.require_facilitator()
    asset = _asset(session, access, asset_id)
    context = _form_context(session, access, asset)
    form = parse_form(request, AssetForm, template=FORM, context=context)
    fields = _checked(session, access, form, context)
    service.update_asset(session, asset, **fields)
    audit.record(
        session,
        verb="asset.changed",
        entity="asset",
        entity_id=asset.id,
        actor=access.user,
        team_id=access.team.id,
        detail={"kind": asset.kind},
    )
    session.commit()
    return redirect(request, f"/teams/{access.team.id}/assets", flash="Asset changed.")


@router.post("/teams/{team_id}/assets/{asset_id}/remove")
def remove_asset(request: Request, access: TeamAccessDep, session: SessionDep, asset_id: int):
    _inside(access)
    access.require_facilitator()
    asset = _asset(session, access, asset_id)
    audit.record(
        session,
        verb="asset.removed",
        entity="asset",
        entity_id=asset.id,
        actor=access.user,
        team_id=access.team.id,
        detail={"kind": asset.kind},
    )
    service.remove_asset(session, asset)
    session.commit()
    return redirect(request, f"/teams/{access.team.id}/assets", flash="Asset removed.")
