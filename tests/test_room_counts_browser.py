"""Present mode's counts in Chromium (issue 12, "live without waste"): a phone joining and
answering changes the joined and answered lines within a poll, without redrawing the screen
(the same panel stays in the page); the facilitator's move redraws it; a screen shown again
after being hidden polls at once and redraws in place (one panel, never one inside
another)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.models import Statement
from tests.factories import statement_ids
from tests.test_phone_browser import _led, _move, _phone
from tests.test_room_follow_browser import HIDE
from tests.test_room_present_browser import sign_in

pytestmark = pytest.mark.browser
WITHIN_MS = 3000  # one 2 s poll and a margin

MARKED = "document.querySelector('#live-panel').dataset.mark"


def test_the_counts_change_without_a_redraw_and_a_move_redraws(
    live_server, browser, page, session, engine
):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    with Session(engine) as s:
        codes = [s.get(Statement, sid).code for sid in ids[:3]]
    sign_in(page, live_server)
    page.goto(f"{live_server}/rounds/{found.id}/present")
    expect(page.locator(".app-present__joined")).to_have_text("0 people have joined")
    page.evaluate(f"{MARKED} = 'first'")  # gone if the panel is ever drawn again
    phone_context, phone = _phone(browser, live_server)
    try:
        joined = page.locator(".app-present__joined")
        expect(joined).to_have_text("1 person has joined", timeout=WITHIN_MS)
        phone.click(f"label[for=level-{ids[0]}-3]")  # one tap saves
        answered = page.locator(".app-present__answered")
        expect(answered).to_have_text("1 of 1 has answered this statement", timeout=WITHIN_MS)
        assert page.evaluate(MARKED) == "first"  # the same screen: only its counts changed
        assert page.locator("#live-panel").count() == 1
        assert page.locator("#present-poll").count() == 1

        _move(page, live_server, found.id, ids[1])  # the room moves: the screen redraws
        expect(page.locator("#present-statement")).to_contain_text(codes[1], timeout=WITHIN_MS)
        assert page.evaluate(MARKED) is None
        expect(answered).to_have_text("0 of 1 have answered this statement")
        expect(joined).to_have_text("1 person has joined")

        # hidden, the screen stops polling; shown again it asks at once and redraws in place
        page.evaluate(HIDE, True)
        _move(page, live_server, found.id, ids[2])
        page.wait_for_timeout(2500)
        expect(page.locator("#present-statement")).to_contain_text(codes[1])
        page.evaluate(HIDE, False)
        expect(page.locator("#present-statement")).to_contain_text(codes[2], timeout=1500)
        assert page.locator("#live-panel").count() == 1
        assert page.locator("#live-panel #live-panel, #present-poll #live-panel").count() == 0
    finally:
        phone_context.close()
    assert page.console_errors == []
