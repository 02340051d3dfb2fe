"""Present mode in Chromium (issue 12): one screen at 1280×720 and 1920×1080 with the longest
shipped statement, its hint, a five-group spread, a 500-character comment and the agreed
level, the joined count and "N of M have answered", the join code (at least 96 px tall) and
its QR inside the viewport; → ← S move the room and show the spread; the screen follows the
facilitator's page within 3 s; axe-core finds no WCAG A/AA problem at 1280 px and at 320 px."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Participant, Rating, Round, Statement
from app.rounds import queries, service
from tests.conftest import axe_violations
from tests.factories import PASSWORD, make_person, make_round, make_team, shipped_framework

pytestmark = pytest.mark.browser
# the longest comment a phone can send (500 characters): the screen once scrolled to 1,182 px
LONG_COMMENT = ("We talked about this a lot and we do not all agree about it yet. " * 8)[:500]


@pytest.fixture
def db(database_url):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def room(db):
    """A led round on the crisis framework, on its longest statement (text and hint), with
    three people in each of the five groups' perspectives."""
    framework = shipped_framework(db, "crisis")
    team = make_team(db, "Willow Ward", framework_key="crisis")
    make_person(db, team, "fiona", role="facilitator")
    round_ = make_round(db, team, framework, title="Baseline, Nov 2026", status="open", mode="led")
    statements = queries.round_statements(db, round_)
    longest = max(statements, key=lambda s: len(s.text) + len(s.hint or ""))
    round_ = db.get(Round, round_.id)
    round_.current_statement_id = longest.id
    db.add(round_)
    perspectives = ["staff", "service_user", "carer", "community", "peer_worker"]
    n = 0
    for perspective in perspectives:
        for level in (1, 3, 4):
            n += 1
            person = Participant(round_id=round_.id, token_hash=f"p{n}", perspective=perspective)
            db.add(person)
            db.flush()
            rating = Rating(
                round_id=round_.id,
                participant_id=person.id,
                statement_id=longest.id,
                level=level,
                comment=LONG_COMMENT if n == 1 else "",
            )
            db.add(rating)
            db.flush()
            if n == 1:
                round_.shown_comment_id = rating.id  # the longest comment a phone can send
    db.add(round_)
    service.record_agreed_rating(db, round_=round_, statement=longest, level=3)
    db.commit()
    return round_, statements, longest


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", "fiona")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def inside(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    assert box is not None, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] + 0.5, (selector, box, size)
    assert box["y"] + box["height"] <= size["height"] + 0.5, (selector, box, size)
    return box


def test_present_mode_fits_one_screen_and_the_keys_drive_it(live_server, page, room, db):
    round_, statements, longest = room
    sign_in(page, live_server)
    page.goto(f"{live_server}/rounds/{round_.id}/present")
    page.keyboard.press("s")  # show the spread: five groups of three
    page.wait_for_selector("#spread .app-present__group >> nth=4", timeout=3000)
    assert page.locator("#spread .app-present__group").count() >= 5
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        scrolls = page.evaluate(
            "[document.documentElement.scrollHeight > innerHeight,"
            " document.documentElement.scrollWidth > innerWidth]"
        )
        assert scrolls == [False, False], (width, height)
        assert inside(page, ".app-present__code")["height"] >= 96
        inside(page, ".app-present__qr svg")
        inside(page, "#present-statement")
        inside(page, ".app-present__hint")
        inside(page, "#spread")
        inside(page, ".app-present__comment")  # the whole 500 characters, not cut off
        inside(page, "#agreed-level")
        inside(page, ".app-present__joined")
        inside(page, ".app-present__answered")
        assert longest.text in page.locator("#present-statement").inner_text()
        assert LONG_COMMENT.strip() in page.locator(".app-present__comment").inner_text()
        assert "The team agreed: 3" in page.locator("#agreed-level").inner_text()
        joined = page.locator(".app-present__joined").inner_text()
        assert joined == "15 people have joined"
        answered = page.locator(".app-present__answered").inner_text()
        assert answered == "15 of 15 have answered this statement"
    page.set_viewport_size({"width": 1280, "height": 720})
    assert axe_violations(page) == []
    # at 320 px present mode may scroll down, but nothing is cut off sideways or breaks WCAG
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 720})
    assert page.locator("header, footer").count() == 0

    # → moves the room on (the spread starts hidden again), ← comes back
    ids = [s.id for s in statements]
    following = statements[ids.index(longest.id) + 1]
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "text => document.querySelector('#present-statement').textContent.includes(text)",
        arg=following.text[:40],
        timeout=3000,
    )
    assert page.locator("#spread").count() == 0
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "text => document.querySelector('#present-statement').textContent.includes(text)",
        arg=longest.text[:40],
        timeout=3000,
    )
    db.expire_all()
    assert db.get(Round, round_.id).current_statement_id == longest.id
    code = db.exec(select(Statement.code).where(Statement.id == following.id)).one()
    db.commit()  # end the read: on SQLite an open transaction holds the write lock

    # the facilitator moves from their own page (a second window): the screen follows in 3 s
    second = page.context.new_page()
    second.goto(f"{live_server}/rounds/{round_.id}")
    second.click("#next-statement")
    second.wait_for_load_state("load")
    page.wait_for_function(
        "text => document.querySelector('#present-statement').textContent.includes(text)",
        arg=following.text[:40],
        timeout=3000,
    )
    assert code in page.locator("#present-statement").inner_text()
    assert page.console_errors == []
