"""Admin: a team's data whole — download it as JSON, or delete it (typing its name)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.core import i18n
from app.core.i18n import _
from app.db import SessionDep
from app.downloads import download
from app.forms import form_for
from app.ops import exports, pages
from app.ops.deps import AdminTeam
from app.ops.forms import DeleteForm
from app.ops.service import teams
from app.security.access import AdminUser
from app.web import end_transaction, language_of, redirect

router = APIRouter(prefix="/admin/teams")

Delete = Annotated[
    DeleteForm, Depends(form_for(DeleteForm, pages.show_team_data), scope="function")
]


@router.get("/{team_id}/data")
def team_data_page(request: Request, session: SessionDep, team: AdminTeam):
    return pages.show_team_data(request, session, team)


@router.get("/{team_id}/export.json")
def team_export_json(request: Request, session: SessionDep, user: AdminUser, team: AdminTeam):
    data = teams.export_team(session, team.id, actor=user)
    end_transaction(request)  # the export's audit event, before the file goes out
    body, filename = exports.team_json(data)
    return download(body, filename, "application/json")


@router.post("/{team_id}/delete")
def team_delete(
    request: Request, session: SessionDep, user: AdminUser, team: AdminTeam, form: Delete
):
    name = teams.delete_team_named(session, team, form.confirm_name, actor=user)
    i18n.use_language(language_of(request))  # the message is made here, in their language
    done = _("Team “%(name)s” and all its data have been deleted.") % {"name": name}
    return redirect(request, "/admin/teams", flash=done)
