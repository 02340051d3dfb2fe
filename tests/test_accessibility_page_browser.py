"""The accessibility statement and the NHS.UK components in a real browser (Debian Chromium):
no WCAG 2.2 A/AA problem found by axe-core, no sideways scrolling, no console errors, at 320
and 1280 pixels wide; the footer's link reaches the statement with the keyboard."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.db import make_engine
from tests.conftest import axe_violations
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


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


@pytest.mark.parametrize("width", [320, 1280])
def test_the_statement_and_the_components_pass_axe(live_server, page, database_url, width):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine) as session:
        make_user(session, "ada", role="admin")
    engine.dispose()

    check(page, f"{live_server}/accessibility", width)  # signed out
    assert page.locator("main h1").inner_text() == "Accessibility statement for TRIP benchmarking"

    page.goto(f"{live_server}/login")
    page.fill("#username", "ada")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/**")
    check(page, f"{live_server}/patterns", width)  # the port's header with menu and account
    check(page, f"{live_server}/accessibility", width)

    page.goto(f"{live_server}/privacy")
    link = page.locator("footer a[href='/accessibility']")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/accessibility")
    assert page.locator("main h1").inner_text().startswith("Accessibility statement")
