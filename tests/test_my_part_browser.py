"""My part in a real Chromium: a co-lead who uses the service goes from an invitation link to
My part on a 360 × 740 phone and updates an action (status and a progress note); each priority
card fits in three screens with 5 actions shown and the rest behind "show all"; axe-core clean
at 320 and 1280 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.accounts.service.invitations import create_invitation
from app.core.dates import local_date
from app.models import Action, ActionUpdate, TeamMember
from tests.conftest import axe_violations
from tests.plans_world import add_action, add_priority, agreed_plan, make_world

pytestmark = pytest.mark.browser
PASSWORD = "a kettle on the windowsill"
SCREENS = 3 * 740  # a priority card fits in three phone screens


def _uma_coleads(session, clock):
    """An agreed plan, plus a priority co-led by Uma (on the list, no account yet) with 7
    actions of real length; an invitation link for Uma."""
    w = make_world(session)
    plan, _priorities, _actions = agreed_plan(session, w)
    priority = add_priority(
        session, w, plan, "Groups people choose", staff=w.staff, service_user=w.su2
    )
    priority.why = (
        "People told us the groups on the ward are chosen for them. We want people who use "
        "the service to shape what is on offer and when."
    )
    session.add(priority)
    session.commit()
    today = local_date(clock.now)
    for n in range(7):
        add_action(
            session,
            w,
            priority,
            f"Ask people on the ward which group they would run or join, round {n + 1}",
            owner=w.su2 if n % 2 else w.staff,
            due_on=today + timedelta(days=14 * (n + 1)),
        )
    _invitation, token = create_invitation(
        session, team=w.team, member=w.su2, actor=w.fac_user, now=clock.now
    )
    session.commit()
    return w, priority, token


def _phone(browser, width: int = 360, height: int = 740):
    context = browser.new_context(viewport={"width": width, "height": height})
    return context, context.new_page()


def _accept(page, base: str, token: str) -> None:
    page.goto(f"{base}/invite/{token}")
    page.fill("#username", "uma")
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/my-part")


def test_invitation_to_my_part_and_an_action_updated_at_360(live_server, browser, session, clock):
    w, priority, token = _uma_coleads(session, clock)
    context, page = _phone(browser)
    try:
        _accept(page, live_server, token)
        card = page.locator(f"#my-priority-{priority.id}")
        expect(card.locator("h2")).to_have_text("Groups people choose")
        expect(card).to_contain_text("You are the co-lead who uses the service")
        # 5 actions in view, the other 2 behind "show all"
        assert card.locator(":scope > div > ul.app-my-actions > li").count() == 5
        more = card.locator("details.app-my-more")
        expect(more.locator(":scope > summary")).to_contain_text("Show all 7 actions")
        assert more.locator("ul.app-my-actions > li").count() == 2
        height = card.bounding_box()["height"]
        assert height <= SCREENS, f"the card is {height:.0f}px tall, over three screens"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        first = session.exec(
            select(Action).where(Action.priority_id == priority.id).order_by(Action.id)
        ).first()
        session.commit()
        item = page.locator(f"#my-action-{first.id}")
        item.locator("summary").click()
        item.locator(f"#note-{first.id}").fill("Six people said they would run a walking group.")
        item.locator("button[name=status][value=in_progress]").click()
        # the swapped-in item: its status tag says so, and "In progress" is no longer offered
        # (the button's own label matched before the save was answered)
        swapped = page.locator(f"#my-action-{first.id}")
        expect(swapped.locator(".app-status")).to_have_text("In progress")
        expect(swapped.locator("button[name=status][value=in_progress]")).to_have_count(0)
    finally:
        context.close()
    session.expire_all()
    saved = session.get(Action, first.id)
    assert saved.status == "in_progress"
    uma = session.get(TeamMember, w.su2.id)
    updates = session.exec(
        select(ActionUpdate).where(ActionUpdate.action_id == first.id).order_by(ActionUpdate.id)
    ).all()
    session.commit()
    mine = [
        (u.note, u.status_from, u.status_to) for u in updates if u.author_user_id == uma.user_id
    ]
    assert mine == [
        ("Six people said they would run a walking group.", "not_started", "in_progress")
    ]


@pytest.mark.parametrize("width", [320, 1280])
def test_my_part_is_accessible(live_server, browser, session, clock, width):
    _w, priority, token = _uma_coleads(session, clock)
    context, page = _phone(browser, width=width, height=800)
    try:
        _accept(page, live_server, token)
        assert axe_violations(page) == []
        page.locator(f"#my-priority-{priority.id} details.app-my-more > summary").click()
        assert axe_violations(page) == []
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"My part is {scroll}px wide at {width}px"
    finally:
        context.close()
