"""`ApiUser`: the person behind `Authorization: Bearer <token>` (recovery leads and admins).

No token, a wrong one or a revoked one → 401; a valid token of anyone else → 403. Both are
answered as JSON with a reason by the handlers in app/errors.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.tokens import may_use_api, user_for_token
from app.db import SessionDep
from app.models import User
from app.security.clock import now

bearer = HTTPBearer(
    auto_error=False,
    description="An API token made on your account page (/account/tokens).",
)

UNAUTHORISED = {"WWW-Authenticate": "Bearer"}


def api_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401, "Send an API token: Authorization: Bearer <token>.", headers=UNAUTHORISED
        )
    user = user_for_token(session, credentials.credentials.strip(), now(request))
    if user is None:
        raise HTTPException(
            401, "This API token is not known or has been revoked.", headers=UNAUTHORISED
        )
    if not may_use_api(user):
        raise HTTPException(403, "Only recovery leads and administrators can use the API.")
    return user


ApiUser = Annotated[User, Depends(api_user)]
