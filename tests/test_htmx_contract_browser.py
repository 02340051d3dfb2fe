"""app.js keeps the htmx contract in a real browser: a refused htmx request (X-Refused) puts
its small block into the element that asked, never a page inside the page; an answer that
is not a refusal (a proxy's 502 or 403, which the app never sends itself) shows the one
plain message at the top of the page; the app's own 500 is a refusal block too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session
from starlette.responses import PlainTextResponse

from app.models import Plan
from tests.factories import PASSWORD
from tests.plans_world import agreed_plan, make_world

pytestmark = pytest.mark.browser


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base}/")


def test_a_refused_update_shows_its_block_in_the_action_that_asked(page, live_server, session):
    w = make_world(session)
    plan, _priorities, actions = agreed_plan(session, w)
    action = actions[0]
    session.commit()
    sign_in(page, live_server, "fac")
    plan_url = f"{live_server}/plans/{plan.id}"
    page.goto(plan_url)
    row = page.locator(f"#action-{action.id}")
    row.locator(".app-action__update").click()
    form = row.locator("form")
    expect(form).to_be_visible()
    # meanwhile the plan is closed (another person, another tab): the update is refused
    with Session(live_server.app.state.engine) as other:
        closed = other.get(Plan, plan.id)
        closed.status = "closed"
        other.add(closed)
        other.commit()
    form.locator("textarea[name=note]").fill("Two speakers said yes.")
    form.locator("button:has-text('Save the update')").click()
    refusal = row.locator("[data-refusal='409']")
    expect(refusal).to_contain_text("This plan is closed")
    assert page.url == plan_url  # no page load
    assert page.locator("header").count() == 1  # no whole page swapped inside the page
    expect(form).to_be_visible()  # what was typed stays
    expect(form.locator("textarea[name=note]")).to_have_value("Two speakers said yes.")
    expect(page.locator("#app-js-problem")).to_be_hidden()
    # asked again: the new refusal replaces the earlier one (app.js), it does not pile up
    form.locator("button:has-text('Save the update')").click()
    expect(row.locator("[data-refusal]")).to_have_count(1)
    expect(refusal).to_contain_text("This plan is closed")


def _button(page, path: str, label: str) -> None:
    """A button on the page that asks `path` with htmx, as the app's own buttons do."""
    page.evaluate(
        """([path, label]) => {
            const button = document.createElement("button");
            button.type = "button";
            button.id = "asks";
            button.textContent = label;
            button.setAttribute("data-hx-get", path);
            document.querySelector("main").prepend(button);
            htmx.process(button);
        }""",
        [path, label],
    )


@pytest.mark.parametrize("status", [502, 403])
def test_a_failure_that_is_not_a_refusal_shows_the_plain_message(page, live_server, status):
    """Test-only routes on the live app answer as a proxy in front of it might."""
    path = f"/test-only/proxy-{status}"
    live_server.app.add_api_route(
        path, lambda: PlainTextResponse("<html><body>Proxy</body></html>", status_code=status)
    )
    page.goto(f"{live_server}/")
    _button(page, path, "Ask")
    page.click("#asks")
    problem = page.locator("#app-js-problem")
    expect(problem).to_be_visible()
    words = "went wrong on our side" if status >= 500 else "could not be done"
    expect(problem).to_contain_text(words)
    expect(page.locator("#asks")).to_have_text("Ask")  # nothing swapped into the button
    assert page.locator("header").count() == 1


def test_the_apps_own_500_is_a_block_in_the_element_that_asked(page, live_server):
    def broken():
        raise RuntimeError("a bug")

    live_server.app.add_api_route("/test-only/broken", broken)
    page.goto(f"{live_server}/")
    _button(page, "/test-only/broken", "Ask")
    page.click("#asks")
    refusal = page.locator("#asks [data-refusal='500']")
    expect(refusal).to_contain_text("went wrong")
    expect(page.locator("#app-js-problem")).to_be_hidden()
    assert page.locator("header").count() == 1
