"""Your API tokens: make one (shown once), see when each was last used, revoke."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from app.api import tokens
from app.db import SessionDep
from app.forms import parse_form
from app.security.access import CurrentUser
from app.security.clock import now
from app.web import redirect, render

router = APIRouter()
TEMPLATE = "api/tokens.html"


class TokenForm(BaseModel):
    name: str = Field(min_length=1, max_length=80, title="A name for the token")


def _context(session, user, **extra) -> dict:
    return {
        "page_title": "API tokens",
        "tokens": tokens.list_tokens(session, user),
        "may_use_api": tokens.may_use_api(user),
        "errors": {},
        "values": {},
        **extra,
    }


@router.get("/account/tokens")
def tokens_page(request: Request, session: SessionDep, user: CurrentUser):
    return render(request, TEMPLATE, _context(session, user))


@router.post("/account/tokens")
def create_token(request: Request, session: SessionDep, user: CurrentUser):
    if not tokens.may_use_api(user):
        raise HTTPException(403, "Only recovery leads and administrators can use the API.")
    form = parse_form(request, TokenForm, template=TEMPLATE, context=_context(session, user))
    token, plain = tokens.create_token(session, user=user, name=form.name)
    # Shown once, on this answer only (never stored, never put in a cookie or a URL).
    return render(request, TEMPLATE, _context(session, user, new_token=plain, new_name=token.name))


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, request: Request, session: SessionDep, user: CurrentUser):
    token = tokens.revoke_token(session, user=user, token_id=token_id, now=now(request))
    if token is None:
        raise HTTPException(404)
    return redirect(request, "/account/tokens", flash=f"Token “{token.name}” revoked.")
