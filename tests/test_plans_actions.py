"""Actions: who may update, inline (htmx) and plain updates, stale edits, history, overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.core.dates import local_date
from app.models import Action, ActionUpdate, AuditEvent
from tests.conftest import soup
from tests.factories import make_user
from tests.plans_world import add_action, agreed_plan, make_world

HX = {"HX-Request": "true"}


def form_for(action: Action, **changes) -> dict:
    data = {
        "what": action.what,
        "owner_member_id": str(action.owner_member_id or ""),
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "status": action.status,
        "note": "",
        "version": str(action.version),
    }
    data.update(changes)
    return data


@pytest.fixture
def world(session):
    w = make_world(session)
    plan, priorities, actions = agreed_plan(session, w)
    return w, plan, priorities, actions


# who may update which action: (username, [may update a1, a2, a3])
# a1: Omar owns it; Sam (staff) and Sue (service user) co-lead its priority.
# a2: Mo (a member) owns it; its co-leads have no accounts.  a3: owned by Fran.
MATRIX = [
    ("fac", [True, True, True]),  # facilitator: all of the team's
    ("owner", [True, False, False]),  # owner: only their action
    ("staffer", [True, False, False]),  # co-lead: only their priority's actions
    ("sue", [True, False, False]),  # co-lead who uses the service
    ("member", [False, True, False]),  # a member: only the action they own
]


@pytest.mark.parametrize(("username", "allowed"), MATRIX)
def test_who_may_update_which_action(client, session, world, username, allowed):
    _w, _plan, _priorities, actions = world
    client.login(username)
    for action, may in zip(actions, allowed, strict=True):
        edit = client.get(f"/actions/{action.id}/edit")
        assert edit.status_code == (200 if may else 403), (username, action.what)
        response = client.form(
            f"/actions/{action.id}/update", form_for(action, status="in_progress")
        )
        assert response.status_code == (303 if may else 403), (username, action.what)
    session.commit()
    statuses = [session.get(Action, a.id) for a in actions]
    for action in statuses:
        session.refresh(action)
    assert [a.status == "in_progress" for a in statuses] == allowed


def test_a_member_who_owns_nothing_and_a_recovery_lead_cannot_update(
    client, make_client, session, world
):
    w, _plan, _priorities, (a1, _a2, _a3) = world
    from tests.factories import make_person

    make_person(session, w.team, "plain", perspective="staff")
    make_user(session, "lead", role="recovery_lead")
    for username in ("plain", "lead"):
        c = make_client()
        c.login(username)
        assert c.get(f"/actions/{a1.id}/edit").status_code == 403
        assert c.form(f"/actions/{a1.id}/update", form_for(a1, status="done")).status_code == 403
        assert c.get(f"/actions/{a1.id}").status_code == 200  # read-only view


def test_inline_update_swaps_the_row_and_records_history_and_audit(client, session, world, clock):
    w, plan, _priorities, (a1, _a2, _a3) = world
    client.login("sue")
    edit = client.get(f"/actions/{a1.id}/edit", headers=HX)
    fragment = soup(edit)
    assert fragment.select_one("html") is None  # only the block
    form = fragment.select_one(f"li#action-{a1.id} form")
    assert form["data-hx-post"] == f"/actions/{a1.id}/update"
    assert form["data-hx-target"] == f"#action-{a1.id}"
    response = client.form(
        f"/actions/{a1.id}/update",
        form_for(a1, status="in_progress", note="Two speakers said yes."),
        headers=HX,
    )
    assert response.status_code == 200
    row = soup(response).select_one(f"li#action-{a1.id}")
    assert row.select_one(".app-status").get_text(strip=True) == "In progress"
    session.commit()
    update = session.exec(
        select(ActionUpdate).where(ActionUpdate.action_id == a1.id).order_by(ActionUpdate.id.desc())
    ).first()
    assert (update.status_from, update.status_to, update.note) == (
        "not_started",
        "in_progress",
        "Two speakers said yes.",
    )
    assert update.author_user_id == w.su_user.id
    assert update.author_member_id == w.su.id
    event = session.exec(
        select(AuditEvent).where(AuditEvent.verb == "action.updated").order_by(AuditEvent.id.desc())
    ).first()
    assert event.entity_id == str(a1.id) and event.actor == "sue" and event.team_id == w.team.id
    session.commit()


def test_invalid_update_answers_422_in_the_same_row(client, session, world):
    _w, _plan, _priorities, (a1, _a2, _a3) = world
    client.login("fac")
    response = client.form(
        f"/actions/{a1.id}/update", form_for(a1, what="", due_on="31/02"), headers=HX
    )
    assert response.status_code == 422
    row = soup(response).select_one(f"li#action-{a1.id}")
    assert row.select_one(f"#what-{a1.id}-error")
    assert row.select_one(f"#due_on-{a1.id}-error")
    assert row.select_one(f"#due_on-{a1.id}")["value"] == "31/02"


@pytest.mark.parametrize("htmx", [True, False])
def test_stale_edit_is_refused_with_both_versions_and_nothing_overwritten(
    client, make_client, session, world, htmx
):
    _w, _plan, _priorities, (a1, _a2, _a3) = world
    stale = form_for(a1)
    client.login("fac")
    first = client.form(
        f"/actions/{a1.id}/update", {**stale, "what": "Invite four speakers", "status": "done"}
    )
    assert first.status_code == 303
    other = make_client()
    other.login("owner")
    response = other.form(
        f"/actions/{a1.id}/update",
        {**stale, "what": "Invite two speakers", "status": "stuck", "note": "Mine"},
        headers=HX if htmx else {},
    )
    assert response.status_code == 409
    page = soup(response)
    assert page.select_one(".app-conflict__theirs").get_text(strip=True) == "Invite four speakers"
    assert page.select_one(".app-conflict__yours").get_text(strip=True) == "Invite two speakers"
    # the form now holds their version (and its new version number)
    assert page.select_one(f"#what-{a1.id}")["value"] == "Invite four speakers"
    assert page.select_one('input[name="version"]')["value"] == "2"
    session.commit()
    session.refresh(a1)
    assert (a1.what, a1.status, a1.version) == ("Invite four speakers", "done", 2)
    notes = session.exec(select(ActionUpdate.note).where(ActionUpdate.action_id == a1.id)).all()
    assert "Mine" not in notes
    session.commit()


def test_history_is_newest_first_with_who_and_the_status_change(client, session, world, clock):
    _w, _plan, _priorities, (a1, _a2, _a3) = world
    client.login("owner")
    steps = [("in_progress", "Started"), ("stuck", "No room free"), ("in_progress", "Room found")]
    for status, note in steps:
        clock.advance(minutes=5)
        session.refresh(a1)
        session.commit()
        response = client.form(f"/actions/{a1.id}/update", form_for(a1, status=status, note=note))
        assert response.status_code == 303
    history = client.get(f"/actions/{a1.id}/history")
    assert history.status_code == 200, history.text[-3000:]
    page = soup(history)
    items = page.select(".app-history__item")
    notes = [i.select_one(".app-history__note").get_text(strip=True) for i in items]
    assert notes == ["Room found", "No room free", "Started", "Action added."]
    statuses = [i.select_one(".app-history__status").get_text(strip=True) for i in items]
    assert statuses == [
        "Status: Stuck → In progress",
        "Status: In progress → Stuck",
        "Status: Not started → In progress",
        "Status: Not started",
    ]
    assert "Omar Owner" in items[0].get_text()


def test_overdue_actions_stand_out_in_words(client, session, world, clock):
    w, plan, (p1, _p2, _p3), _actions = world
    today = local_date(clock.now)
    late = add_action(session, w, p1, "Late one", owner=w.owner, due_on=today - timedelta(days=2))
    done = add_action(
        session, w, p1, "Done one", owner=w.owner, due_on=today - timedelta(days=2), status="done"
    )
    client.login("fac")
    page = soup(client.get(f"/plans/{plan.id}"))
    row = page.select_one(f"li#action-{late.id}")
    assert "app-action--overdue" in row["class"]
    assert row.select_one(".app-overdue").get_text(strip=True) == "Overdue"
    assert row.select_one(".app-overdue-text").get_text(strip=True).startswith("was due")
    assert page.select_one(f"li#action-{done.id} .app-overdue") is None


def test_co_leads_and_facilitators_add_actions_others_cannot(client, make_client, session, world):
    w, _plan, (p1, p2, _p3), _actions = world
    client.login("sue")
    response = client.form(
        f"/priorities/{p1.id}/actions",
        {"what": "Ask the library", "owner_member_id": str(w.su.id), "due_on": "2026-06-01"},
    )
    assert response.status_code == 303
    assert client.get(f"/priorities/{p2.id}/actions/new").status_code == 403
    member = make_client()
    member.login("member")
    assert member.form(f"/priorities/{p1.id}/actions", {"what": "x"}).status_code == 403
    bad = client.form(f"/priorities/{p1.id}/actions", {"what": "", "owner_member_id": "99999"})
    assert bad.status_code == 422
    page = soup(bad)
    assert page.select_one("#what-error")


def test_updates_to_a_closed_plan_are_refused(client, session, world):
    _w, plan, _priorities, (a1, _a2, _a3) = world
    client.login("fac")
    assert client.form(f"/plans/{plan.id}/close").status_code == 303
    response = client.form(f"/actions/{a1.id}/update", form_for(a1, status="done"))
    assert response.status_code == 409
    session.commit()
    session.refresh(a1)
    assert a1.status == "not_started"


def test_helper_ideas_from_the_assets_register(client, session, world):
    from app.assets import service as assets_service

    w, _plan, (p1, _p2, _p3), (a1, _a2, _a3) = world
    assets_service.add_asset(
        session,
        team_id=w.team.id,
        kind="contact",
        description="Knows the speakers at the recovery college",
        perspective="staff",
        holder_member_id=w.staff.id,
    )
    assets_service.add_asset(
        session,
        team_id=w.team.id,
        kind="talent",
        description="Good at finding speakers",
        perspective="service_user",
        alias="Robin",
    )
    session.commit()
    client.login("fac")
    page = soup(client.get(f"/actions/{a1.id}/edit"))
    people = [li.get_text(" ", strip=True) for li in page.select(".app-helper-ideas__people li")]
    assert people and people[0].startswith("Sam Staff")
    ideas = [li.get_text(" ", strip=True) for li in page.select(".app-helper-ideas__aliases li")]
    assert ideas and "Good at finding speakers" in ideas[0]
    fragment = client.get(f"/priorities/{p1.id}/helper-ideas?what=recovery+college", headers=HX)
    assert soup(fragment).select_one(".app-helper-ideas__people")


def test_due_date_default_is_fine_without_one(client, session, world):
    w, plan, (p1, _p2, _p3), _actions = world
    client.login("fac")
    response = client.form(f"/priorities/{p1.id}/actions", {"what": "No date", "status": "done"})
    assert response.status_code == 303
    session.commit()
    action = session.exec(select(Action).where(Action.what == "No date")).one()
    assert action.due_on is None and action.status == "done"


def test_overdue_is_london_today_after_midnight_in_summer(client, session, clock):
    """00:30 on 2 July in London is still 1 July in UTC: an action due on 1 July is overdue
    (app.core.dates.today, the one "today", the same as /compare's)."""
    from datetime import UTC, date, datetime

    from tests.plans_world import add_action, agreed_plan, make_world

    w = make_world(session)
    _plan, (p1, _p2, _p3), _actions = agreed_plan(session, w)
    action = add_action(session, w, p1, "Due on the first", owner=w.owner, due_on=date(2026, 7, 1))
    clock.now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    client.login("fac")
    row = soup(client.get(f"/actions/{action.id}")).select_one(f"#action-{action.id}")
    assert "app-action--overdue" in row["class"]
    clock.now = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 23:30 on 1 July in London
    row = soup(client.get(f"/actions/{action.id}")).select_one(f"#action-{action.id}")
    assert "app-action--overdue" not in row["class"]
