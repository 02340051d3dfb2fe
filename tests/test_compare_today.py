"""/compare counts only what holds today (issue 13, points 1 and 5): a co-lead who changed
perspective no longer makes a priority co-led, and a removed priority (soft delete) is left
out of the plan columns, the statement view and the shared priorities. The statement view's
"Co-led by …" and the API's co-lead perspectives follow the same rule."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select

from app.models import Plan, Priority, PriorityStatement, TeamMember
from tests.compare_org import TODAY, build_org
from tests.conftest import soup
from tests.factories import make_api_token


@pytest.fixture
def lead(client, session, clock):
    clock.now = TODAY
    org = build_org(session)
    client.login("lena")
    client.org = org
    return client


def _alder(lead) -> dict:
    body = lead.get("/compare.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    return next(r for r in rows if r["Team"] == "Alder Team")


def test_co_led_counts_the_co_leads_of_today(lead, session):
    assert _alder(lead)["Priorities with both co-leads"] == "1"
    sam = session.exec(select(TeamMember).where(TeamMember.display_name == "Sam Userperson")).one()
    sam.perspective = "peer_worker"  # became a peer support worker: staff side now
    session.add(sam)
    session.commit()
    row = _alder(lead)
    assert row["Priorities"] == "2" and row["Priorities with both co-leads"] == "0"


def test_a_removed_priority_is_left_out(lead, session, clock):
    alder = lead.org.teams["alder"]
    before = _alder(lead)
    priority = session.exec(
        select(Priority)
        .join(PriorityStatement, PriorityStatement.priority_id == Priority.id)
        .join(Plan, Plan.id == Priority.plan_id)
        .where(Plan.team_id == alder.id, Plan.status == "agreed")
    ).first()
    statement_id = session.exec(
        select(PriorityStatement.statement_id).where(PriorityStatement.priority_id == priority.id)
    ).first()
    session.commit()  # SQLite: end the read before the app writes
    page = lead.get(f"/compare/statements/{statement_id}").text
    assert priority.title in page
    priority.removed_at = clock.now
    session.add(priority)
    session.commit()
    after = _alder(lead)
    assert int(after["Priorities"]) == int(before["Priorities"]) - 1
    assert int(after["Actions"]) <= int(before["Actions"])
    assert priority.title not in lead.get(f"/compare/statements/{statement_id}").text


def _member(session, name: str) -> TeamMember:
    return session.exec(select(TeamMember).where(TeamMember.display_name == name)).one()


def _ask_what_matters(lead, statement_id: int) -> str:
    page = soup(lead.get(f"/compare/statements/{statement_id}"))
    card = next(c for c in page.select(".app-story") if "Ask what matters" in c.get_text())
    return " ".join(card.select_one("p").get_text(" ").split())


def test_the_statement_view_names_only_the_co_leads_of_today(lead, session, clock):
    """'Co-led by …' counts co-leads as the rule holds today: not one who has left the team
    or changed side."""
    c11 = session.exec(
        select(PriorityStatement.statement_id)
        .join(Priority, Priority.id == PriorityStatement.priority_id)
        .where(Priority.title == "Ask what matters")
    ).one()
    session.commit()
    assert _ask_what_matters(lead, c11).startswith("Co-led by staff and ")
    sam = _member(session, "Sam Userperson")
    sam.left_at = clock.now  # left the team
    session.add(sam)
    session.commit()
    assert _ask_what_matters(lead, c11).startswith("Co-led by staff.")
    priya = _member(session, "Priya Staffmember")
    priya.perspective = "carer"  # no longer on the staff side
    session.add(priya)
    session.commit()
    assert _ask_what_matters(lead, c11).startswith("No co-leads today.")


def _alder_plan(lead, session) -> dict:
    token = make_api_token(session, lead.org.users["lead"], "today")[1]
    session.commit()
    url = f"/api/v1/teams/{lead.org.teams['alder'].id}/plans"
    response = lead.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return next(p for p in response.json() if p["title"] == "Alder plan")


def test_the_api_reports_co_leads_of_today_and_leaves_out_a_removed_priority(lead, session, clock):
    first = _alder_plan(lead, session)["priorities"][0]
    assert first["title"] == "Ask what matters"
    assert (first["staff_co_lead"], first["service_user_co_lead"]) == ("staff", "service_user")
    sam = _member(session, "Sam Userperson")
    sam.perspective = "peer_worker"  # became a peer support worker
    session.add(sam)
    priya = _member(session, "Priya Staffmember")
    priya.left_at = clock.now
    session.add(priya)
    session.commit()
    first = _alder_plan(lead, session)["priorities"][0]
    assert (first["staff_co_lead"], first["service_user_co_lead"]) == (None, None)
    priority = session.exec(select(Priority).where(Priority.title == "Ask what matters")).one()
    priority.removed_at = clock.now
    session.add(priority)
    session.commit()
    titles = [p["title"] for p in _alder_plan(lead, session)["priorities"]]
    assert titles == ["Peer training"]


def test_who_to_learn_from_names_a_team_once_when_two_of_its_priorities_rose(lead, session):
    """Two Alder priorities on C1.1 in the same plan, both followed by a rise: Alder is named
    once, both stories are still told."""
    org = lead.org
    c11 = org.statements[("alpha1", "C1.1")]
    sam = _member(session, "Sam Userperson")
    second = Priority(
        plan_id=org.plans["p1"].id,
        title="Hopes in every meeting",
        staff_colead_id=_member(session, "Morgan Otherstaff").id,
        service_user_colead_id=sam.id,
    )
    session.add(second)
    session.flush()
    session.add(PriorityStatement(priority_id=second.id, statement_id=c11.id))
    session.commit()
    page = soup(lead.get(f"/compare/statements/{c11.id}"))
    rose = [c for c in page.select(".app-story") if "Alder Team" in c.select_one("h3").text]
    assert len(rose) == 2 and all(": 1 then" in " ".join(c.text.split()) for c in rose)
    learn = [li.get_text(" ", strip=True) for li in page.select(".app-learn-from li")]
    assert [li.split(" :")[0] for li in learn] == ["Alder Team"]
    assert learn[0].startswith("Alder Team : from 1 to 3 after the priority")
