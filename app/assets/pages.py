"""The assets register's pages: the list, and the add and change forms (each one `show_…`,
used by the GET and by a failed POST: app.forms.form_for). No `from __future__ import
annotations` here: form_for reads the show_… functions' dependencies from their annotations."""

from fastapi import Request

from app.assets import queries
from app.assets.deps import AssetsEditor, AssetsTeam, EditedAsset
from app.core.i18n import N_, _, use_language
from app.db import SessionDep
from app.models import Asset
from app.models.assets import ASSET_KINDS
from app.models.base import PERSPECTIVE_LABELS
from app.security.access import TeamAccess
from app.web import language_of, render

FORM = "assets/form.html"
KIND_HINTS = {
    "talent": N_("Talent: something a person is good at, like music or drawing"),
    "skill": N_("Skill: something learnt, like cooking, first aid or another language"),
    "interest": N_("Interest: something enjoyed, like gardening or football"),
    "contact": N_("Contact: a group, place or person in the community"),
    "resource": N_("Resource: a room, equipment, money or something to lend"),
}


def _in_language(request: Request, message: str) -> str:
    """`message` in the page's language, for a title with data in it (made before render)."""
    use_language(language_of(request))
    return _(message)


def show_assets(request: Request, session, access: TeamAccess, kind: str):
    chosen = kind if kind in ASSET_KINDS else ""
    return render(
        request,
        "assets/list.html",
        {
            "page_title": _in_language(request, N_("Assets – %(team)s"))
            % {"team": access.team.name},
            "team": access.team,
            "rows": queries.list_assets(session, access.team.id, chosen or None),
            "kind": chosen,
            "kind_labels": queries.KIND_LABELS,
            "kind_plurals": queries.KIND_PLURALS,
            "kind_none_yet": queries.KIND_NONE_YET,
            "can_edit": access.is_facilitator,
        },
    )


def _form(request, session, access: TeamAccess, asset: Asset | None, values, errors, status):
    use_language(language_of(request))  # the people's labels below, as render will
    people = queries.team_people(session, access.team.id)
    context = {
        "page_title": N_("Change an asset") if asset else N_("Add an asset"),
        "team": access.team,
        "asset": asset,
        "kinds": [(k, KIND_HINTS[k]) for k in ASSET_KINDS],
        "people": [
            (str(p.id), f"{p.display_name} ({_(PERSPECTIVE_LABELS[p.perspective])})")
            for p in people
            if p.perspective in PERSPECTIVE_LABELS
        ],
        "perspectives": list(PERSPECTIVE_LABELS.items()),
        "values": values,
        "errors": errors or {},
    }
    return render(request, FORM, context, status_code=status)


def show_new_asset(
    request: Request,
    session: SessionDep,
    access: AssetsTeam,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    values = {"happy_to_share": "yes"} if values is None else values
    return _form(request, session, access, None, values, errors, status)


def show_edit_asset(
    request: Request,
    session: SessionDep,
    access: AssetsEditor,
    asset: EditedAsset,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    if values is None:
        values = {
            "kind": asset.kind,
            "description": asset.description,
            "holder": str(asset.holder_member_id or ""),
            "alias": asset.alias or "",
            "perspective": asset.perspective,
            "happy_to_share": "yes" if asset.happy_to_share else "",
        }
    return _form(request, session, access, asset, values, errors, status)
