"""The participant pages in a real Chromium: taps save at once, a failed save is retried,
the whole journey works without JavaScript, and the pages are accessible at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.models import Asset
from tests.conftest import axe_violations
from tests.factories import CODE, ratings, statement_ids, workshop_round

pytestmark = pytest.mark.browser


def _real_errors(page, *, aborted: bool = False) -> list[str]:
    """Console errors, less those a deliberately aborted request makes (Chromium reports the
    failed load; htmx logs its own error events)."""
    expected = ("net::ERR_FAILED", "htmx:sendError", "htmx:afterRequest") if aborted else ()
    return [e for e in page.console_errors if not any(x in e for x in expected)]


def _join(page, base: str, perspective: str = "staff") -> None:
    page.goto(f"{base}/join")
    page.fill("#code", CODE.lower())
    page.click("button:has-text('Join')")
    page.wait_for_url(f"{base}/r/{CODE}")
    page.check(f"input[name=perspective][value={perspective}]")
    page.fill("#alias", "Kestrel")
    page.click("button:has-text('Start')")
    page.wait_for_url(f"{base}/r/{CODE}/statements/1")


def _level(engine, statement_id: int):
    by_statement = {r.statement_id: r for r in ratings(engine)}
    row = by_statement.get(statement_id)
    return "missing" if row is None else row.level


def test_each_tap_saves_at_once_and_shows_saved(live_server, page, session, engine):
    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    _join(page, live_server)
    page.click(f"label[for=level-{ids[0]}-3]")
    page.wait_for_selector(f"#status-{ids[0]} .app-save-status__saved")
    assert page.inner_text(f"#status-{ids[0]}") == "Saved"
    assert _level(engine, ids[0]) == 3
    # change the answer, mark it and write a comment (saved when the box is left)
    page.click(f"label[for=level-{ids[0]}-4]")
    page.click(f"label[for=matters_most-{ids[0]}]")
    page.fill(f"#comment-{ids[0]}", "Keep this up")
    assert "characters left" in page.inner_text(f"#comment-{ids[0]}-count")
    page.click("h1")  # leaving the box fires "change"
    expect(page.locator("#save-summary")).to_have_text("All answers saved")
    expect(page.locator("#progress")).to_have_text("1 of 4 answered")
    (first,) = ratings(engine)
    assert (first.level, first.matters_most, first.comment) == (4, True, "Keep this up")
    page.click("button:has-text('Save and continue')")
    page.wait_for_url(f"{live_server}/r/{CODE}/statements/2")
    page.click(f"label[for=level-{ids[1]}-dk]")
    expect(page.locator("#progress")).to_have_text("2 of 4 answered")
    assert _level(engine, ids[1]) is None
    assert _real_errors(page) == []


def test_a_failed_save_is_marked_then_saved_by_the_retry(live_server, page, session, engine):
    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    _join(page, live_server)
    blocked = {"count": 0}

    def flaky(route):
        if blocked["count"] == 0:
            blocked["count"] += 1
            route.abort()
        else:
            route.continue_()

    page.route(f"**/r/{CODE}/ratings/{ids[0]}", flaky)
    page.click(f"label[for=level-{ids[0]}-2]")
    page.wait_for_selector(f"#status-{ids[0]} .app-save-status__waiting")
    assert "Not saved yet" in page.inner_text(f"#status-{ids[0]}")
    assert page.is_visible(f"#statement-{ids[0]}.app-statement--unsaved")
    assert page.inner_text("#save-summary") == "1 answer waiting to save"
    assert _level(engine, ids[0]) == "missing"
    page.wait_for_selector(f"#status-{ids[0]} .app-save-status__saved", timeout=8000)
    assert blocked["count"] == 1
    assert not page.is_visible(f"#statement-{ids[0]}.app-statement--unsaved")
    assert page.inner_text("#save-summary") == "All answers saved"
    assert _level(engine, ids[0]) == 2
    assert _real_errors(page, aborted=True) == []


def test_the_whole_journey_without_javascript(live_server, browser, session, engine):
    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        _join(page, live_server, perspective="service_user")
        page.click(f"label[for=level-{ids[0]}-1]")
        assert _level(engine, ids[0]) == "missing"  # nothing posts until the button
        page.click("button:has-text('Save and continue')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/2")
        assert page.inner_text("#progress") == "1 of 4 answered"
        page.click(f"label[for=level-{ids[1]}-dk]")
        page.fill(f"#comment-{ids[1]}", "Hard to say")
        page.click("button:has-text('Save and continue')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/3")
        page.click(f"label[for=level-{ids[2]}-4]")
        page.click("button:has-text('Back')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/2")
        assert page.is_checked(f"#level-{ids[1]}-dk")
        page.click("button:has-text('Save and continue')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/3")
        page.click("button:has-text('Save and continue')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/4")
        page.click(f"label[for=level-{ids[3]}-3]")
        page.click("button:has-text('Save and continue')")
        page.wait_for_url(f"{live_server}/r/{CODE}/bring")
        page.check("input[name=kind][value=interest]")
        page.fill("#description", "I could start a walking group.")
        page.click("button:has-text('Add this')")
        page.wait_for_url(f"{live_server}/r/{CODE}/thanks")
        assert "4 of 4" in page.inner_text("main")
    finally:
        context.close()
    levels = {r.statement_id: r.level for r in ratings(engine)}
    assert levels == {ids[0]: 1, ids[1]: None, ids[2]: 4, ids[3]: 3}
    with Session(engine) as s:
        (asset,) = s.exec(select(Asset)).all()
    assert (asset.kind, asset.perspective, asset.alias) == ("interest", "service_user", "Kestrel")


@pytest.mark.parametrize("width", [320, 1280])
def test_participant_pages_are_accessible_and_fit(live_server, page, session, engine, width):
    found = workshop_round(session)
    workshop_round(session, status="closed", code="DONE23")
    statement_ids(engine, found.framework_id)
    page.set_viewport_size({"width": width, "height": 800})
    base = live_server

    def check(where: str) -> None:
        assert axe_violations(page) == [], where
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{where} is {scroll}px wide at {width}px"

    page.goto(f"{base}/join")
    check("join")
    page.click("button:has-text('Join')")  # an empty code: the error state
    check("join with an error")
    page.goto(f"{base}/r/{CODE}")
    check("welcome")
    _join(page, base)
    check("statement 1")
    page.goto(f"{base}/r/{CODE}/sections/1")
    check("part 1 overview")
    page.goto(f"{base}/r/{CODE}/bring")
    check("bring")
    page.goto(f"{base}/r/DONE23")
    check("finished")
    # the error state (422) and the finished page (410) are answered with those statuses
    statuses = ("status of 422", "status of 410")
    assert [e for e in _real_errors(page) if not any(s in e for s in statuses)] == []
