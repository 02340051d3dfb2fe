"""The API's loaders. `ApiUser`: the person behind `Authorization: Bearer <token>`
(recovery leads and admins) — no token, a wrong one or a revoked one → 401; a valid token
of anyone else → 403, both answered as JSON with a reason (app/errors.py). `ApiTeam`,
`ApiClosedRound` and `ApiPlan` load what a path names, or 404 (after the token is checked).
`ApiPerson` and `OwnToken` are for the tokens page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api import queries, service
from app.api.queries import teams
from app.core.dates import now
from app.core.i18n import N_
from app.core.refused import Refused
from app.db import SessionDep
from app.models import ApiToken, Framework, Plan, Round, Service, Team, User
from app.security.access import CurrentUser

bearer = HTTPBearer(
    auto_error=False,
    description="An API token made on your account page (/account/tokens).",
)

UNAUTHORISED = {"WWW-Authenticate": "Bearer"}
ONLY_LEADS = "Only recovery leads and administrators can use the API."


def api_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401, "Send an API token: Authorization: Bearer <token>.", headers=UNAUTHORISED
        )
    user, touched = service.user_for_token(session, credentials.credentials.strip(), now(request))
    if touched:
        # like the once-a-minute session touch: the API answers without rendering a page,
        # so the note of the token's last use is committed here, before the read
        session.commit()
    if user is None:
        raise HTTPException(
            401, "This API token is not known or has been revoked.", headers=UNAUTHORISED
        )
    if not queries.may_use_api(user):
        raise Refused(ONLY_LEADS, status=403)
    return user


ApiUser = Annotated[User, Depends(api_user)]


def api_team(team_id: int, session: SessionDep, user: ApiUser) -> tuple[Team, Service]:
    found = teams.find_team(session, team_id)
    if found is None:
        raise Refused("There is no team with this id.", status=404)
    return found


ApiTeam = Annotated[tuple[Team, Service], Depends(api_team)]


def api_closed_round(round_id: int, session: SessionDep, user: ApiUser) -> tuple[Round, Framework]:
    found = teams.find_closed_round(session, round_id)
    if found is None:
        raise Refused("There is no closed round with this id.", status=404)
    return found


ApiClosedRound = Annotated[tuple[Round, Framework], Depends(api_closed_round)]


def api_plan(plan_id: int, session: SessionDep, user: ApiUser) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise Refused("There is no plan with this id.", status=404)
    return plan


ApiPlan = Annotated[Plan, Depends(api_plan)]


def api_person(user: CurrentUser) -> User:
    """A signed-in person who may make API tokens (403 for anyone else)."""
    if not queries.may_use_api(user):
        raise Refused(ONLY_LEADS, status=403)
    return user


ApiPerson = Annotated[User, Depends(api_person)]


def own_token(token_id: int, session: SessionDep, user: CurrentUser) -> ApiToken:
    token = queries.own_token(session, user, token_id)
    if token is None:
        raise Refused(N_("You have no token with this number."), status=404)
    return token


OwnToken = Annotated[ApiToken, Depends(own_token)]
