"""Plans: the co-lead rule, the 3–5 rule, quadrants, pages, carry-forward, invitations."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.core.dates import local_date
from app.core.levels import quadrant
from app.models import Action, AuditEvent, Priority, PriorityStatement
from app.plans.queries import plans as plan_queries
from app.plans.service import plans as plans_service
from tests.conftest import soup
from tests.plans_world import (
    add_action,
    add_priority,
    agreed_plan,
    draft_plan,
    make_world,
    statement,
)


@pytest.mark.parametrize(
    ("impact", "effort", "expected"),
    [
        ("high", "low", "quick win"),
        ("high", "high", "major project"),
        ("low", "low", "fill-in"),
        ("low", "high", "think again"),
    ],
)
def test_all_four_quadrants_on_the_grid(client, session, impact, effort, expected):
    w = make_world(session)
    plan = draft_plan(session, w)
    p = add_priority(session, w, plan, f"P {expected}", impact=impact, effort=effort)
    assert quadrant(impact, effort) == expected
    client.login("fac")
    page = soup(client.get(f"/plans/{plan.id}"))
    cell = page.select_one(f'td.app-quadrant[data-quadrant="{expected}"]')
    assert [a.get_text(strip=True) for a in cell.select("a")] == [p.title]
    # the grid is a table with headings, not colour only
    assert [th.get_text(strip=True) for th in page.select(".app-quadrants thead th")] == [
        "Little work",
        "Lots of work",
    ]
    assert [th.get_text(strip=True) for th in page.select(".app-quadrants tbody th")] == [
        "Big difference",
        "Small difference",
    ]


def test_three_to_five_rule_names_exactly_what_is_missing(client, session):
    w = make_world(session)
    plan = draft_plan(session, w)
    add_priority(session, w, plan, "Recovery stories", staff=w.staff)
    add_priority(session, w, plan, "Peer training", staff=w.peer, service_user=w.su)
    assert plan_queries.agree_problems(session, plan) == [
        "Add at least 3 priorities: there are 2",
        "'Recovery stories' needs a co-lead who uses the service",
    ]
    session.commit()  # end the read (SQLite: an open transaction holds the write lock)
    client.login("fac")
    response = client.form(f"/plans/{plan.id}/agree")
    assert response.status_code == 422
    problems = [li.get_text(strip=True) for li in soup(response).select(".app-agree-problems li")]
    assert problems == [
        "Add at least 3 priorities: there are 2",
        "'Recovery stories' needs a co-lead who uses the service",
    ]
    session.refresh(plan)
    assert plan.status == "draft"


def test_one_priority_and_six_priorities(session):
    w = make_world(session)
    plan = draft_plan(session, w)
    add_priority(session, w, plan, "Only", service_user=w.su)
    assert plan_queries.agree_problems(session, plan) == [
        "Add at least 3 priorities: there is 1",
        "'Only' needs a co-lead who is staff or a peer support worker",
    ]
    for n in range(5):
        add_priority(session, w, plan, f"More {n}", staff=w.staff, service_user=w.su)
    session.exec(select(Priority)).all()
    problems = plan_queries.agree_problems(session, plan)
    assert problems[0] == "Keep to 5 priorities at most: there are 6"


def test_agreeing_sets_review_due_three_months_later_and_audits(client, session, clock):
    w = make_world(session)
    plan = draft_plan(session, w)
    for title in ("One", "Two", "Three"):
        add_priority(session, w, plan, title, staff=w.staff, service_user=w.su)
    client.login("fac")
    response = client.form(f"/plans/{plan.id}/agree")
    assert response.status_code == 303
    session.refresh(plan)
    today = local_date(clock.now)
    assert plan.status == "agreed"
    assert plan.agreed_on == today
    assert plan.review_due == plans_service.add_months(today, 3)
    verbs = session.exec(select(AuditEvent.verb).where(AuditEvent.entity == "plan")).all()
    assert "plan.agreed" in verbs
    session.commit()
    # the review date can be changed
    response = client.form(f"/plans/{plan.id}/review-due", {"review_due": "2027-01-15"})
    assert response.status_code == 303
    session.refresh(plan)
    assert plan.review_due == date(2027, 1, 15)
    session.commit()
    bad = client.form(f"/plans/{plan.id}/review-due", {"review_due": "soon"})
    assert bad.status_code == 422
    assert soup(bad).select_one("#review_due-error")


def test_co_lead_rule_checks_perspectives_with_plain_messages(client, session):
    w = make_world(session)
    plan = draft_plan(session, w)
    client.login("fac")
    c11 = statement(session, w.framework, "C1.1")
    session.commit()
    response = client.form(
        f"/plans/{plan.id}/priorities",
        {
            "title": "Recovery stories",
            "impact": "high",
            "effort": "low",
            "statement_ids": str(c11.id),
            # the wrong way round: a person using the service as staff co-lead and v.v.
            "staff_colead_id": str(w.su.id),
            "service_user_colead_id": str(w.staff.id),
        },
    )
    assert response.status_code == 422
    page = soup(response)
    assert "staff member or peer support worker" in page.select_one("#staff_colead_id-error").text
    assert "uses the service" in page.select_one("#service_user_colead_id-error").text
    assert page.select_one("input#title")["value"] == "Recovery stories"
    # a carer is neither
    response = client.form(
        f"/plans/{plan.id}/priorities",
        {
            "title": "Recovery stories",
            "impact": "high",
            "effort": "low",
            "statement_ids": str(c11.id),
            "staff_colead_id": str(w.member.id),
        },
    )
    assert response.status_code == 422
    # right way round: saved, with its statement
    response = client.form(
        f"/plans/{plan.id}/priorities",
        {
            "title": "Recovery stories",
            "impact": "high",
            "effort": "low",
            "statement_ids": str(c11.id),
            "staff_colead_id": str(w.peer.id),
            "service_user_colead_id": str(w.su.id),
            "helper_ids": [str(w.owner.id)],
        },
    )
    assert response.status_code == 303
    priority = session.exec(select(Priority).where(Priority.plan_id == plan.id)).one()
    assert (priority.staff_colead_id, priority.service_user_colead_id) == (w.peer.id, w.su.id)
    links = session.exec(
        select(PriorityStatement.statement_id).where(PriorityStatement.priority_id == priority.id)
    ).all()
    assert links == [c11.id]


def test_a_priority_needs_a_statement_from_the_plans_round(client, session):
    w = make_world(session)
    plan = draft_plan(session, w)
    client.login("fac")
    response = client.form(
        f"/plans/{plan.id}/priorities", {"title": "Vague", "impact": "low", "effort": "low"}
    )
    assert response.status_code == 422
    assert soup(response).select_one("#statement_ids-error")


def test_stale_priority_edit_is_refused_with_both_versions(client, session):
    w = make_world(session)
    plan = draft_plan(session, w)
    p = add_priority(session, w, plan, "Recovery stories", staff=w.staff, service_user=w.su)
    c11 = statement(session, w.framework, "C1.1")
    session.commit()
    form = {
        "title": "First edit",
        "impact": "high",
        "effort": "low",
        "statement_ids": str(c11.id),
        "staff_colead_id": str(w.staff.id),
        "service_user_colead_id": str(w.su.id),
        "version": "1",
    }
    client.login("fac")
    assert client.form(f"/priorities/{p.id}", form).status_code == 303
    response = client.form(f"/priorities/{p.id}", {**form, "title": "Second edit"})
    assert response.status_code == 409
    page = soup(response)
    assert "Second edit" in page.select_one(".app-conflict__yours").text
    assert page.select_one("input#title")["value"] == "First edit"
    session.refresh(p)
    assert p.title == "First edit"


def test_plan_page_shows_names_inside_and_perspectives_outside(client, make_client, session):
    from tests.factories import make_user

    w = make_world(session)
    plan, _priorities, (_a1, a2, _a3) = agreed_plan(session, w)
    make_user(session, "lead", role="recovery_lead")
    client.login("member")
    page = soup(client.get(f"/teams/{w.team.id}/plan"))
    first = page.select_one(".app-priority")
    assert first.select_one(".app-colead--service-user").get_text(strip=True) == "Sue User"
    # Mo (a member) owns one action: only that one has an update link; no plan editing
    assert [a["href"] for a in page.select(".app-action__update")] == [f"/actions/{a2.id}/edit"]
    assert not page.select('a[href$="/priorities/new"]')
    lead = make_client()
    lead.login("lead")
    response = lead.get(f"/teams/{w.team.id}/plan")
    assert response.status_code == 200
    page = soup(response)
    text = page.select_one("main").get_text(" ")
    for name in ("Sue User", "Sam Staff", "Omar Owner", "Pat Peer", "Fran Facilitator"):
        assert name not in text
    coleads = page.select_one(".app-priority .app-coleads").get_text(" ", strip=True)
    assert coleads == "Co-led by staff and a person using the service"
    assert page.select_one(".app-action__owner").get_text(strip=True) == "Staff"
    assert lead.get(f"/rounds/{w.round.id}/suggestions").status_code == 404
    assert lead.get(f"/teams/{w.team.id}/celebrations").status_code == 404


def test_other_teams_plans_are_not_found(client, session):
    w = make_world(session)
    plan, (p1, _p2, _p3), (a1, _a2, _a3) = agreed_plan(session, w)
    make_world(session, "Team B", prefix="b")
    client.login("bfac")
    for url in (
        f"/plans/{plan.id}",
        f"/priorities/{p1.id}",
        f"/actions/{a1.id}",
        f"/actions/{a1.id}/history",
        f"/teams/{w.team.id}/plan",
        f"/teams/{w.team.id}/plan.csv",
        f"/rounds/{w.round.id}/suggestions",
    ):
        assert client.get(url).status_code == 404, url


def test_one_current_plan_and_history(client, session):
    w = make_world(session)
    old, _priorities, _actions = agreed_plan(session, w)
    client.login("fac")
    response = client.form(
        f"/teams/{w.team.id}/plans", {"title": "Second plan", "source_round_id": str(w.round.id)}
    )
    assert response.status_code == 303
    session.refresh(old)
    assert old.status == "closed"
    current = plan_queries.current_plan(session, w.team.id)
    assert current.title == "Second plan"
    session.commit()
    history = soup(client.get(f"/teams/{w.team.id}/plans"))
    assert [a.get_text(strip=True) for a in history.select(".app-plan-history a")] == [
        "Second plan",
        "Our plan",
    ]
    # a closed plan is read-only
    page = soup(client.get(f"/plans/{old.id}"))
    assert not page.select(".app-action__update")


def test_carry_forward_copies_chosen_open_actions(client, session):
    w = make_world(session)
    old, (p1, p2, _p3), (a1, a2, a3) = agreed_plan(session, w)
    done = add_action(session, w, p1, "Already done", owner=w.owner, status="done")
    client.login("fac")
    page = soup(client.get(f"/teams/{w.team.id}/plans/new"))
    offered = {int(i["value"]) for i in page.select('input[name="carry_action_ids"]')}
    assert offered == {a1.id, a2.id, a3.id}  # open ones only
    assert done.id not in offered
    response = client.form(
        f"/teams/{w.team.id}/plans",
        {
            "title": "Next plan",
            "source_round_id": str(w.round.id),
            "carry_action_ids": [str(a1.id), str(a2.id), str(done.id)],
        },
    )
    assert response.status_code == 303
    new = plan_queries.current_plan(session, w.team.id)
    carried = session.exec(
        select(Action)
        .join(Priority, Priority.id == Action.priority_id)
        .where(Priority.plan_id == new.id)
        .order_by(Action.id)
    ).all()
    assert [(c.what, c.carried_from_action_id) for c in carried] == [
        ("Invite speakers", a1.id),
        ("Book a trainer", a2.id),
    ]
    priorities = session.exec(
        select(Priority).where(Priority.plan_id == new.id).order_by(Priority.position)
    ).all()
    assert [(p.title, p.staff_colead_id, p.service_user_colead_id) for p in priorities] == [
        ("Recovery stories", w.staff.id, w.su.id),
        ("Peer training", w.peer.id, w.su2.id),
    ]
    session.refresh(old)
    assert old.status == "closed"


def test_members_cannot_start_plans_or_add_priorities(client, session):
    w = make_world(session)
    plan = draft_plan(session, w)
    client.login("member")
    assert client.get(f"/teams/{w.team.id}/plans/new").status_code == 403
    assert client.form(f"/teams/{w.team.id}/plans", {"title": "x"}).status_code == 403
    assert client.get(f"/plans/{plan.id}/priorities/new").status_code == 403
    assert client.form(f"/plans/{plan.id}/agree").status_code == 403


def test_naming_someone_without_an_account_offers_an_invitation(client, session):
    w = make_world(session)
    agreed_plan(session, w)
    client.login("fac")
    page = soup(client.get(f"/teams/{w.team.id}/plan"))
    offers = page.select(".app-invite-offers form")
    offered = {int(f.select_one('input[name="member_id"]')["value"]) for f in offers}
    assert offered == {w.peer.id, w.su2.id}
    action = offers[0]["action"]
    response = client.form(action, {"member_id": str(w.su2.id)})
    assert response.status_code == 200
    result = soup(response)
    link = result.select_one(".app-invite-link")["href"]
    assert link.startswith("http://testserver/invite/")
    assert result.select_one("svg.app-qr")
    # someone not named on the plan: not found
    assert client.form(action, {"member_id": str(w.member.id)}).status_code == 404


def test_suggestion_start_makes_a_plan_and_prefills_the_priority(client, session):
    w = make_world(session)
    client.login("fac")
    page = soup(client.get(f"/rounds/{w.round.id}/suggestions"))
    form = page.select_one("#suggest-lowest form")
    data = {i["name"]: i.get("value", "") for i in form.select("input")}
    assert data["statement"] == "C1.1"
    response = client.form(form["action"], data)
    assert response.status_code == 303
    new_priority = client.get(response.headers["location"])
    page = soup(new_priority)
    c11 = statement(session, w.framework, "C1.1")
    assert page.select_one(f'input[name="statement_ids"][value="{c11.id}"]').has_attr("checked")
    assert page.select_one("input#title")["value"] == c11.text
