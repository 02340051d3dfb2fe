"""Browser journey: a priority from the suggestions, co-leads, an action, then the co-lead who
uses the service updates it inline. Axe clean on plan, review and team pages at 320 and 1280."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Plan
from app.plans.forms import ReviewForm
from app.plans.service import reviews as reviews_service
from tests.conftest import axe_violations
from tests.factories import PASSWORD
from tests.plans_world import make_world

pytestmark = pytest.mark.browser


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.click("header button:has-text('Sign out')")


def check_axe(page, url: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert axe_violations(page) == [], (url, width)
        if width == 320:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            assert not overflow, f"{url} scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_priority_from_suggestions_to_an_inline_update(page, live_server, session):
    w = make_world(session)
    base = live_server
    sign_in(page, base, "fac")
    page.goto(f"{base}/rounds/{w.round.id}/suggestions")
    page.locator("#suggest-lowest .app-suggestion__start").first.click()
    page.wait_for_url("**/priorities/new?statement=*")
    assert page.locator("input[name=statement_ids]:checked").count() == 1
    page.fill("#title", "Recovery stories")
    page.select_option("#staff_colead_id", label="Sam Staff (Staff)")
    page.select_option("#service_user_colead_id", label="Sue User (Person using the service)")
    page.click("button:has-text('Add the priority')")
    page.wait_for_url("**/plans/*")
    page.click("a:has-text('Add an action')")
    page.fill("#what", "Invite two speakers to a team meeting")
    page.select_option("#owner_member_id", label="Omar Owner (Staff)")
    page.fill("#due_on", "2030-01-15")
    page.click("button:has-text('Add the action')")
    page.wait_for_url("**/plans/*")
    row = page.locator(".app-action").first
    assert "Not started" in row.inner_text()
    plan_url = page.url.split("#")[0]
    check_axe(page, plan_url)
    sign_out(page)

    sign_in(page, base, "sue")
    page.goto(plan_url)
    page.click(".app-action__update")
    form = page.locator(".app-action--editing form")
    form.wait_for()
    assert page.url == plan_url  # swapped in place, no page load
    form.locator("select[name=status]").select_option("in_progress")
    form.locator("textarea[name=note]").fill("Two speakers said yes.")
    form.locator("button:has-text('Save the update')").click()
    page.locator(".app-action .app-status:has-text('In progress')").wait_for()
    assert page.url == plan_url
    page.locator(".app-action--editing").wait_for(state="detached")
    assert page.console_errors == []
    page.click("a:has-text('History')")
    assert "Two speakers said yes." in page.locator(".app-history").inner_text()


def test_axe_on_team_and_review_pages(page, live_server, session):
    from tests.plans_world import agreed_plan

    w = make_world(session)
    plan, _priorities, _actions = agreed_plan(session, w)
    review = reviews_service.record_review(
        session,
        session.get(Plan, plan.id),
        ReviewForm(held_on=date(2026, 4, 15), notes="Good start", learnt="Ask early"),
        actor=w.fac_user,
    )
    session.commit()
    sign_in(page, live_server, "fac")
    for url in (
        f"/teams/{w.team.id}",
        f"/reviews/{review.id}",
        f"/plans/{plan.id}/reviews/new",
        f"/teams/{w.team.id}/celebrations",
        f"/plans/{plan.id}/print",
        f"/rounds/{w.round.id}/suggestions",
        "/",
    ):
        check_axe(page, live_server + url)


def test_the_printable_plan_does_not_scroll_sideways_at_320_px(page, live_server, session):
    from tests.plans_world import add_action, agreed_plan

    w = make_world(session)
    plan, (p1, _p2, _p3), _actions = agreed_plan(session, w)
    add_action(
        session,
        w,
        p1,
        "Ask the recovery college whether their peer-facilitated wellbeing workshops "
        "could run fortnightly at https://recovery-college.example.org/workshops/wellbeing",
        owner=w.owner,
    )
    session.commit()
    sign_in(page, live_server, "fac")
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{live_server}/plans/{plan.id}/print")
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    assert wide <= page.evaluate("innerWidth"), f"the page is {wide} px wide at 320 px"
    # and by element boxes: nothing visible reaches past the right edge (nor is cut off)
    outside = page.evaluate(
        """() => Array.from(document.querySelectorAll("body *"))
            .filter(e => { const r = e.getBoundingClientRect();
                           return r.width > 1 && (r.right > innerWidth + 0.5 || r.left < -0.5); })
            .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`)"""
    )
    assert outside == [], outside
    assert axe_violations(page) == []
