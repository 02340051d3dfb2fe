"""Team home: the plan at a glance, the timeline and the trend of section levels."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.db import SessionDep
from app.security.access import TeamAccessDep
from app.teams.pages import show_team_home

router = APIRouter()


@router.get("/teams/{team_id}")
def team_home(request: Request, access: TeamAccessDep, session: SessionDep):
    return show_team_home(request, session, access)
