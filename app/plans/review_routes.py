"""Reviews of a plan and the team's celebrations."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.db import SessionDep
from app.forms import parse_form
from app.plans import reviews as reviews_service
from app.plans import service
from app.plans.forms import CelebrationForm, ReviewForm
from app.plans.loading import load_plan, load_review, require_plan_editor, today
from app.security.access import CurrentUser, TeamAccessDep, may_edit_plan
from app.web import redirect, render

router = APIRouter()


def _review_form_context(plan, access, values=None) -> dict:
    return {
        "page_title": "Record a review",
        "plan": plan,
        "team": access.team,
        "values": values or {},
        "errors": {},
    }


@router.get("/plans/{plan_id}/reviews/new")
def new_review_page(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    context = _review_form_context(plan, access, {"held_on": today(request).isoformat()})
    return render(request, "plans/review_form.html", context)


@router.post("/plans/{plan_id}/reviews")
def record_review(request: Request, plan_id: int, session: SessionDep, user: CurrentUser):
    plan, access = load_plan(session, user, plan_id)
    require_plan_editor(access, plan)
    data = parse_form(
        request,
        ReviewForm,
        template="plans/review_form.html",
        context=_review_form_context(plan, access),
    )
    review = reviews_service.record_review(session, plan, data, actor=user)
    session.commit()
    return redirect(request, f"/reviews/{review.id}", flash="Review recorded.")


@router.get("/reviews/{review_id}")
def review_page(request: Request, review_id: int, session: SessionDep, user: CurrentUser):
    review, plan, access = load_review(session, user, review_id)
    progress = reviews_service.review_progress(session, review, plan)
    open_actions = service.open_actions_of_plan(session, plan, today(request))
    return render(
        request,
        "plans/review.html",
        {
            "page_title": f"Review, {review.held_on:%-d %b %Y}",
            "review": review,
            "plan": plan,
            "team": access.team,
            "access": access,
            "progress": progress,
            "has_previous": reviews_service.previous_review(session, review) is not None,
            "open_actions": open_actions,
            "may_edit": may_edit_plan(access),
            "is_current": (service.current_plan(session, plan.team_id) or plan).id == plan.id,
        },
    )


def _celebrations_context(session, request, access, values=None) -> dict:
    return {
        "page_title": "Celebrations",
        "team": access.team,
        "celebrations": reviews_service.team_celebrations(session, access.team.id),
        "values": values or {"on": today(request).isoformat()},
        "errors": {},
    }


@router.get("/teams/{team_id}/celebrations")
def celebrations_page(request: Request, access: TeamAccessDep, session: SessionDep):
    access.require_inside()
    return render(
        request, "plans/celebrations.html", _celebrations_context(session, request, access)
    )


@router.post("/teams/{team_id}/celebrations")
def add_celebration(request: Request, access: TeamAccessDep, session: SessionDep):
    access.require_inside()
    data = parse_form(
        request,
        CelebrationForm,
        template="plans/celebrations.html",
        context=_celebrations_context(session, request, access),
    )
    reviews_service.add_celebration(session, access.team, data, actor=access.user)
    session.commit()
    return redirect(
        request, f"/teams/{access.team.id}/celebrations", flash="Celebration added. Well done!"
    )
