"""The assets register's verbs: add, change, remove — each with its audit event when a
person on the team does it (a participant's asset at a workshop has no account behind it).
Each flushes; the request commits. Other domains call `add_asset`."""

from __future__ import annotations

from sqlmodel import Session

from app import audit
from app.assets.forms import AssetForm
from app.assets.queries import team_people
from app.core.i18n import N_
from app.core.refused import Refused
from app.models import Asset, User
from app.models.assets import ASSET_KINDS
from app.models.base import PERSPECTIVE_LABELS


def asset_fields(session: Session, team_id: int, form: AssetForm) -> dict:
    """The form's values as Asset fields: the holder must be on the team's list, and their
    group is used when none was chosen (Refused by the field otherwise)."""
    member = None
    if form.holder:
        member = next((p for p in team_people(session, team_id) if str(p.id) == form.holder), None)
        if member is None:
            raise Refused(N_("Choose a person from the team's list"), status=422, field="holder")
    perspective = form.perspective or (member.perspective if member else "")
    if perspective not in PERSPECTIVE_LABELS:
        raise Refused(N_("Choose which group they are in"), status=422, field="perspective")
    return {
        "kind": form.kind,
        "description": form.description,
        "holder_member_id": member.id if member else None,
        "alias": None if member else form.alias,
        "perspective": perspective,
        "happy_to_share": bool(form.happy_to_share),
    }


def _record(session: Session, verb: str, asset: Asset, actor: User | None) -> None:
    if actor is None:
        return
    audit.record(
        session,
        verb=verb,
        entity="asset",
        entity_id=asset.id,
        actor=actor,
        team_id=asset.team_id,
        detail={"kind": asset.kind},
    )


def add_asset(
    session: Session,
    *,
    team_id: int,
    kind: str,
    description: str,
    perspective: str,
    holder_member_id: int | None = None,
    alias: str | None = None,
    happy_to_share: bool = True,
    round_id: int | None = None,
    actor: User | None = None,
) -> Asset:
    """Add an asset, held by a person on the list or by an alias."""
    if kind not in ASSET_KINDS:
        raise ValueError(f"unknown asset kind {kind!r}")
    asset = Asset(
        team_id=team_id,
        holder_member_id=holder_member_id,
        alias=None if holder_member_id else (alias or None),
        perspective=perspective,
        kind=kind,
        description=description,
        happy_to_share=happy_to_share,
        round_id=round_id,
    )
    session.add(asset)
    session.flush()
    _record(session, "asset.added", asset, actor)
    return asset


def update_asset(session: Session, asset: Asset, *, actor: User | None = None, **changes) -> Asset:
    for name, value in changes.items():
        setattr(asset, name, value)
    if asset.holder_member_id:
        asset.alias = None
    session.add(asset)
    session.flush()
    _record(session, "asset.changed", asset, actor)
    return asset


def remove_asset(session: Session, asset: Asset, *, actor: User | None = None) -> None:
    _record(session, "asset.removed", asset, actor)
    session.delete(asset)
    session.flush()
