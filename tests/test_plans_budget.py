"""Plans' request budgets and the htmx contract: POST /plans/{id}/review-due (and /agree)
in at most 7 SQL statements, sign-in included (the once-a-minute session touch and the
redirect's GET are not part of the request); refused htmx requests answer an inline block;
the open-actions panel is a plans fragment."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bs4 import BeautifulSoup

from app.models import Plan
from tests.conftest import sql_sent
from tests.plans_world import add_priority, agreed_plan, draft_plan, make_world

BUDGET = 7


def _signed_in(client, username: str = "fac") -> str:
    client.login(username)
    return client.csrf_token()  # read before counting: the token needs no query


def test_review_due_is_at_most_seven_statements(client, session, engine, clock):
    clock.now = datetime(2026, 9, 1, 9, tzinfo=UTC)  # 2026-09-30 is in the review date's window
    w = make_world(session)
    plan, _priorities, _actions = agreed_plan(session, w)
    session.commit()
    token = _signed_in(client)
    with sql_sent(engine) as seen:
        response = client.post(
            f"/plans/{plan.id}/review-due",
            data={"csrf_token": token, "review_due": "2026-09-30"},
            follow_redirects=False,
        )
    assert response.status_code == 303, response.text
    assert len(seen) <= BUDGET, "\n".join(seen)
    session.expire_all()
    assert session.get(Plan, plan.id).review_due == date(2026, 9, 30)


def test_a_bad_review_date_shows_the_plan_with_the_message(client, session):
    w = make_world(session)
    plan, _priorities, _actions = agreed_plan(session, w)
    session.commit()
    client.login("fac")
    response = client.form(f"/plans/{plan.id}/review-due", {"review_due": "9999-12-31"})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#review_due-error") is not None
    assert page.select_one("input[name=review_due]")["value"] == "9999-12-31"


def test_agreeing_is_at_most_seven_statements(client, session, engine):
    """Agreeing reads the priorities with their co-leads (one query) to check the rules."""
    w = make_world(session)
    plan = draft_plan(session, w)
    for title in ("One", "Two", "Three"):
        add_priority(session, w, plan, title, staff=w.staff, service_user=w.su)
    session.commit()
    token = _signed_in(client)
    with sql_sent(engine) as seen:
        response = client.post(
            f"/plans/{plan.id}/agree", data={"csrf_token": token}, follow_redirects=False
        )
    assert response.status_code == 303, response.text
    assert len(seen) <= BUDGET, "\n".join(seen)


def test_a_refused_htmx_update_answers_an_inline_block(client, session):
    w = make_world(session)
    plan, _priorities, actions = agreed_plan(session, w)
    action = actions[0]
    session.commit()
    client.login("fac")
    assert client.form(f"/plans/{plan.id}/close").status_code == 303
    response = client.form(
        f"/actions/{action.id}/update",
        {"what": "Changed", "status": "done", "version": str(action.version)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert response.headers["X-Refused"] == "409"
    assert "<html" not in response.text
    assert "This plan is closed" in response.text


def test_an_htmx_update_refused_to_someone_not_named_is_inline(client, session):
    w = make_world(session)
    _plan, _priorities, actions = agreed_plan(session, w)
    action = actions[0]
    session.commit()
    client.login("member")
    response = client.form(
        f"/actions/{action.id}/update",
        {"what": "Changed", "status": "done", "version": str(action.version)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert response.headers["X-Refused"] == "403"
    assert "<html" not in response.text


def test_an_invalid_htmx_update_answers_the_form_in_its_row(client, session):
    w = make_world(session)
    _plan, _priorities, actions = agreed_plan(session, w)
    action = actions[0]
    session.commit()
    client.login("fac")
    response = client.form(
        f"/actions/{action.id}/update",
        {"what": "", "status": "done", "version": str(action.version)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "<html" not in response.text
    row = BeautifulSoup(response.text, "html.parser").select_one(f"#action-{action.id}")
    assert row is not None and row.select_one("form") is not None


def test_the_open_actions_panel_is_a_plans_fragment(client, session):
    w = make_world(session)
    plan, _priorities, _actions = agreed_plan(session, w)
    session.commit()
    client.login("fac")
    response = client.get(f"/teams/{w.team.id}/open-actions", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    panel = BeautifulSoup(response.text, "html.parser").select_one(".app-open-actions-callout")
    assert panel is not None and f'href="/plans/{plan.id}"' in str(panel)
    # outside the team (a recovery lead reads the team, not its people's names): no panel
    from tests.factories import make_user

    make_user(session, "lead", role="recovery_lead")
    session.commit()
    client.cookies.clear()
    client.login("lead")
    assert client.get(f"/teams/{w.team.id}/open-actions").status_code == 404


def test_the_open_actions_panel_without_javascript_is_a_page(client, session):
    w = make_world(session)
    agreed_plan(session, w)
    client.login("fac")
    response = client.get(f"/teams/{w.team.id}/open-actions")
    assert response.status_code == 200 and "<html" in response.text
    page = BeautifulSoup(response.text, "html.parser")
    assert len(page.select(".app-open-actions li")) == 3
