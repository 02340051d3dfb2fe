"""Phones in a real Chromium: a led round where the facilitator moves and phones follow (or,
mid-comment, show the banner); no answer lost offline or with the tab closed; "Save and
continue" offline; a refused save at the top; JavaScript off; axe-core; the 360 × 740 fit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.models import Statement
from tests.conftest import axe_violations
from tests.factories import (
    CODE,
    make_person,
    make_round,
    make_team,
    ratings,
    shipped_framework,
    statement_ids,
    workshop_round,
)

pytestmark = pytest.mark.browser
FOLLOW_MS = 3000  # a phone sees the facilitator's move within 3 s


def _led(session, framework=None):
    team = make_team(session, "Oak ward")
    make_person(session, team, "fiona", role="facilitator")
    return make_round(
        session, team, framework, title="Baseline", status="open", mode="led", code=CODE
    )


def _join(page, base: str, perspective: str = "staff") -> None:
    page.goto(f"{base}/r/{CODE}")
    page.check(f"input[name=perspective][value={perspective}]")
    page.click("button:has-text('Start')")
    page.wait_for_url(f"{base}/r/{CODE}/statements/*")


def _phone(browser, base: str, *, width: int = 360, height: int = 740, js: bool = True):
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=js
    )
    page = context.new_page()
    _join(page, base)
    return context, page


def _facilitator(browser, base: str, round_id: int):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#username", "fiona")
    page.fill("#password", "correct horse battery staple")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/rounds/{round_id}")
    return context, page


def _move(facilitator, base: str, round_id: int, statement_id: int) -> None:
    """The facilitator's move, posted through the app's own route from their page."""
    status = facilitator.evaluate(
        """([url, sid]) => {
            const token = JSON.parse(document.body.dataset.hxHeaders)["X-CSRF-Token"];
            return fetch(url, {method: "POST", body: new URLSearchParams({statement_id: sid}),
                               headers: {"X-CSRF-Token": token}}).then(r => r.status);
        }""",
        [f"{base}/rounds/{round_id}/current", str(statement_id)],
    )
    assert status == 200


def test_two_phones_follow_the_facilitator_and_one_mid_comment_shows_the_banner(
    live_server, browser, session, engine
):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    contexts = []
    try:
        for _ in range(3):
            contexts.append(_phone(browser, live_server))
        phones = [page for _context, page in contexts]
        for phone in phones:
            assert phone.url == f"{live_server}/r/{CODE}/statements/1"
        writer = phones[2]
        writer.fill(f"#comment-{ids[0]}", "Still thinking about this")  # typed, not yet saved
        fac_context, facilitator = _facilitator(browser, live_server, found.id)
        contexts.append((fac_context, facilitator))
        _move(facilitator, live_server, found.id, ids[2])
        for phone in phones[:2]:
            phone.wait_for_url(f"{live_server}/r/{CODE}/statements/3", timeout=FOLLOW_MS)
        banner = writer.locator("#room-banner")
        expect(banner).to_have_text("The room is on statement 3 – go there", timeout=FOLLOW_MS)
        assert writer.url == f"{live_server}/r/{CODE}/statements/1"
        assert writer.input_value(f"#comment-{ids[0]}") == "Still thinking about this"
        assert axe_violations(writer) == []
        writer.click("#room-banner a")
        writer.wait_for_url(f"{live_server}/r/{CODE}/statements/3")
        writer.click("a.app-back-to-room")  # already there: it stays
        writer.wait_for_url(f"{live_server}/r/{CODE}/statements/3")
    finally:
        for context, _page in contexts:
            context.close()


def test_offline_answers_survive_a_closed_tab_and_arrive(live_server, browser, session, engine):
    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    context, page = _phone(browser, live_server)
    try:
        context.set_offline(True)
        page.click(f"label[for=level-{ids[0]}-3]")
        expect(page.locator("#save-summary")).to_contain_text("1 answer waiting to save")
        page.fill(f"#comment-{ids[0]}", "Said on the bus")
        page.click("h1")
        assert page.is_visible(f"#statement-{ids[0]}.app-statement--unsaved")
        # leaving with answers waiting asks first
        with page.expect_event("dialog") as asked:
            page.close(run_before_unload=True)
        assert asked.value.type == "beforeunload"
        asked.value.dismiss()
        page.close()  # closed for real (the answers are still waiting)
        assert ratings(engine) == []
        context.set_offline(False)
        again = context.new_page()
        again.goto(f"{live_server}/r/{CODE}/statements/2")
        expect(again.locator("#save-summary")).to_have_text("All answers saved")
        (row,) = ratings(engine)
        assert (row.statement_id, row.level, row.comment) == (ids[0], 3, "Said on the bus")
        assert row.seq >= 1
        assert (
            again.evaluate("Object.keys(localStorage).filter(k => k.startsWith('trip:queue'))")
            == []
        )
    finally:
        context.close()


def test_save_and_continue_offline_stays_and_says_so(live_server, browser, session, engine):
    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    context, page = _phone(browser, live_server)
    try:
        context.set_offline(True)
        page.click(f"label[for=level-{ids[0]}-2]")
        page.click("button:has-text('Save and continue')")
        expect(page.locator("#save-summary")).to_contain_text("You are offline")
        assert page.url == f"{live_server}/r/{CODE}/statements/1"
        assert page.is_checked(f"#level-{ids[0]}-2")
        context.set_offline(False)  # the online event sends it
        expect(page.locator("#save-summary")).to_have_text("All answers saved")
        assert [r.level for r in ratings(engine)] == [2]
        page.click("button:has-text('Save and continue')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/2")
    finally:
        context.close()


def test_a_refused_save_is_shown_at_the_statement_and_at_the_top(
    live_server, browser, session, engine
):
    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    context, page = _phone(browser, live_server)
    try:
        page.click(f"label[for=matters_most-{ids[0]}]")  # marked before an answer
        words = "Not saved: choose an answer before marking it as mattering most."
        expect(page.locator("#save-summary")).to_have_text(words)
        expect(page.locator(f"#status-{ids[0]}")).to_have_text(words)
        page.click("button:has-text('Save and continue')")
        assert page.url == f"{live_server}/r/{CODE}/statements/1"  # not moved on
        assert ratings(engine) == []
        page.click(f"label[for=level-{ids[0]}-4]")
        expect(page.locator("#save-summary")).to_have_text("All answers saved")
        assert [(r.level, r.matters_most) for r in ratings(engine)] == [(4, True)]
    finally:
        context.close()


def test_a_led_round_without_javascript(live_server, browser, session, engine):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    context, page = _phone(browser, live_server, js=False)
    try:
        page.click(f"label[for=level-{ids[0]}-1]")
        page.click("button:has-text('Save and continue')")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/2")
        assert "The room is on statement 1" in page.inner_text("#room-banner")
        page.click("a.app-back-to-room")
        page.wait_for_url(f"{live_server}/r/{CODE}/statements/1")
        assert page.is_checked(f"#level-{ids[0]}-1")
    finally:
        context.close()
    assert [r.level for r in ratings(engine)] == [1]


@pytest.mark.parametrize("width", [320, 1280])
def test_phone_screens_are_accessible(live_server, browser, session, engine, width):
    _led(session)
    context, page = _phone(browser, live_server, width=width, height=800)
    try:
        for url in ("statements/1", "statements/3", "sections/1"):
            page.goto(f"{live_server}/r/{CODE}/{url}")
            assert axe_violations(page) == [], url
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{url} is {scroll}px wide at {width}px"
        page.goto(f"{live_server}/r/{CODE}/statements/1")
        page.click("label[for^=matters_most-]")  # the refused state
        expect(page.locator("#save-summary")).to_contain_text("Not saved")
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_longest_statement_and_every_answer_fit_at_360_by_740(
    live_server, browser, session, engine
):
    framework = shipped_framework(session, "voluntary")
    _led(session, framework)
    with Session(engine) as s:
        statements = s.exec(select(Statement).where(Statement.framework_id == framework.id)).all()
        longest = max(statements, key=lambda st: len(st.text))
    context, page = _phone(browser, live_server)
    try:
        number = page.evaluate(
            """async (sid) => {
                for (let n = 1; n < 200; n++) {
                    const r = await fetch(`/r/%s/statements/${n}`);
                    if ((await r.text()).includes(`data-statement="${sid}"`)) { return n; }
                }
                return 0;
            }""".replace("%s", CODE),
            longest.id,
        )
        assert number
        page.goto(f"{live_server}/r/{CODE}/statements/{number}")
        assert page.inner_text("h1") == longest.text
        targets = ["h1", ".app-phone-top", f"#status-{longest.id}"]
        targets += [f"label[for=level-{longest.id}-{n}]" for n in ("1", "2", "3", "4", "dk")]
        for selector in targets:
            box = page.locator(selector).bounding_box()
            assert box is not None, selector
            assert box["y"] >= 0 and box["y"] + box["height"] <= 740, (selector, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (selector, box)
        assert page.evaluate("window.scrollY") == 0
    finally:
        context.close()


def test_an_answer_that_arrives_after_the_close_says_so_and_is_forgotten(
    live_server, browser, session, engine
):
    from app.models import Round
    from app.rounds import service as rounds_service

    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    context, page = _phone(browser, live_server)
    try:
        context.set_offline(True)
        page.click(f"label[for=level-{ids[0]}-3]")
        expect(page.locator("#save-summary")).to_contain_text("1 answer waiting to save")
        with Session(engine) as s:
            rounds_service.close_round(s, s.get(Round, found.id))
            s.commit()
        context.set_offline(False)
        words = "Not saved: the workshop finished before this answer reached it."
        expect(page.locator("#save-summary")).to_have_text(words)
        expect(page.locator(f"#status-{ids[0]}")).to_have_text(words)
        keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('trip:'))")
        assert keys == []
        assert ratings(engine) == []
    finally:
        context.close()
