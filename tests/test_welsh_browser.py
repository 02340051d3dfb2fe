"""Welsh in a real Chromium (issue 15, point 5): a phone changes to Cymraeg with the link,
joins, and rates; what workshop.js writes is Welsh too; axe-core finds nothing at 320 px
and 1280 px, and the facilitator's live count takes the answer with everyone else's."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.rounds.queries import room as room_queries
from tests.conftest import axe_violations
from tests.factories import CODE, shipped_framework, statement_ids, workshop_round

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 1280])
def test_a_welsh_phone_joins_rates_and_passes_axe(live_server, browser, session, engine, width):
    found = workshop_round(session, framework=shipped_framework(session))
    ids = statement_ids(engine, found.framework_id)
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/join")
        page.click(".app-language-link a[hreflang=cy]")
        expect(page.locator("label[for=code]")).to_have_text("Ymuno â gweithdy")
        assert axe_violations(page) == []
        page.fill("#code", CODE)
        page.click("form[action='/join'] button[type=submit]")
        expect(page.locator("h1")).to_have_text("Croeso i'r gweithdy")
        assert axe_violations(page) == []
        page.check("input[name=perspective][value=carer]")
        page.click("button:has-text('Dechrau')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/1")
        assert page.get_attribute("html", "lang") == "cy"
        page.click(f"label[for=level-{ids[0]}-3]")
        expect(page.locator(f"#status-{ids[0]}")).to_have_text("Wedi'i gadw")
        expect(page.locator("#progress")).to_have_text(f"1 o {len(ids)} wedi'u hateb")
        page.fill(f"#comment-{ids[0]}", "Da")
        expect(page.locator(f"#comment-{ids[0]}-count")).to_have_text(
            "Mae gennych chi 498 nod ar ôl"
        )
        assert axe_violations(page) == []
        with Session(engine) as s:
            counts = room_queries.live_counts(s, found.id, ids[0])[ids[0]]
        assert counts["carer"].n == 1
    finally:
        context.close()
