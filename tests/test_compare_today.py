"""/compare counts only what holds today (issue 13, points 1 and 5): a co-lead who changed
perspective no longer makes a priority co-led, and a removed priority (soft delete) is left
out of the plan columns, the statement view and the shared priorities."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select

from app.models import Plan, Priority, PriorityStatement, TeamMember
from tests.compare_org import TODAY, build_org


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
