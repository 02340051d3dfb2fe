"""Reviews of a plan and the team's celebrations."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.db import SessionDep
from app.forms import form_for
from app.plans.deps import InsideTeam, PlanEditor, ReviewAccess
from app.plans.forms import CelebrationForm, ReviewForm
from app.plans.pages import reviews as pages
from app.plans.routes import router
from app.plans.service import reviews as service
from app.web import redirect


@router.get("/plans/{plan_id}/reviews/new")
def new_review_page(request: Request, loaded: PlanEditor):
    return pages.show_new_review(request, loaded)


@router.post("/plans/{plan_id}/reviews")
def record_review(
    request: Request,
    loaded: PlanEditor,
    session: SessionDep,
    form: Annotated[
        ReviewForm, Depends(form_for(ReviewForm, pages.show_new_review), scope="function")
    ],
):
    review = service.record_review(session, loaded.plan, form, actor=loaded.access.user)
    return redirect(request, f"/reviews/{review.id}", flash="Review recorded.")


@router.get("/reviews/{review_id}")
def review_page(request: Request, loaded: ReviewAccess, session: SessionDep):
    return pages.show_review(request, loaded, session)


@router.get("/teams/{team_id}/celebrations")
def celebrations_page(request: Request, access: InsideTeam, session: SessionDep):
    return pages.show_celebrations(request, access, session)


@router.post("/teams/{team_id}/celebrations")
def add_celebration(
    request: Request,
    access: InsideTeam,
    session: SessionDep,
    form: Annotated[
        CelebrationForm,
        Depends(form_for(CelebrationForm, pages.show_celebrations), scope="function"),
    ],
):
    service.add_celebration(session, access.team, form, actor=access.user)
    flash = "Celebration added. Well done!"
    return redirect(request, f"/teams/{access.team.id}/celebrations", flash=flash)
