"""Admin: a team's data whole — download it as JSON, or delete it (typing its name)."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.db import SessionDep
from app.downloads import download
from app.forms import invalid, parse_form
from app.models import Service, Team
from app.ops import team_export
from app.security.access import AdminUser
from app.web import redirect, render

router = APIRouter(prefix="/admin/teams")

TEMPLATE = "ops/team_data.html"


class DeleteForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    confirm_name: str = Field(title="the team's name", min_length=1, max_length=200)


def _team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise HTTPException(404)
    return team


def _context(session: Session, team: Team) -> dict:
    service = session.get(Service, team.service_id)
    return {
        "page_title": f"{team.name}: the team's data",
        "team": team,
        "service": service,
        "counts": team_export.count_team_rows(session, team.id),
    }


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


@router.get("/{team_id}/data")
def team_data_page(request: Request, team_id: int, session: SessionDep, user: AdminUser):
    team = _team(session, team_id)
    return render(request, TEMPLATE, {**_context(session, team), "values": {}, "errors": {}})


@router.get("/{team_id}/export.json")
def team_export_json(request: Request, team_id: int, session: SessionDep, user: AdminUser):
    _team(session, team_id)
    data = team_export.export_team(session, team_id, actor=user)
    session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=1)
    filename = f"trip-team-{team_id}-{data['made_at'][:10]}.json"
    return download(body, filename, "application/json")


@router.post("/{team_id}/delete")
def team_delete(request: Request, team_id: int, session: SessionDep, user: AdminUser):
    team = _team(session, team_id)
    context = _context(session, team)
    data = parse_form(request, DeleteForm, template=TEMPLATE, context=context)
    if not _same_name(data.confirm_name, team.name):
        raise invalid(
            TEMPLATE,
            data,
            context,
            confirm_name=f"Type the team's name exactly as shown: {team.name}",
        )
    name = team.name
    team_export.delete_team(session, team_id, actor=user)
    session.commit()
    return redirect(
        request, "/admin/teams", flash=f"Team “{name}” and all its data have been deleted."
    )
