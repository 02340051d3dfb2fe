"""Org's loaders, as Annotated dependencies: administrators only; an unknown id is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from app.db import SessionDep
from app.models import Service, Team
from app.security.access import AdminUser


def _service(service_id: int, session: SessionDep, user: AdminUser) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise HTTPException(404)
    return service


def _team(team_id: int, session: SessionDep, user: AdminUser) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise HTTPException(404)
    return team


EditedService = Annotated[Service, Depends(_service)]
EditedTeam = Annotated[Team, Depends(_team)]
