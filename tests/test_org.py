"""Services and teams: the admin pages, their forms and the audit trail."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, Service, Team
from tests.conftest import soup
from tests.factories import make_service, make_team, make_user, small_framework


def events(session, verb: str) -> list[AuditEvent]:
    found = list(session.exec(select(AuditEvent).where(AuditEvent.verb == verb)).all())
    session.commit()
    return found


@pytest.fixture
def admin(client, session):
    make_user(session, "ada", role="admin")
    client.login("ada")
    return client


def fresh(session, model, record_id):
    record = session.get(model, record_id, populate_existing=True)
    session.commit()  # end the read: on SQLite an open transaction holds the write lock
    return record


@pytest.mark.parametrize("url", ["/admin/services", "/admin/teams", "/admin/teams/new"])
def test_only_admins_reach_the_pages(client, session, url):
    assert client.get(url, follow_redirects=False).status_code == 303
    make_user(session, "tom")
    make_user(session, "lee", role="recovery_lead")
    client.login("tom")
    assert client.get(url).status_code == 403
    client.login("lee")
    assert client.get(url).status_code == 403


def test_a_member_cannot_post_a_new_service(client, session):
    make_user(session, "tom")
    client.login("tom")
    assert client.form("/admin/services", {"name": "Sneaky"}).status_code == 403
    assert session.exec(select(Service)).first() is None


def test_create_a_service_lists_it_and_audits(admin, session):
    response = admin.form("/admin/services", {"name": "  Riverside   Adult Mental Health "})
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/services"
    page = soup(admin.get("/admin/services"))
    assert "Riverside Adult Mental Health" in page.select_one(".app-flash").get_text()
    rows = page.select("#services tbody tr")
    assert [r.select("td")[0].get_text(strip=True) for r in rows] == [
        "Riverside Adult Mental Health"
    ]
    assert rows[0].select_one(".nhsuk-tag").get_text(strip=True) == "Active"
    (event,) = events(session, "service.created")
    assert event.actor == "ada" and event.detail == {"name": "Riverside Adult Mental Health"}


def test_service_name_missing_or_taken_rerenders_with_input_kept(admin, session):
    make_service(session, "Riverside")
    response = admin.form("/admin/services", {"name": "   "})
    assert response.status_code == 422
    page = soup(response)
    assert (
        page.select_one("#name-error").get_text(" ", strip=True).endswith("Enter the service name")
    )
    assert page.select_one(".nhsuk-error-summary a")["href"] == "#name"

    response = admin.form("/admin/services", {"name": "riverside"})
    assert response.status_code == 422
    page = soup(response)
    assert "already a service with this name" in page.select_one("#name-error").get_text()
    assert page.select_one("input#name")["value"] == "riverside"
    assert len(session.exec(select(Service)).all()) == 1


def test_edit_a_service_name(admin, session):
    service = make_service(session, "Riverside")
    other = make_service(session, "Hillcrest")
    page = soup(admin.get(f"/admin/services/{service.id}/edit"))
    assert page.select_one("input#name")["value"] == "Riverside"
    response = admin.form(f"/admin/services/{service.id}", {"name": "Hillcrest"})
    assert response.status_code == 422
    assert "already a service" in soup(response).select_one("#name-error").get_text()
    response = admin.form(f"/admin/services/{service.id}", {"name": "Riverside East"})
    assert response.status_code == 303
    assert fresh(session, Service, service.id).name == "Riverside East"
    assert fresh(session, Service, other.id).name == "Hillcrest"
    (event,) = events(session, "service.updated")
    assert event.detail == {"name": ["Riverside", "Riverside East"]}


def test_archive_a_service_needs_its_teams_archived_first(admin, session):
    service = make_service(session, "Riverside")
    team = make_team(session, "Willow Ward", service=service, setting="inpatient")
    response = admin.form(f"/admin/services/{service.id}/archive")
    assert response.status_code == 422
    page = soup(response)
    assert "still has 1 active team" in page.select_one("#archive-error").get_text()
    assert page.select_one(".nhsuk-error-summary a")["href"] == "#archive"
    assert fresh(session, Service, service.id).archived_at is None

    assert admin.form(f"/admin/teams/{team.id}/archive").status_code == 303
    assert admin.form(f"/admin/services/{service.id}/archive").status_code == 303
    assert fresh(session, Service, service.id).archived_at is not None
    page = soup(admin.get("/admin/services"))
    assert page.select_one("#services tbody .nhsuk-tag").get_text(strip=True) == "Archived"
    # an archived service takes no new teams, and its teams cannot come back alone
    assert admin.get("/admin/teams/new").text.count(f'value="{service.id}"') == 0
    response = admin.form(f"/admin/teams/{team.id}/unarchive")
    assert response.status_code == 422
    assert "Riverside is archived" in soup(response).select_one("#archive-error").get_text()

    assert admin.form(f"/admin/services/{service.id}/unarchive").status_code == 303
    assert admin.form(f"/admin/teams/{team.id}/unarchive").status_code == 303
    assert fresh(session, Team, team.id).archived_at is None
    verbs = [e.verb for e in events(session, "service.archived")] + [
        e.verb for e in events(session, "service.unarchived")
    ]
    assert verbs == ["service.archived", "service.unarchived"]


def test_create_a_team(admin, session):
    service = make_service(session, "Riverside")
    small_framework(session)
    page = soup(admin.get(f"/admin/teams/new?service_id={service.id}"))
    assert page.select_one("#service_id option[selected]")["value"] == str(service.id)
    settings = [i["value"] for i in page.select("input[name=setting]")]
    assert settings == [
        "community",
        "inpatient",
        "rehabilitation",
        "secure",
        "crisis",
        "voluntary-sector",
        "corporate",
        "other",
    ]
    assert [o["value"] for o in page.select("#default_framework_key option")] == ["", "small"]

    response = admin.form(
        "/admin/teams",
        {
            "name": "Oak House",
            "service_id": str(service.id),
            "setting": "rehabilitation",
            "default_framework_key": "small",
        },
    )
    assert response.status_code == 303
    team = session.exec(select(Team)).one()
    session.commit()
    assert (team.name, team.setting, team.default_framework_key) == (
        "Oak House",
        "rehabilitation",
        "small",
    )
    row = soup(admin.get("/admin/teams")).select_one(f"#active-teams tr[data-team-id='{team.id}']")
    cells = [c.get_text(" ", strip=True) for c in row.select("td")]
    assert cells[:4] == ["Oak House", "Riverside", "Rehabilitation", "Small test benchmarks"]
    (event,) = events(session, "team.created")
    assert event.team_id == team.id and event.detail["setting"] == "rehabilitation"


def test_team_form_shows_every_problem_and_keeps_input(admin, session):
    make_service(session, "Riverside")
    response = admin.form(
        "/admin/teams",
        {"name": "", "service_id": "", "setting": "ward", "default_framework_key": "nope"},
    )
    assert response.status_code == 422
    page = soup(response)
    assert "Enter the team name" in page.select_one("#name-error").get_text()
    assert "Choose the service" in page.select_one("#service_id-error").get_text()

    response = admin.form(
        "/admin/teams",
        {"name": "Oak House", "service_id": "", "setting": "ward", "default_framework_key": "x"},
    )
    page = soup(response)
    assert response.status_code == 422
    assert page.select_one("input#name")["value"] == "Oak House"
    assert "Choose the service" in page.select_one("#service_id-error").get_text()
    assert "Choose the kind of setting" in page.select_one("#setting-error").get_text()
    assert "Choose a framework" in page.select_one("#default_framework_key-error").get_text()
    hrefs = [a["href"] for a in page.select(".nhsuk-error-summary a")]
    assert hrefs == ["#service_id", "#setting", "#default_framework_key"]
    assert session.exec(select(Team)).first() is None


def test_team_names_are_unique_within_a_service(admin, session):
    riverside = make_service(session, "Riverside")
    hillcrest = make_service(session, "Hillcrest")
    make_team(session, "Crisis Team", service=riverside, setting="crisis")
    data = {"name": "crisis team", "setting": "crisis", "default_framework_key": ""}
    response = admin.form("/admin/teams", {**data, "service_id": str(riverside.id)})
    assert response.status_code == 422
    page = soup(response)
    assert "Riverside already has a team" in page.select_one("#name-error").get_text()
    assert page.select_one("#service_id option[selected]")["value"] == str(riverside.id)
    assert page.select_one("input[name=setting][checked]")["value"] == "crisis"
    response = admin.form("/admin/teams", {**data, "service_id": str(hillcrest.id)})
    assert response.status_code == 303


def test_edit_a_team_records_what_changed(admin, session):
    service = make_service(session, "Riverside")
    other = make_service(session, "Hillcrest")
    small_framework(session)
    team = make_team(session, "Willow", service=service, setting="inpatient")
    page = soup(admin.get(f"/admin/teams/{team.id}/edit"))
    assert page.select_one("input#name")["value"] == "Willow"
    assert page.select_one("input[name=setting][checked]")["value"] == "inpatient"
    response = admin.form(
        f"/admin/teams/{team.id}",
        {
            "name": "Willow Ward",
            "service_id": str(other.id),
            "setting": "inpatient",
            "default_framework_key": "small",
        },
    )
    assert response.status_code == 303
    team = fresh(session, Team, team.id)
    assert (team.name, team.service_id, team.default_framework_key) == (
        "Willow Ward",
        other.id,
        "small",
    )
    (event,) = events(session, "team.updated")
    assert event.detail == {
        "name": ["Willow", "Willow Ward"],
        "service_id": [service.id, other.id],
        "default_framework_key": [None, "small"],
    }


def test_archive_and_bring_back_a_team(admin, session):
    team = make_team(session, "Harbour Crisis Team", setting="crisis")
    assert admin.form(f"/admin/teams/{team.id}/archive").status_code == 303
    page = soup(admin.get("/admin/teams"))
    assert not page.select("#active-teams")
    assert page.select_one(f"#archived-teams tr[data-team-id='{team.id}']")
    edit = soup(admin.get(f"/admin/teams/{team.id}/edit"))
    assert edit.select_one("#archive").get_text(strip=True) == "Bring back"
    assert admin.form(f"/admin/teams/{team.id}/unarchive").status_code == 303
    assert fresh(session, Team, team.id).archived_at is None
    assert [e.verb for e in events(session, "team.archived")] == ["team.archived"]
    assert [e.verb for e in events(session, "team.unarchived")] == ["team.unarchived"]


def test_unknown_records_are_404(admin):
    assert admin.get("/admin/services/999/edit").status_code == 404
    assert admin.get("/admin/teams/999/edit").status_code == 404
    assert admin.form("/admin/teams/999/archive").status_code == 404
    assert admin.form("/admin/services/999", {"name": "X"}).status_code == 404
