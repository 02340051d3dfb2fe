"""The room in Chromium, the parts around following (issue 12): a phone moved by the room
says so politely; phones stop polling when the round becomes a group round; polls pause
while the page is hidden (phone and facilitator); the facilitator's typed agreed-rating notes
are not lost to "Next statement"; an old retry never overwrites a newer answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from app.models import RateLimitHit, Round
from tests.factories import CODE, count, ratings, statement_ids
from tests.test_phone_browser import FOLLOW_MS, _facilitator, _led, _move, _phone

pytestmark = pytest.mark.browser
POLL_MS = 2000


def _set(engine, round_id: int, **values) -> None:
    with Session(engine) as s:
        found = s.get(Round, round_id)
        for key, value in values.items():
            setattr(found, key, value)
        s.add(found)
        s.commit()


def _current(engine, round_id: int) -> int | None:
    with Session(engine) as s:
        return s.get(Round, round_id).current_statement_id


def _polls(page, part: str) -> list[str]:
    """Every request this page makes whose address contains `part`, as it is made."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if part in request.url else None)
    return seen


def _next_poll(page, part: str) -> None:
    """Wait for this page's next poll (one comes within the 2 s interval and a margin)."""
    with page.expect_request(lambda request: part in request.url, timeout=2 * POLL_MS):
        pass


HIDE = """hidden => {
    Object.defineProperty(document, "hidden", {configurable: true, get: () => hidden});
    Object.defineProperty(document, "visibilityState",
                          {configurable: true, get: () => hidden ? "hidden" : "visible"});
    document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_phone_the_room_moves_says_so_politely(live_server, browser, session, engine):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    phone_context, phone = _phone(browser, live_server)
    fac_context, facilitator = _facilitator(browser, live_server, found.id)
    try:
        banner = phone.locator("#room-banner")
        assert banner.get_attribute("aria-live") == "polite"
        expect(banner).to_have_text("")
        _move(facilitator, live_server, found.id, ids[3])
        phone.wait_for_url(f"{live_server}/r/{CODE}/statements/4", timeout=FOLLOW_MS)
        expect(banner).to_have_text("The room moved to statement 4")
        phone.reload()  # arriving any other way says nothing
        expect(phone.locator("#room-poll")).to_have_count(1)
        expect(banner).to_have_text("")
    finally:
        fac_context.close()
        phone_context.close()


def test_phones_stop_polling_when_the_round_becomes_a_group_round(
    live_server, browser, session, engine
):
    found = _led(session)
    contexts = [_phone(browser, live_server) for _ in range(2)]
    try:
        polls = [_polls(page, "/room?") for _context, page in contexts]
        _set(engine, found.id, mode="group")
        for _context, page in contexts:
            expect(page.locator("#room-banner")).to_contain_text(
                "answered together in the room", timeout=FOLLOW_MS
            )
            expect(page.locator("#room-poll")).to_have_count(0)
        made = [len(seen) for seen in polls]
        contexts[0][1].wait_for_timeout(2.5 * POLL_MS)  # more than two polls' time
        assert [len(seen) for seen in polls] == made  # no poll since
        assert count(engine, RateLimitHit) == 0  # the shared address is not locked out
    finally:
        for context, _page in contexts:
            context.close()


def test_polls_pause_while_the_page_is_hidden(live_server, browser, session, engine):
    found = _led(session)
    phone_context, phone = _phone(browser, live_server)
    fac_context, facilitator = _facilitator(browser, live_server, found.id)
    try:
        phone_polls = _polls(phone, "/room?")
        fac_polls = _polls(facilitator, f"/rounds/{found.id}/counts?")
        _next_poll(phone, "/room?")
        _next_poll(facilitator, "/counts?")
        for page in (phone, facilitator):
            page.evaluate(HIDE, True)
        hidden_from = (len(phone_polls), len(fac_polls))
        phone.wait_for_timeout(3 * POLL_MS)  # three polls' time, hidden
        assert (len(phone_polls), len(fac_polls)) == hidden_from
        # shown again: a poll at once, then every 2 s
        with phone.expect_request(lambda r: "/room?" in r.url, timeout=POLL_MS // 2):
            phone.evaluate(HIDE, False)
        with facilitator.expect_request(lambda r: "/counts?" in r.url, timeout=POLL_MS // 2):
            facilitator.evaluate(HIDE, False)
        _next_poll(phone, "/room?")
        _next_poll(facilitator, "/counts?")
    finally:
        fac_context.close()
        phone_context.close()


def test_typed_agreed_notes_ask_before_next_statement(live_server, browser, session, engine):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    _set(engine, found.id, current_statement_id=ids[0])
    context, page = _facilitator(browser, live_server, found.id)
    try:
        asked: list[str] = []

        def answer(dialog, accept: bool) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.fill("#well_notes", "We call people back the same day")
        page.once("dialog", lambda dialog: answer(dialog, False))
        page.click("#next-statement")
        expect(page.locator("#well_notes")).to_have_value("We call people back the same day")
        assert asked == [
            "You have typed notes for the agreed rating that are not saved. Leave them?"
        ]
        assert _current(engine, found.id) == ids[0]  # the room did not move
        assert page.is_visible("#save-and-next")  # the way to keep them and move on
        page.once("dialog", lambda dialog: answer(dialog, True))
        with page.expect_navigation():
            page.click("#next-statement")
        assert len(asked) == 2
        assert _current(engine, found.id) == ids[1]
        expect(page.locator("#well_notes")).to_have_value("")
    finally:
        context.close()


def test_an_old_retry_does_not_overwrite_a_newer_answer(live_server, browser, session, engine):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    context, page = _phone(browser, live_server)
    held = []

    def hold_the_first(route) -> None:
        if not held:  # the first answer is held back, as on a slow connection
            held.append(route)
        else:
            route.continue_()

    try:
        page.route(f"**/r/{CODE}/ratings/*", hold_the_first)
        page.click(f"label[for=level-{ids[0]}-2]")
        while not held:
            page.wait_for_timeout(50)
        with page.expect_response(f"**/r/{CODE}/ratings/*"):
            page.click(f"label[for=level-{ids[0]}-4]")  # a second thought, sent at once
        (row,) = ratings(engine)
        assert row.level == 4
        newer = row.seq
        with page.expect_response(f"**/r/{CODE}/ratings/*"):
            held[0].continue_()  # the first answer arrives late
        (row,) = ratings(engine)
        assert (row.level, row.seq) == (4, newer)
        expect(page.locator("#save-summary")).to_have_text("All answers saved")
    finally:
        context.close()
