"""A real browser: the facilitator opens a round, ratings arrive, the projector panel updates
without a reload once the spread is shown, the agreed rating is saved and the results show
it; axe finds no WCAG A/AA problems on the facilitator and results pages at 320 and 1280 px."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import AgreedRating, Participant, Rating
from app.rounds import queries
from tests.conftest import axe_violations
from tests.factories import PASSWORD, make_person, make_round, make_team, small_framework

pytestmark = pytest.mark.browser


@pytest.fixture
def db(database_url):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def setup(db):
    framework = small_framework(db)
    team = make_team(db, "Willow Ward", framework_key="small")
    make_person(db, team, "fiona", role="facilitator")
    round_ = make_round(db, team, framework, title="Baseline, Nov 2026")
    statements = queries.round_statements(db, round_)
    db.commit()
    return round_, statements


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", "fiona")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def rate(db, round_, statement, perspectives_levels) -> None:
    for index, (perspective, level) in enumerate(perspectives_levels):
        person = Participant(round_id=round_.id, token_hash=f"b{index}", perspective=perspective)
        db.add(person)
        db.flush()
        db.add(
            Rating(
                round_id=round_.id,
                participant_id=person.id,
                statement_id=statement.id,
                level=level,
                comment="More groups in the evening" if index == 0 else None,
            )
        )
    db.commit()


def check_axe(page, url: str) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.wait_for_load_state("load")
        violations = axe_violations(page)
        assert violations == [], f"{url} at {width}px: {violations}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"{url} at {width}px scrolls sideways"


def test_facilitator_runs_a_round_live_and_the_results_show_it(
    live_server, page, browser, setup, db
):
    round_, statements = setup
    base, rid, code = live_server, round_.id, round_.join_code
    sign_in(page, base)
    page.goto(f"{base}/rounds/{rid}")
    page.click("#open-round")
    page.wait_for_selector(".app-join-code__shown")
    assert page.inner_text(".app-join-code__shown") == code

    projector = page.context.new_page()
    projector.goto(f"{base}/rounds/{rid}/live")
    assert projector.inner_text("#live-panel .app-rated-count") == "0"
    projector.evaluate("window.stillHere = true")

    rate(
        db,
        round_,
        statements[0],
        [
            ("staff", 4),
            ("staff", 3),
            ("peer_worker", 3),
            ("service_user", 2),
            ("service_user", 2),
            ("service_user", 1),
        ],
    )
    page.click("#show-spread")
    page.wait_for_selector("#hide-spread")

    projector.wait_for_selector("#spread", timeout=8000)
    assert projector.inner_text("#live-panel .app-rated-count") == "6"
    assert projector.evaluate("window.stillHere === true")  # no reload: htmx swapped it
    staff = projector.locator('[data-group="staff_side"] .app-spread__count')
    assert staff.all_inner_texts() == ["0", "0", "2", "1", "0"]

    page.reload()
    page.check("#level-3")  # the third option: level 3
    page.fill("#well_notes", "We ask about hopes first")
    page.click("#save-agreed")
    page.wait_for_selector("#agree .app-flash")
    db.expire_all()
    saved = db.exec(select(AgreedRating)).one()
    db.commit()
    assert (saved.level, saved.well_notes) == (3, "We ask about hopes first")
    assert page.console_errors == []

    check_axe(page, f"{base}/rounds/{rid}")

    page.goto(f"{base}/rounds/{rid}")
    page.click("#close-round")
    page.wait_for_selector("#reopen-round")
    page.goto(f"{base}/rounds/{rid}/results")
    level = page.inner_text('.app-statement-result[data-code="C1.1"] .app-agreed-level')
    assert re.match(r"3 – Developing", level)
    check_axe(page, f"{base}/rounds/{rid}/results")
    check_axe(page, f"{base}/rounds/{rid}/paper")
    projector.close()
