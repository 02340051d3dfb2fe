"""Removing a priority asks first: the plan links to a confirmation page (no JavaScript
needed), which says what is kept; only "Yes, remove it" removes it, and "No, keep it" goes
back to the priority on the plan."""

from __future__ import annotations

from app.models import Priority
from tests.conftest import soup
from tests.plans_world import agreed_plan, make_world


def test_remove_asks_first_and_keeps_it_until_confirmed(client, session):
    w = make_world(session)
    plan, (p1, _p2, _p3), _a = agreed_plan(session, w)
    client.login("fac")
    page = soup(client.get(f"/plans/{plan.id}"), status=200)
    card = page.select_one(f"#priority-{p1.id}")
    assert not card.select(f"form[action='/priorities/{p1.id}/remove']")  # no one-click remove
    link = card.select_one(f"a[href='/priorities/{p1.id}/remove']")
    assert "Remove" in link.get_text()

    confirm = soup(client.get(link["href"]), status=200)
    assert confirm.select_one("h1").get_text(strip=True) == (
        "Remove the priority \u201cRecovery stories\u201d?"
    )
    assert "a facilitator can bring it back" in confirm.select_one(".app-confirm-detail").text
    keep = confirm.find("a", string="No, keep it")
    assert keep["href"] == f"/plans/{plan.id}#priority-{p1.id}"
    form = confirm.select_one(f"form[action='/priorities/{p1.id}/remove']")
    assert form["method"] == "post" and form.select_one("input[name=csrf_token]")
    session.refresh(p1)
    session.commit()
    assert p1.removed_at is None  # looking at the question removes nothing

    response = client.form(f"/priorities/{p1.id}/remove")
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Priority, p1.id).removed_at is not None


def test_only_plan_editors_see_the_question(make_client, session):
    w = make_world(session)
    _plan, (p1, _p2, _p3), _a = agreed_plan(session, w)
    member = make_client()
    member.login("member")
    assert member.get(f"/priorities/{p1.id}/remove").status_code in (403, 404)
    other = make_world(session, "Team B", prefix="b")
    assert other.team.id != w.team.id
    outsider = make_client()
    outsider.login("bfac")
    assert outsider.get(f"/priorities/{p1.id}/remove").status_code == 404
