"""A real browser: a staff member chooses email reminders from their account page (a wrong
address first), then stops them from the link in a mail, signed out. axe finds no WCAG 2.2
A/AA problems on these pages at 320 px and 1280 px; nothing scrolls sideways."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.db import make_engine
from app.models import ReminderChoice
from app.reminders import service
from tests.conftest import SECRET, axe_violations
from tests.factories import PASSWORD, make_person, make_team

pytestmark = pytest.mark.browser

WIDTHS = [320, 1280]


@pytest.fixture
def sam(database_url):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        user, _ = make_person(session, make_team(session, "Riverside North"), "sam")
        session.commit()
    yield user
    engine.dispose()


def choice(database_url, user_id: int) -> ReminderChoice | None:
    engine = make_engine(database_url, pool_size=1)
    try:
        with Session(engine, expire_on_commit=False) as session:
            return session.get(ReminderChoice, user_id)
    finally:
        engine.dispose()


def clean(page, width: int, refused: bool = False) -> None:
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
def test_choose_reminders_then_stop_them_from_the_mail(
    live_server, browser, page, sam, database_url, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/login")
    page.fill("#username", "sam")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/")

    page.goto(f"{live_server}/account")
    clean(page, width)
    page.click("a[href='/account/reminders']")
    page.wait_for_url(f"{live_server}/account/reminders")
    clean(page, width)

    page.fill("#email", "sam at the ward")
    page.check("input[name=notices][value=action_notices]")
    page.click("main button[type=submit]")
    page.wait_for_selector(".nhsuk-error-summary")
    assert "right form" in page.inner_text("#email-error")
    assert page.input_value("#email") == "sam at the ward"  # what was typed is kept
    clean(page, width, refused=True)

    page.fill("#email", "sam@nhs.test")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Your reminder choices are saved.")
    assert page.is_checked("input[name=notices][value=action_notices]")
    clean(page, width)
    assert choice(database_url, sam.id).action_notices

    # the link at the foot of a mail, opened in a mail program's browser: not signed in
    context = browser.new_context(viewport={"width": width, "height": 900})
    mail_reader = context.new_page()
    errors: list[str] = []
    mail_reader.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    mail_reader.console_errors = errors
    try:
        token = service.unsubscribe_token(SECRET, sam.id)
        mail_reader.goto(f"{live_server}/reminders/unsubscribe?t={token}")
        assert mail_reader.inner_text("h1") == "Stop reminder emails"
        clean(mail_reader, width)
        assert choice(database_url, sam.id).action_notices  # opening the link stops nothing
        mail_reader.click("main button[type=submit]")
        mail_reader.wait_for_selector(".app-unsubscribed")
        clean(mail_reader, width)
    finally:
        context.close()
    assert not choice(database_url, sam.id).action_notices
