"""Refusal pages tell the truth: a closed plan says the plan is closed, a sixth priority says
a plan keeps at most five, a refused restore says why. Only a stale edit (its own page, both
versions side by side) says someone else changed it first."""

from __future__ import annotations

from app.accounts import service as accounts_service
from app.models import utcnow
from app.plans.service.priorities import SIXTH_PRIORITY, SIXTH_PRIORITY_TITLE
from tests.conftest import soup
from tests.plans_world import agreed_plan, make_world, statement

STALE = "Someone else changed this first"


def _heading(response) -> str:
    return soup(response).select_one("main h1").get_text(" ", strip=True)


def _closed(client, session):
    w = make_world(session)
    plan, priorities, actions = agreed_plan(session, w)
    client.login("fac")
    assert client.form(f"/plans/{plan.id}/close").status_code == 303
    return w, plan, priorities, actions


def test_the_sixth_priority_page_says_a_plan_has_at_most_five(client, session):
    w = make_world(session)
    plan, _p, _a = agreed_plan(session, w)
    data = {
        "title": "More",
        "impact": "high",
        "effort": "low",
        "staff_colead_id": w.staff.id,
        "service_user_colead_id": w.su.id,
        "statement_ids": [statement(session, w.framework, "C1.1").id],
    }
    session.commit()
    client.login("fac")
    for n in range(2):
        assert (
            client.form(f"/plans/{plan.id}/priorities", {**data, "title": f"P{n}"}).status_code
            == 303
        )
    sixth = client.form(f"/plans/{plan.id}/priorities", {**data, "title": "Sixth"})
    assert sixth.status_code == 409
    assert _heading(sixth) == SIXTH_PRIORITY_TITLE == "A plan has at most 5 priorities"
    assert SIXTH_PRIORITY in soup(sixth).select_one("main").text
    assert STALE not in sixth.text


def test_a_closed_plans_priority_edit_says_the_plan_is_closed(client, session):
    w, _plan, (p1, _p2, _p3), _a = _closed(client, session)
    page = client.get(f"/priorities/{p1.id}/edit")
    assert page.status_code == 409 and _heading(page) == "This plan is closed"
    saved = client.form(f"/priorities/{p1.id}", {"title": "New", "impact": "high", "effort": "low"})
    assert saved.status_code == 409 and _heading(saved) == "This plan is closed"
    assert STALE not in page.text + saved.text


def test_a_closed_plans_add_action_says_the_plan_is_closed(client, session):
    w, _plan, (p1, _p2, _p3), _a = _closed(client, session)
    page = client.get(f"/priorities/{p1.id}/actions/new")
    assert page.status_code == 409 and _heading(page) == "This plan is closed"
    added = client.form(f"/priorities/{p1.id}/actions", {"what": "One more"})
    assert added.status_code == 409 and _heading(added) == "This plan is closed"
    assert "Start a new plan" in soup(added).select_one("main").text
    assert STALE not in page.text + added.text


def test_a_co_leads_own_edit_on_a_closed_plan_says_the_plan_is_closed(client, session):
    w, _plan, (p1, _p2, _p3), _a = _closed(client, session)
    client.form("/logout")
    client.login("sue")  # co-leads priority 1
    page = client.get(f"/priorities/{p1.id}/own")
    assert page.status_code == 409 and _heading(page) == "This plan is closed"
    assert STALE not in page.text


def test_a_refused_restore_says_why_it_cannot_come_back(client, session):
    w = make_world(session)
    _plan, (p1, _p2, _p3), _a = agreed_plan(session, w)
    client.login("fac")
    client.form(f"/priorities/{p1.id}/remove")
    accounts_service.mark_left(session, member=w.staff, actor=w.fac_user, now=utcnow())
    session.commit()
    response = client.form(f"/priorities/{p1.id}/restore")
    assert response.status_code == 409
    assert _heading(response) == "This priority cannot come back as it is"
    assert "needs a staff co-lead" in soup(response).select_one("main").text
    assert STALE not in response.text


def test_a_closed_plan_refusal_to_htmx_is_a_small_block_that_says_so(client, session):
    w, _plan, (p1, _p2, _p3), _a = _closed(client, session)
    block = client.form(
        f"/priorities/{p1.id}/actions", {"what": "x"}, headers={"HX-Request": "true"}
    )
    assert block.status_code == 409 and block.headers["X-Refused"] == "409"
    assert "This plan is closed" in block.text and STALE not in block.text


def test_clearing_a_co_lead_without_a_replacement_is_a_form_message_not_a_conflict(client, session):
    w = make_world(session)
    _plan, (p1, _p2, _p3), _a = agreed_plan(session, w)
    data = {
        "title": p1.title,
        "impact": p1.impact,
        "effort": p1.effort,
        "staff_colead_id": "",
        "service_user_colead_id": w.su.id,
        "statement_ids": [statement(session, w.framework, "C1.1").id],
        "version": p1.version,
    }
    session.commit()
    client.login("fac")
    response = client.form(f"/priorities/{p1.id}", data)
    assert response.status_code == 422
    page = soup(response)
    assert "choose who takes over" in page.select_one("#staff_colead_id-error").get_text()
    assert page.select_one(".nhsuk-error-summary") is not None
    assert STALE not in response.text
