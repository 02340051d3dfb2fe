"""A real browser (Debian Chromium) on the home page, the team form and the patterns page:
no WCAG 2.2 A/AA problems found by axe, no console errors, at 320 px and 1280 px."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.db import make_engine
from tests.conftest import axe_violations
from tests.factories import PASSWORD, make_service, make_team, make_user, small_framework

pytestmark = pytest.mark.browser

WIDTHS = [320, 1280]


@pytest.fixture
def org(database_url):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        make_user(session, "ada", role="admin")
        service = make_service(session, "Riverside Adult Mental Health")
        small_framework(session)
        team = make_team(session, "Willow Ward", service=service, setting="inpatient")
    engine.dispose()
    return team


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", "ada")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def check(page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], f"{url} at {width}px: {violations}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, f"{url} at {width}px scrolls sideways"
    assert page.console_errors == [], page.console_errors


@pytest.mark.parametrize("width", WIDTHS)
def test_home_team_form_and_patterns(live_server, page, org, width):
    check(page, f"{live_server}/", width)
    check(page, f"{live_server}/login", width)
    sign_in(page, live_server)
    check(page, f"{live_server}/", width)

    check(page, f"{live_server}/admin/teams/new", width)
    page.click("main form button[type=submit]")  # an empty form: every problem shown
    page.wait_for_selector(".nhsuk-error-summary")
    assert page.locator(".nhsuk-error-message").count() >= 3
    assert axe_violations(page) == []
    page.console_errors.clear()  # the browser logs the 422 of the refused form

    check(page, f"{live_server}/admin/teams/{org.id}/edit", width)
    check(page, f"{live_server}/admin/teams", width)
    check(page, f"{live_server}/patterns", width)
