"""My part (/my-part): what a person co-leads and owns, one-tap updates, a co-lead's own
title and why; the old My work address leads there; home links to it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.core.dates import local_date
from app.models import ActionUpdate, AuditEvent, Priority
from tests.conftest import soup
from tests.plans_world import add_action, agreed_plan, make_world


def _world(session):
    w = make_world(session)
    plan, priorities, actions = agreed_plan(session, w)
    return w, plan, priorities, actions


def test_owned_actions_overdue_first_and_co_led_priorities(client, session, clock):
    w, plan, (p1, p2, _p3), _a = _world(session)
    today = local_date(clock.now)
    add_action(session, w, p2, "Later", owner=w.owner, due_on=today + timedelta(days=30))
    add_action(session, w, p2, "Way late", owner=w.owner, due_on=today - timedelta(days=400))
    client.login("owner")
    page = soup(client.get("/my-part"))
    assert page.select_one("h1").get_text(strip=True) == "My part"
    items = page.select(".app-my-owned > li")
    titles = [li.select_one(".app-my-action__what").get_text(strip=True) for li in items]
    overdue = [bool(li.select_one(".app-overdue")) for li in items]
    assert overdue == sorted(overdue, reverse=True)  # overdue first
    assert titles[0] == "Way late" and "Later" in titles and "Invite speakers" in titles
    assert not page.select(".app-my-priority")
    client.form("/logout")
    client.login("sue")
    page = soup(client.get("/my-part"))
    led = [s.select_one("h2").get_text(strip=True) for s in page.select(".app-my-priority")]
    assert led == ["Recovery stories"]
    card = page.select_one(".app-my-priority")
    assert "You are the co-lead who uses the service" in card.text
    assert "Invite speakers" in card.text and "Omar Owner" in card.text  # who does it
    assert "1 Apr 2026" in card.text  # what is due


def test_old_my_work_leads_to_my_part_and_home_links_there(client, session):
    _world(session)
    client.login("sue")
    response = client.get("/my-work", follow_redirects=False)
    assert response.status_code in (303, 307) and response.headers["location"] == "/my-part"
    home = soup(client.get("/"))
    assert home.select_one(".app-my-part-link a")["href"] == "/my-part"
    assert "1 priority you co-lead" in home.select_one(".app-my-part-link").text


def test_one_tap_marks_an_action_done_with_a_note_and_keeps_its_people(client, session):
    w, plan, (p1, _p2, _p3), (a1, _a2, _a3) = _world(session)
    client.login("sue")  # a co-lead who uses the service, not the owner
    form = soup(client.get("/my-part")).select_one(f"#my-action-{a1.id} form")
    version = form.select_one("input[name=version]")["value"]
    data = {"status": "done", "note": "Two speakers booked", "version": version}
    response = client.form(f"/actions/{a1.id}/progress", data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/my-part#my-action-{a1.id}"
    session.refresh(a1)
    assert a1.status == "done" and a1.owner_member_id == w.owner.id
    assert a1.due_on is not None  # the rest of the action is as it was
    notes = session.exec(select(ActionUpdate.note).where(ActionUpdate.action_id == a1.id)).all()
    assert "Two speakers booked" in notes


def test_one_tap_with_htmx_answers_the_card_and_a_stale_tap_says_so(client, session):
    w, plan, (p1, _p2, _p3), (a1, _a2, _a3) = _world(session)
    client.login("owner")
    hx = {"HX-Request": "true"}
    data = {"status": "in_progress", "version": a1.version}
    response = client.form(f"/actions/{a1.id}/progress", data, headers=hx)
    assert response.status_code == 200
    card = soup(response).select_one(f"#my-action-{a1.id}")
    assert card is not None and "In progress" in card.text
    assert soup(response).select_one("h1") is None  # a fragment, not a page
    stale = client.form(f"/actions/{a1.id}/progress", data, headers=hx)  # the old version
    assert stale.status_code == 409
    assert "Someone else updated this action first" in stale.text
    empty = client.form(f"/actions/{a1.id}/progress", {"version": a1.version + 1})
    assert empty.status_code == 422
    assert "Tap a status, or write a progress note" in empty.text


def test_a_closed_plans_action_says_the_plan_is_closed(client, session):
    w, plan, (p1, _p2, _p3), (a1, _a2, _a3) = _world(session)
    client.login("fac")
    client.form(f"/plans/{plan.id}/close")
    for url in (f"/actions/{a1.id}/edit",):
        response = client.get(url)
        assert response.status_code == 409
        assert "plan is closed" in soup(response).select_one("h1").get_text().lower()
        assert "Someone else changed this first" not in response.text
    response = client.form(f"/actions/{a1.id}/progress", {"status": "done", "version": 1})
    assert response.status_code == 409 and "plan is closed" in response.text.lower()


def test_a_priority_shows_five_actions_and_the_rest_behind_show_all(client, session):
    w, plan, (p1, _p2, _p3), _a = _world(session)
    for n in range(6):
        add_action(session, w, p1, f"Step {n}", owner=w.owner)
    client.login("sue")
    card = soup(client.get("/my-part")).select_one(f"#my-priority-{p1.id}")
    shown = card.select(".nhsuk-card__content > .app-my-actions > li")
    hidden = card.select("details.app-my-more li")
    assert len(shown) == 5 and len(hidden) == 2
    assert "Show all 7 actions" in card.select_one("details.app-my-more summary").text


def test_a_co_lead_changes_their_priority_title_and_why_audited(client, session):
    w, plan, (p1, p2, _p3), _a = _world(session)
    client.login("sue")
    page = soup(client.get(f"/priorities/{p1.id}/own"))
    version = page.select_one("input[name=version]")["value"]
    data = {"title": "Our recovery stories", "why": "People hear hope", "version": version}
    response = client.form(f"/priorities/{p1.id}/own", data)
    assert response.status_code == 303
    session.refresh(p1)
    session.commit()
    assert (p1.title, p1.why) == ("Our recovery stories", "People hear hope")
    assert p1.service_user_colead_id == w.su.id  # nothing else changed
    event = session.exec(
        select(AuditEvent)
        .where(AuditEvent.verb == "priority.updated")
        .order_by(AuditEvent.id.desc())
    ).first()
    session.commit()
    assert event.entity_id == str(p1.id) and event.detail["changed"] == ["title", "why"]
    assert client.form(f"/priorities/{p1.id}/own", data).status_code == 409  # stale version
    blank = client.form(f"/priorities/{p1.id}/own", {"title": "", "version": p1.version})
    assert blank.status_code == 422 and soup(blank).select_one("#title-error") is not None
    # not a co-lead of Peer training
    assert client.form(f"/priorities/{p2.id}/own", data).status_code == 403
    session.expire_all()
    assert session.get(Priority, p2.id).title == "Peer training"
