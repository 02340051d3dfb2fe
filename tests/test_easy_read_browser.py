"""Easy Read in a real Chromium (issue 15, points 3 and 5): a phone joins in Easy Read by
ticking the box, reads the Easy Read words beside the pictures, taps an answer that saves
like anyone's, opens the glossary; axe-core finds nothing at 320 px and 1280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import axe_violations
from tests.factories import CODE, ratings, shipped_framework, statement_ids, workshop_round

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 1280])
def test_an_easy_read_phone_rates_and_its_screens_pass_axe(
    live_server, browser, session, engine, width
):
    found = workshop_round(session, framework=shipped_framework(session))
    ids = statement_ids(engine, found.framework_id)
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/r/{CODE}")
        page.check("input[name=perspective][value=staff]")
        page.check("input[name=easy_read]")
        page.click("button:has-text('Start')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/1")
        expect(page.locator("h1")).to_have_text("We ask about your hopes and what matters to you.")
        expect(page.locator(".app-scale__label img")).to_have_count(4)
        assert axe_violations(page) == []
        # nothing is wider than the screen (a statement may run long, never sideways)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.click(f"label[for=level-{ids[0]}-2]")
        expect(page.locator(f"#status-{ids[0]}")).to_contain_text("Saved")
        (row,) = ratings(engine)
        assert (row.statement_id, row.level) == (ids[0], 2)
        page.click("a:has-text('What some words mean')")
        expect(page.locator("h1")).to_have_text("What some words mean")
        assert axe_violations(page) == []
        page.goto(f"{live_server}/r/{CODE}/sections/1")
        expect(page.locator("h1")).to_have_text("Everyday talk")
        assert axe_violations(page) == []
    finally:
        context.close()
