"""A real browser: sign in (after a failed try), make and redeem an invitation, sign out.
axe finds no WCAG 2.2 A/AA problems on these pages at 320 px and 1280 px; no console errors."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.db import make_engine
from tests.conftest import axe_violations
from tests.factories import PASSWORD, make_member, make_person, make_team

pytestmark = pytest.mark.browser

WIDTHS = [320, 1280]
NEW_PASSWORD = "blue kettle on the windowsill"


@pytest.fixture
def team(database_url):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        team = make_team(session, "Riverside North")
        make_person(session, team, "priya", role="facilitator", name="Priya S.")
        make_member(session, team, "Morgan T.", perspective="service_user")
    engine.dispose()
    return team


def clean(page, width: int, refused: bool = False) -> None:
    """axe-clean, no sideways scroll, no console errors (but the 422 of a refused form)."""
    if refused:
        page.console_errors[:] = [e for e in page.console_errors if "status of 422" not in e]
    page.set_viewport_size({"width": width, "height": 900})
    violations = axe_violations(page)
    assert violations == [], f"{page.url} at {width}px: {violations}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not overflow, f"{page.url} at {width}px scrolls sideways"
    assert page.console_errors == [], page.console_errors


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_invite_redeem_sign_out(live_server, browser, page, team, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/login")
    clean(page, width)

    page.fill("#username", "priya")
    page.fill("#password", "not my password")
    page.click("main button[type=submit]")
    page.wait_for_selector(".nhsuk-error-summary")
    assert "not right" in page.inner_text("#username-error")
    clean(page, width, refused=True)

    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    assert page.inner_text(".app-username") == "priya"

    page.goto(f"{live_server}/teams/{team.id}/members")
    clean(page, width)
    page.fill("#display_name", "Dee")
    page.select_option("#perspective", "service_user")
    page.click("button[value=invite]")
    page.wait_for_selector("a.app-invite-link")
    assert page.locator("svg.app-qr").count() == 1
    clean(page, width)
    link = page.get_attribute("a.app-invite-link", "href")

    context = browser.new_context(viewport={"width": width, "height": 900})
    phone = context.new_page()
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.console_errors = errors
    try:
        phone.goto(link)
        clean(phone, width)
        phone.fill("#username", "dee")
        phone.fill("#password", "password1")
        phone.fill("#password_again", "password1")
        phone.click("main button[type=submit]")
        phone.wait_for_selector(".nhsuk-error-summary")
        assert "too common" in phone.inner_text("#password-error")
        clean(phone, width, refused=True)
        phone.fill("#password", NEW_PASSWORD)
        phone.fill("#password_again", NEW_PASSWORD)
        phone.click("main button[type=submit]")
        phone.wait_for_url(f"{live_server}/my-part")
        assert phone.inner_text(".app-username") == "dee"
        clean(phone, width)

        phone.click("header button:has-text('Sign out')")
        phone.wait_for_url(f"{live_server}/")
        assert phone.locator(".app-username").count() == 0
        assert "signed out" in phone.inner_text(".app-flash")
        clean(phone, width)
        phone.goto(link)
        assert "already been used" in phone.inner_text(".app-invite-problem")
    finally:
        context.close()
