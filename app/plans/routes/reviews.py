"""Reviews of a plan and the team's celebrations: record, change, remove (after a
confirmation step); dates in their windows (app.plans.forms.date_windows)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.dates import today
from app.core.i18n import N_
from app.db import SessionDep
from app.forms import form_for
from app.plans.deps import CelebrationEditor, InsideTeam, PlanEditor, ReviewAccess, ReviewEditor
from app.plans.forms import CelebrationForm, ReviewForm, refuse_if, window_problems
from app.plans.pages import reviews as pages
from app.plans.routes import router
from app.plans.service import reviews as service
from app.web import redirect

NewReview = Annotated[
    ReviewForm, Depends(form_for(ReviewForm, pages.show_new_review), scope="function")
]
ChangedReview = Annotated[
    ReviewForm, Depends(form_for(ReviewForm, pages.show_edit_review), scope="function")
]
NewCelebration = Annotated[
    CelebrationForm, Depends(form_for(CelebrationForm, pages.show_celebrations), scope="function")
]
ChangedCelebration = Annotated[
    CelebrationForm,
    Depends(form_for(CelebrationForm, pages.show_edit_celebration), scope="function"),
]


@router.get("/plans/{plan_id}/reviews/new")
def new_review_page(request: Request, loaded: PlanEditor):
    return pages.show_new_review(request, loaded)


@router.post("/plans/{plan_id}/reviews")
def record_review(request: Request, loaded: PlanEditor, session: SessionDep, form: NewReview):
    found = window_problems(form, today(request), loaded.team)
    refuse_if(found, pages.show_new_review, request=request, loaded=loaded)
    review = service.record_review(session, loaded.plan, form, actor=loaded.access.user)
    return redirect(request, f"/reviews/{review.id}", flash=N_("Review recorded."))


@router.get("/reviews/{review_id}")
def review_page(request: Request, loaded: ReviewAccess, session: SessionDep):
    return pages.show_review(request, loaded, session)


@router.get("/reviews/{review_id}/edit")
def edit_review_page(request: Request, loaded: ReviewEditor):
    return pages.show_edit_review(request, loaded)


@router.post("/reviews/{review_id}")
def change_review(request: Request, loaded: ReviewEditor, session: SessionDep, form: ChangedReview):
    unchanged = {"held_on": loaded.review.held_on}
    found = window_problems(form, today(request), loaded.team, unchanged=unchanged)
    refuse_if(found, pages.show_edit_review, request=request, loaded=loaded)
    service.update_review(session, loaded.review, loaded.plan, form, actor=loaded.access.user)
    return redirect(request, f"/reviews/{loaded.review.id}", flash=N_("Review saved."))


@router.get("/reviews/{review_id}/remove")
def confirm_remove_review(request: Request, loaded: ReviewEditor):
    url = f"/reviews/{loaded.review.id}"
    return pages.show_confirm_remove(
        request,
        question=N_("Remove the review of %(date)s?"),
        date=loaded.review.held_on,
        action=f"{url}/remove",
        back=url,
        team=loaded.team,
    )


@router.post("/reviews/{review_id}/remove")
def remove_review(request: Request, loaded: ReviewEditor, session: SessionDep):
    service.remove_review(session, loaded.review, loaded.plan, actor=loaded.access.user)
    return redirect(request, f"/plans/{loaded.plan.id}", flash=N_("Review removed."))


@router.get("/teams/{team_id}/celebrations")
def celebrations_page(request: Request, access: InsideTeam, session: SessionDep):
    return pages.show_celebrations(request, access, session)


@router.post("/teams/{team_id}/celebrations")
def add_celebration(
    request: Request, access: InsideTeam, session: SessionDep, form: NewCelebration
):
    found = window_problems(form, today(request), access.team)
    refuse_if(found, pages.show_celebrations, request=request, access=access, session=session)
    service.add_celebration(session, access.team, form, actor=access.user)
    flash = N_("Celebration added. Well done!")
    return redirect(request, f"/teams/{access.team.id}/celebrations", flash=flash)


@router.get("/celebrations/{celebration_id}/edit")
def edit_celebration_page(request: Request, loaded: CelebrationEditor):
    return pages.show_edit_celebration(request, loaded)


@router.post("/celebrations/{celebration_id}")
def change_celebration(
    request: Request, loaded: CelebrationEditor, session: SessionDep, form: ChangedCelebration
):
    unchanged = {"on": loaded.celebration.on}
    found = window_problems(form, today(request), loaded.team, unchanged=unchanged)
    refuse_if(found, pages.show_edit_celebration, request=request, loaded=loaded)
    service.update_celebration(session, loaded.celebration, form, actor=loaded.access.user)
    return redirect(
        request, f"/teams/{loaded.team.id}/celebrations", flash=N_("Celebration saved.")
    )


@router.get("/celebrations/{celebration_id}/remove")
def confirm_remove_celebration(request: Request, loaded: CelebrationEditor):
    c = loaded.celebration
    back = f"/teams/{loaded.team.id}/celebrations"
    return pages.show_confirm_remove(
        request,
        question=N_("Remove the celebration of %(date)s?"),
        date=c.on,
        action=f"/celebrations/{c.id}/remove",
        back=back,
        team=loaded.team,
    )


@router.post("/celebrations/{celebration_id}/remove")
def remove_celebration(request: Request, loaded: CelebrationEditor, session: SessionDep):
    service.remove_celebration(session, loaded.celebration, actor=loaded.access.user)
    url = f"/teams/{loaded.team.id}/celebrations"
    return redirect(request, url, flash=N_("Celebration removed."))
