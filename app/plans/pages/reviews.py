"""The review pages (recording one, reading one with progress since the last) and the
team's celebrations."""

from babel.dates import format_date
from fastapi import Request

from app.core import i18n
from app.core.dates import today
from app.core.i18n import N_
from app.db import SessionDep
from app.plans.deps import CelebrationEditor, InsideTeam, PlanEditor, ReviewAccess, ReviewEditor
from app.plans.pages.common import titled
from app.plans.queries import plans as plan_queries
from app.plans.queries import reviews as review_queries
from app.security.access import may_edit_plan
from app.web import format_date as format_day
from app.web import language_of, render


def show_new_review(
    request: Request,
    loaded: PlanEditor,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    context = {
        "page_title": N_("Record a review"),
        "plan": loaded.plan,
        "team": loaded.team,
        "values": {"held_on": today(request).isoformat()} if values is None else values,
        "errors": errors or {},
    }
    return render(request, "plans/review_form.html", context, status_code=status)


def show_review(request: Request, loaded: ReviewAccess, session: SessionDep):
    review, plan = loaded.review, loaded.plan
    current = plan_queries.current_plan(session, plan.team_id)
    i18n.use_language(language_of(request))  # the date in the title, as render will
    return render(
        request,
        "plans/review.html",
        {
            "page_title": titled(request, N_("Review, %(date)s"), date=format_day(review.held_on)),
            "review": review,
            "plan": plan,
            "team": loaded.team,
            "access": loaded.access,
            "progress": review_queries.review_progress(session, review, plan),
            "has_previous": review_queries.previous_review(session, review) is not None,
            "open_actions": plan_queries.open_actions_of_plan(session, plan, today(request)),
            "may_edit": may_edit_plan(loaded.access),
            "is_current": (current or plan).id == plan.id,
        },
    )


def show_celebrations(
    request: Request,
    access: InsideTeam,
    session: SessionDep,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    context = {
        "page_title": N_("Celebrations"),
        "team": access.team,
        "celebrations": review_queries.team_celebrations(session, access.team.id),
        "values": {"on": today(request).isoformat()} if values is None else values,
        "errors": errors or {},
    }
    return render(request, "plans/celebrations.html", context, status_code=status)


def show_edit_review(
    request: Request,
    loaded: ReviewEditor,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    review = loaded.review
    saved = {"held_on": review.held_on.isoformat(), "notes": review.notes, "learnt": review.learnt}
    context = {
        "page_title": N_("Change the review"),
        "plan": loaded.plan,
        "team": loaded.team,
        "review": review,
        "values": saved if values is None else values,
        "errors": errors or {},
    }
    return render(request, "plans/review_form.html", context, status_code=status)


def show_edit_celebration(
    request: Request,
    loaded: CelebrationEditor,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    c = loaded.celebration
    context = {
        "page_title": N_("Change the celebration"),
        "team": loaded.team,
        "celebration": c,
        "values": {"text": c.text, "on": c.on.isoformat()} if values is None else values,
        "errors": errors or {},
    }
    return render(request, "plans/celebration_form.html", context, status_code=status)


def show_confirm_remove(
    request: Request, *, question: str, action: str, back: str, team, detail: str = "", **values
):
    """The confirmation step before removing a review, a celebration or a priority:
    `question` is an N_-marked sentence, asked in the page's language with `values` (dates
    written the page's way)."""
    welsh = i18n.use_language(language_of(request)) == i18n.WELSH  # as render will
    locale = "cy" if welsh else "en_GB"
    shown = {
        k: format_date(v, "d MMMM y", locale=locale) if hasattr(v, "isoformat") else v
        for k, v in values.items()
    }
    title = titled(request, question, **shown)
    context = {"page_title": title, "question": title, "action": action, "back_url": back}
    context["detail"] = detail
    return render(request, "plans/confirm_remove.html", {**context, "team": team})
