"""Ops' loader: a team, for an admin (`AdminTeam`; 404 if there is no such team)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.models import Team
from app.security.access import AdminUser


def admin_team(team_id: int, session: SessionDep, user: AdminUser) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise Refused(N_("There is no team with this number."), status=404)
    return team


AdminTeam = Annotated[Team, Depends(admin_team)]
