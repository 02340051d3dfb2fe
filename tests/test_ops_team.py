"""Admin: a team's data whole — exported as JSON, or deleted after typing its name."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Service, Statement, Team, User
from app.ops.queries import count_team_rows
from app.ops.service.teams import export_team
from tests.conftest import soup
from tests.factories import make_person, make_user
from tests.ops_data import populate_team

SECTIONS = (
    "members",
    "invitations",
    "rounds",
    "participants",
    "ratings",
    "agreed_ratings",
    "summaries",
    "publications",
    "published_cells",
    "publication_members",
    "assets",
    "plans",
    "priorities",
    "priority_statements",
    "priority_helpers",
    "actions",
    "action_helpers",
    "updates",
    "reviews",
    "celebrations",
    "audit_events",
)


@pytest.fixture
def teams(session):
    a = populate_team(session, "Riverside CMHT").team
    b = populate_team(session, "Oak Ward").team
    make_user(session, "ada", role="admin")
    return a, b


def test_admin_exports_the_whole_team_as_json(client, session, teams):
    a, b = teams
    client.login("ada")
    response = client.get(f"/admin/teams/{a.id}/export.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["format"] == "trip-team-export/1"
    assert data["team"]["name"] == "Riverside CMHT"
    for section in SECTIONS:
        assert data[section], f"{section} is empty"
    assert {m["display_name"] for m in data["members"]} == {
        "Lead of Riverside CMHT",
        "Peer of Riverside CMHT",
    }
    assert all(r["team_id"] == a.id for r in data["rounds"])
    round_ids = {r["id"] for r in data["rounds"]}
    assert all(r["round_id"] in round_ids for r in data["ratings"])
    assert set(data["participants"][0]) == {
        "id",
        "round_id",
        "perspective",
        "alias",
        "source",
        "sheet_number",
        "created_at",
    }
    assert all("token_hash" not in i for i in data["invitations"])
    assert all(e["team_id"] == a.id for e in data["audit_events"])
    assert data["accounts"] == [{"id": data["members"][0]["user_id"], "username": f"lead{a.id}"}]
    assert {s["code"] for s in data["statements"]} >= {"C1.1", "C2.2"}
    assert "Oak Ward" not in json.dumps(data)
    session.expire_all()
    event = (
        session.exec(
            select(AuditEvent).where(AuditEvent.verb == "export", AuditEvent.team_id == a.id)
        )
        .scalars()
        .one()
    )
    assert event.actor == "ada"


def test_only_admins_may_export_or_delete(client, session, teams):
    a, _ = teams
    make_person(session, a, "fay", role="facilitator")
    make_user(session, "rita", role="recovery_lead")
    response = client.get(f"/admin/teams/{a.id}/export.json", follow_redirects=False)
    assert response.status_code == 303  # sign in first
    for username in ("fay", "rita"):
        client.login(username)
        assert client.get(f"/admin/teams/{a.id}/export.json").status_code == 403
        assert client.get(f"/admin/teams/{a.id}/data").status_code == 403
        response = client.form(f"/admin/teams/{a.id}/delete", {"confirm_name": a.name})
        assert response.status_code == 403
        client.form("/logout")
    client.login("ada")
    assert client.get("/admin/teams/99999/export.json").status_code == 404
    assert client.get("/admin/teams/99999/data").status_code == 404
    session.expire_all()
    assert session.get(Team, a.id) is not None


def test_data_page_shows_counts_and_the_confirmation_form(client, session, teams):
    a, _ = teams
    client.login("ada")
    page = soup(client.get(f"/admin/teams/{a.id}/data"))
    assert page.select_one("h1").get_text(strip=True) == "Riverside CMHT: the team's data"
    assert page.select_one('[data-count="ratings"]').get_text(strip=True) == "24"
    assert int(page.select_one('[data-count="published_cells"]').get_text(strip=True)) > 0
    assert page.select_one("#team-export-link")["href"] == f"/admin/teams/{a.id}/export.json"
    form = page.select_one("#team-delete-form")
    assert form["action"] == f"/admin/teams/{a.id}/delete"
    assert form.select_one("input#confirm_name")
    assert form.select_one("input[name=csrf_token]")


def test_delete_needs_the_team_name(client, session, teams):
    a, _ = teams
    client.login("ada")
    response = client.form(f"/admin/teams/{a.id}/delete", {"confirm_name": "Riverside"})
    assert response.status_code == 422
    page = soup(response)
    assert "Riverside CMHT" in page.select_one("#confirm_name-error").get_text()
    assert page.select_one("input#confirm_name")["value"] == "Riverside"
    response = client.form(f"/admin/teams/{a.id}/delete", {"confirm_name": ""})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Team, a.id) is not None
    assert count_team_rows(session, a.id)["ratings"] == 24


def test_delete_removes_everything_of_the_team_and_nothing_else(client, session, teams):
    a, b = teams
    a_id, b_id = a.id, b.id
    session.rollback()  # SQLite: an open transaction would hold the write lock
    b_before = export_team(session, b_id)
    session.rollback()
    users_before = session.execute(select(func.count()).select_from(User)).scalar_one()
    statements_before = session.execute(select(func.count()).select_from(Statement)).scalar_one()
    session.rollback()
    client.login("ada")
    response = client.form(f"/admin/teams/{a_id}/delete", {"confirm_name": " riverside  cmht "})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/teams"

    session.expire_all()
    assert session.get(Team, a_id) is None
    assert all(n == 0 for n in count_team_rows(session, a_id).values())
    b_after = export_team(session, b_id)
    for key in [*SECTIONS, "team", "accounts", "frameworks", "statements"]:
        if key == "audit_events":
            continue  # the second export adds its own event
        assert b_after[key] == b_before[key], key
    assert session.execute(select(func.count()).select_from(User)).scalar_one() == users_before
    assert (
        session.execute(select(func.count()).select_from(Statement)).scalar_one()
        == statements_before
    )
    assert session.exec(select(Service)).scalars().first() is not None
    event = (
        session.exec(
            select(AuditEvent).where(AuditEvent.verb == "delete", AuditEvent.entity == "team")
        )
        .scalars()
        .one()
    )
    assert event.team_id == a_id and event.actor == "ada"
    assert event.detail["name"] == "Riverside CMHT"
    assert event.detail["rows"]["rating"] == 24
    for table in ("publication", "published_cell", "publication_member"):
        assert event.detail["rows"][table] > 0, table
    # the audit log is append-only: the team's earlier events stay
    assert session.exec(
        select(AuditEvent).where(AuditEvent.team_id == a_id, AuditEvent.verb == "plan.agreed")
    ).first()
