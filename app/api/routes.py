"""The API: read-only JSON for reporting tools under /api/v1 (token auth: `ApiUser`), in
the OpenAPI description; and the pages around it — your tokens, and /docs (not in it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from app.api import pages, service
from app.api.deps import ApiClosedRound, ApiPerson, ApiPlan, ApiTeam, ApiUser, OwnToken
from app.api.forms import TokenForm
from app.api.queries import compare as q_compare
from app.api.queries import plans as q_plans
from app.api.queries import schemas
from app.api.queries import teams as q_teams
from app.compare.queries import TeamFilter
from app.core import i18n
from app.core.dates import now, today
from app.core.i18n import _
from app.db import SessionDep
from app.forms import form_for
from app.security.access import CurrentUser
from app.web import language_of, redirect

ERRORS = {
    401: {"model": schemas.ErrorOut, "description": "No token, or a wrong or revoked one"},
    403: {"model": schemas.ErrorOut, "description": "Not a recovery lead or administrator"},
}
NOT_FOUND = {404: {"model": schemas.ErrorOut, "description": "Not found"}}
API = "/api/v1"

router = APIRouter()


def read(path: str, *, responses: dict | None = None, **options):
    """A read-only JSON route under /api/v1, in the OpenAPI description."""
    return router.get(
        API + path, tags=["read-only"], responses={**ERRORS, **(responses or {})}, **options
    )


@read("/teams", response_model=list[schemas.TeamOut], summary="All teams")
def teams(session: SessionDep, user: ApiUser):
    return q_teams.list_teams(session)


@read("/teams/{team_id}", response_model=schemas.TeamOut, responses=NOT_FOUND)
def team(found: ApiTeam):
    return q_teams.team_out(*found)


@read(
    "/teams/{team_id}/rounds",
    response_model=list[schemas.RoundOut],
    responses=NOT_FOUND,
    summary="A team's closed rounds",
)
def team_rounds(found: ApiTeam, session: SessionDep):
    return q_teams.list_rounds(session, found[0].id)


@read(
    "/rounds/{round_id}",
    response_model=schemas.RoundDetail,
    responses=NOT_FOUND,
    summary="A closed round: agreed ratings, published figures and head counts (anonymity floor)",
)
def round_detail(found: ApiClosedRound, session: SessionDep):
    return q_teams.round_detail(session, *found)


@read(
    "/teams/{team_id}/plans",
    response_model=list[schemas.PlanOut],
    responses=NOT_FOUND,
    summary="A team's plans with priorities, actions and their history",
)
def team_plans(found: ApiTeam, session: SessionDep):
    return q_plans.list_plans(session, found[0].id)


@read("/plans/{plan_id}", response_model=schemas.PlanOut, responses=NOT_FOUND)
def plan(plan: ApiPlan, session: SessionDep):
    return q_plans.plan_out(session, plan)


@read(
    "/compare",
    response_model=list[schemas.CompareRowOut],
    summary="Teams side by side: latest section levels, change, reviews, plans, co-production",
)
def compare(
    request: Request,
    session: SessionDep,
    user: ApiUser,
    service_id: int | None = Query(None),
    setting: str | None = Query(None),
    framework: str | None = Query(None, description="A framework key"),
):
    where = TeamFilter(service_id, setting, framework)
    return q_compare.compare_rows(session, where, today(request))


@read(
    "/cells",
    response_model=list[schemas.PublishedCellOut],
    summary="Published cells, one figure a row (the analysts' long format; anonymity floor)",
)
def cells(
    session: SessionDep,
    user: ApiUser,
    service_id: int | None = Query(None),
    setting: str | None = Query(None),
    framework: str | None = Query(None, description="A framework key"),
):
    return q_compare.cell_rows(session, TeamFilter(service_id, setting, framework))


# --- the pages around the API (not in its OpenAPI description) -----------------------------


@router.get("/account/tokens", include_in_schema=False)
def tokens_page(request: Request, session: SessionDep, user: CurrentUser):
    return pages.show_tokens(request, session, user)


@router.post("/account/tokens", include_in_schema=False)
def create_token(
    request: Request,
    session: SessionDep,
    user: ApiPerson,
    form: Annotated[TokenForm, Depends(form_for(TokenForm, pages.show_tokens), scope="function")],
):
    token, plain = service.create_token(session, user=user, name=form.name)
    return pages.show_new_token(request, session, user, token, plain)


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token(request: Request, session: SessionDep, user: CurrentUser, token: OwnToken):
    service.revoke_token(session, token, user=user, now=now(request))
    i18n.use_language(language_of(request))  # the message is made here, in their language
    done = _("Token “%(name)s” revoked.") % {"name": token.name}
    return redirect(request, "/account/tokens", flash=done)


@router.get("/docs", include_in_schema=False)
def api_docs(request: Request):
    return pages.show_docs(request)
