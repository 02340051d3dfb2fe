"""Read-only JSON for reporting tools under /api/v1 (token auth: `ApiUser`)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from app.api import figures, reads, schemas
from app.api.auth import ApiUser
from app.compare import matrix
from app.compare.queries import SECTION_CODES, TeamFilter
from app.db import SessionDep
from app.rounds import publications
from app.security.clock import now

ERRORS = {
    401: {"model": schemas.ErrorOut, "description": "No token, or a wrong or revoked one"},
    403: {"model": schemas.ErrorOut, "description": "Not a recovery lead or administrator"},
}
NOT_FOUND = {404: {"model": schemas.ErrorOut, "description": "Not found"}}

router = APIRouter(prefix="/api/v1", tags=["read-only"], responses=ERRORS)


@router.get("/teams", response_model=list[schemas.TeamOut], summary="All teams")
def teams(session: SessionDep, user: ApiUser):
    return reads.list_teams(session)


@router.get("/teams/{team_id}", response_model=schemas.TeamOut, responses=NOT_FOUND)
def team(team_id: int, session: SessionDep, user: ApiUser):
    return reads.get_team(session, team_id)


@router.get(
    "/teams/{team_id}/rounds",
    response_model=list[schemas.RoundOut],
    responses=NOT_FOUND,
    summary="A team's closed rounds",
)
def team_rounds(team_id: int, session: SessionDep, user: ApiUser):
    return reads.list_rounds(session, team_id)


@router.get(
    "/rounds/{round_id}",
    response_model=schemas.RoundDetail,
    responses=NOT_FOUND,
    summary="A closed round: agreed ratings, published figures and head counts (anonymity floor)",
)
def round_detail(round_id: int, session: SessionDep, user: ApiUser):
    return reads.get_round(session, round_id)


@router.get(
    "/teams/{team_id}/plans",
    response_model=list[schemas.PlanOut],
    responses=NOT_FOUND,
    summary="A team's plans with priorities, actions and their history",
)
def team_plans(team_id: int, session: SessionDep, user: ApiUser):
    return reads.list_plans(session, team_id)


@router.get("/plans/{plan_id}", response_model=schemas.PlanOut, responses=NOT_FOUND)
def plan(plan_id: int, session: SessionDep, user: ApiUser):
    return reads.get_plan(session, plan_id)


@router.get(
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
    today = now(request).date()
    rows = matrix.build_rows(session, TeamFilter(service_id, setting, framework), today)
    round_ids = [r.round_id for r in rows if r.round_id is not None]
    heads = publications.published_heads(session, round_ids)
    return [
        schemas.CompareRowOut(
            team_id=r.team_id,
            team=r.name,
            service=r.service,
            setting=r.setting,
            framework_key=r.framework_key,
            last_round_on=r.last_round_on,
            section_levels={c: r.cells[c].mean for c in SECTION_CODES},
            section_changes={c: r.cells[c].change for c in SECTION_CODES},
            no_round_for_12_months=r.no_recent_round,
            last_review_on=r.last_review_on,
            review_overdue=r.review_overdue,
            actions=r.actions,
            actions_done=r.actions_done,
            actions_overdue=r.actions_overdue,
            actions_owned_by_service_users=r.actions_by_service_users,
            priorities=r.priorities,
            priorities_with_both_co_leads=r.priorities_co_led,
            people=None if r.round_id is None else figures.people_out(heads.get(r.round_id)),
            people_who_use_the_service_or_family=figures.coproducing(heads.get(r.round_id)),
        )
        for r in rows
    ]
