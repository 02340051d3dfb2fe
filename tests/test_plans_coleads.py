"""The co-lead rule as an invariant: from agreement on, every priority shows whether it has,
today, a staff co-lead and a co-lead who uses the service. Edits that would break it are
refused with the reason; changes made elsewhere mark the priority wherever it is shown."""

from __future__ import annotations

from sqlmodel import select

from app.accounts import service as accounts_service
from app.models import AuditEvent, Priority
from app.plans import queries as plans_queries
from app.plans.service.priorities import KEEP_SERVICE_USER_COLEAD, SIXTH_PRIORITY
from tests.conftest import soup
from tests.plans_world import add_priority, agreed_plan, draft_plan, make_world, statement

NEEDS_USER = "needs a co-lead who uses the service"
NEEDS_STAFF = "needs a staff co-lead"


def _world(session):
    w = make_world(session)
    plan, priorities, actions = agreed_plan(session, w)
    return w, plan, priorities, actions


def _form(w, session, priority, **changes):
    data = {
        "title": priority.title,
        "why": priority.why,
        "impact": priority.impact,
        "effort": priority.effort,
        "staff_colead_id": priority.staff_colead_id or "",
        "service_user_colead_id": priority.service_user_colead_id or "",
        "statement_ids": [statement(session, w.framework, "C1.1").id],
        "version": priority.version,
    }
    return {**data, **changes}


def test_after_agreeing_clearing_a_co_lead_is_refused_with_the_reason(client, session):
    w, plan, (p1, _p2, _p3), _a = _world(session)
    pid = p1.id
    data = _form(w, session, p1, service_user_colead_id="")
    session.commit()
    client.login("fac")
    response = client.form(f"/priorities/{p1.id}", data)
    assert response.status_code == 422
    error = soup(response).select_one("#service_user_colead_id-error")
    assert error is not None and KEEP_SERVICE_USER_COLEAD in error.get_text()
    assert session.get(Priority, pid, populate_existing=True).service_user_colead_id == w.su.id
    session.commit()


def test_after_agreeing_a_priority_without_both_co_leads_or_a_sixth_is_refused(client, session):
    w, plan, _p, _a = _world(session)
    client.login("fac")
    url = f"/plans/{plan.id}/priorities"
    data = {
        "title": "Half led",
        "impact": "high",
        "effort": "low",
        "staff_colead_id": w.staff.id,
        "statement_ids": [statement(session, w.framework, "C1.1").id],
    }
    session.commit()
    refused = client.form(url, data)
    assert refused.status_code == 422
    assert "keeps a co-lead who uses the service" in refused.text
    for n in range(2):  # up to five is fine
        ok = client.form(url, {**data, "title": f"Also {n}", "service_user_colead_id": w.su.id})
        assert ok.status_code == 303
    sixth = client.form(url, {**data, "title": "Sixth", "service_user_colead_id": w.su.id})
    assert sixth.status_code == 409 and SIXTH_PRIORITY in soup(sixth).text
    titles = session.exec(select(Priority.title).where(Priority.plan_id == plan.id)).all()
    session.commit()
    assert "Sixth" not in titles and "Half led" not in titles and len(titles) == 5


def test_a_co_lead_becoming_a_peer_worker_marks_the_priority_everywhere(client, session):
    w, plan, (p1, _p2, _p3), _a = _world(session)
    # Sue (who uses the service) becomes a peer support worker: common, and made elsewhere
    accounts_service.change_person(
        session, member=w.su, display_name="Sue User", perspective="peer_worker",
        role="member", actor=w.fac_user,
    )  # fmt: skip
    session.commit()
    assert plans_queries.colead_needs(session, [p1.id]) == {p1.id: [NEEDS_USER]}
    assert plans_queries.coled_today(session, [plan.id]) == {plan.id: (2, 3)}
    session.commit()
    client.login("fac")
    page = soup(client.get(f"/plans/{plan.id}"))
    card = page.select_one(f"#priority-{p1.id}")
    assert f"This priority {NEEDS_USER}" in card.select_one(".app-colead-needs").text
    user_side = card.select_one(".app-colead--service-user").get_text(" ", strip=True)
    assert "no longer counts" in user_side  # never "Uses the service: Sue User." alone
    team = soup(client.get(f"/teams/{w.team.id}"))
    assert NEEDS_USER in team.select_one(".app-glance .app-colead-needs").text
    home = soup(client.get("/"))
    needing = home.select_one(".app-needs-colead")
    assert needing is not None and "Recovery stories" in needing.text and NEEDS_USER in needing.text
    client.form("/logout")
    client.login("staffer")  # the staff co-lead of the same priority
    mine = soup(client.get("/my-part")).select_one(f"#my-priority-{p1.id}")
    assert NEEDS_USER in mine.select_one(".app-colead-needs").text


def test_a_co_lead_leaving_or_switched_off_no_longer_counts(client, session, clock):
    w, plan, (p1, p2, p3), _a = _world(session)
    accounts_service.mark_left(session, member=w.staff, actor=w.fac_user, now=clock.now)
    accounts_service.deactivate(session, user=w.su_user, actor=w.fac_user)
    session.commit()
    needs = plans_queries.colead_needs(session, [p1.id, p2.id, p3.id])
    assert needs == {p1.id: [NEEDS_STAFF, NEEDS_USER], p2.id: [], p3.id: []}
    assert plans_queries.coled_today(session, [plan.id]) == {plan.id: (2, 3)}
    session.commit()


def test_a_co_lead_who_left_does_not_count_on_a_new_plan(session, clock):
    w = make_world(session)
    plan = draft_plan(session, w)
    for title in ("One", "Two", "Three"):
        add_priority(session, w, plan, title, staff=w.staff, service_user=w.su)
    accounts_service.mark_left(session, member=w.staff, actor=w.fac_user, now=clock.now)
    session.commit()
    problems = plans_queries.plans.agree_problems(session, plan)
    assert "'One' needs a co-lead who is staff or a peer support worker" in problems


def test_removing_a_priority_is_a_soft_delete_a_facilitator_restores(client, session):
    w, plan, (p1, _p2, _p3), _a = _world(session)
    client.login("fac")
    assert client.form(f"/priorities/{p1.id}/remove").status_code == 303
    assert session.get(Priority, p1.id, populate_existing=True).removed_at is not None
    session.commit()
    page = soup(client.get(f"/plans/{plan.id}"))
    assert page.select_one(f"#priority-{p1.id}") is None
    assert "Recovery stories" in page.select_one(".app-removed-priorities").text
    assert client.get(f"/priorities/{p1.id}").status_code == 404
    assert "Recovery stories" not in client.get(f"/teams/{w.team.id}/plan.csv").text
    client.form("/logout")
    client.login("sue")  # a co-lead, not a facilitator
    assert client.form(f"/priorities/{p1.id}/restore").status_code == 403
    client.form("/logout")
    client.login("fac")
    assert client.form(f"/priorities/{p1.id}/restore").status_code == 303
    assert session.get(Priority, p1.id, populate_existing=True).removed_at is None
    verbs = session.exec(select(AuditEvent.verb).where(AuditEvent.entity_id == str(p1.id))).all()
    session.commit()
    assert "priority.removed" in verbs and "priority.restored" in verbs


def test_a_removed_priority_without_co_leads_today_does_not_come_back(client, session, clock):
    w, plan, (p1, _p2, _p3), _a = _world(session)
    client.login("fac")
    client.form(f"/priorities/{p1.id}/remove")
    accounts_service.mark_left(session, member=w.staff, actor=w.fac_user, now=clock.now)
    session.commit()
    response = client.form(f"/priorities/{p1.id}/restore")
    assert response.status_code == 409 and "cannot come back" in response.text
    assert session.get(Priority, p1.id, populate_existing=True).removed_at is not None
    session.commit()


def test_naming_a_co_lead_whose_account_is_switched_off_is_refused(client, session):
    """The form counts co-leads as the rule does today: a member whose account is switched
    off cannot be named, even though they are still on the team's list."""
    w, plan, (p1, _p2, _p3), _a = _world(session)
    pid = p1.id
    accounts_service.deactivate(session, user=w.su_user, actor=w.fac_user)
    data = _form(w, session, p1, title="Still led")
    session.commit()
    client.login("fac")
    response = client.form(f"/priorities/{pid}", data)
    assert response.status_code == 422
    error = soup(response).select_one("#service_user_colead_id-error")
    assert error is not None and "person who uses the service" in error.get_text()
    assert session.get(Priority, pid, populate_existing=True).title != "Still led"
    session.commit()
