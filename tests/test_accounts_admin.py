"""Administrators: accounts, roles, switching off, ending sign-ins, the audit log."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app import audit
from app.models import AuditEvent, LoginSession, User
from app.web import LONDON
from tests.conftest import soup
from tests.factories import make_person, make_team, make_user


def fresh(session, statement) -> list:
    with Session(session.get_bind(), expire_on_commit=False) as s:
        return list(s.exec(statement).all())


def user_named(session, username: str) -> User:
    return fresh(session, select(User).where(User.username == username))[0]


def events(session, verb: str) -> list[AuditEvent]:
    return fresh(session, select(AuditEvent).where(AuditEvent.verb == verb))


def test_admin_pages_need_an_admin(make_client, session):
    make_user(session, "tom")
    make_user(session, "lead", role="recovery_lead")
    anon = make_client()
    assert anon.get("/admin", follow_redirects=False).status_code == 303
    for username in ("tom", "lead"):
        c = make_client()
        c.login(username)
        for url in ("/admin", "/admin/users", "/admin/audit", "/admin/users/1"):
            assert c.get(url).status_code == 403, (username, url)
        assert c.form("/admin/users/1/role", {"role": "admin"}).status_code == 403
    assert user_named(session, "tom").role == "user"


def test_admin_home_links_to_what_exists(client, session):
    make_user(session, "ada", role="admin")
    client.login("ada")
    links = [a["href"] for a in soup(client.get("/admin")).select(".app-admin-links a")]
    assert links[:2] == ["/admin/users", "/admin/audit"]
    assert "/frameworks" in links


def test_list_and_find_accounts(client, session):
    make_user(session, "ada", role="admin")
    team = make_team(session)
    make_person(session, team, "priya", role="facilitator")
    make_user(session, "gone", active=False)
    client.login("ada")
    page = soup(client.get("/admin/users"))
    names = [r.select_one("a").get_text(strip=True) for r in page.select(".app-user")]
    assert names == ["ada", "gone", "priya"]
    gone_row = page.select(".app-user")[1]
    assert gone_row.select_one(".nhsuk-tag--red").get_text(strip=True) == "Switched off"
    found = soup(client.get("/admin/users?q=pri")).select(".app-user")
    assert [r.select_one("a").get_text(strip=True) for r in found] == ["priya"]


def test_change_a_global_role_is_audited(client, session):
    make_user(session, "ada", role="admin")
    tom = make_user(session, "tom")
    client.login("ada")
    page = soup(client.get(f"/admin/users/{tom.id}"))
    assert page.select_one("#role option[selected]")["value"] == "user"
    response = client.form(f"/admin/users/{tom.id}/role", {"role": "recovery_lead"})
    assert response.status_code == 303
    assert user_named(session, "tom").role == "recovery_lead"
    (event,) = events(session, "user.role_changed")
    assert event.detail == {"username": "tom", "from": "user", "to": "recovery_lead"}
    assert event.actor == "ada"
    bad = client.form(f"/admin/users/{tom.id}/role", {"role": "emperor"})
    assert bad.status_code == 422
    assert soup(bad).select_one("#role-error")


def test_there_is_always_an_administrator(client, session):
    ada = make_user(session, "ada", role="admin")
    client.login("ada")
    response = client.form(f"/admin/users/{ada.id}/role", {"role": "user"})
    assert response.status_code == 422
    assert "at least one administrator" in soup(response).select_one("#role-error").get_text()
    response = client.form(f"/admin/users/{ada.id}/deactivate")
    assert response.status_code == 422
    assert user_named(session, "ada").active and user_named(session, "ada").role == "admin"


def test_switch_off_and_on_again(make_client, session):
    make_user(session, "ada", role="admin")
    tom = make_user(session, "tom")
    admin, person = make_client(), make_client()
    admin.login("ada")
    person.login("tom")
    assert admin.form(f"/admin/users/{tom.id}/deactivate").status_code == 303
    page = soup(admin.get(f"/admin/users/{tom.id}"))
    assert page.select_one(".app-account-active").get_text(strip=True).startswith("No")
    assert person.get("/account", follow_redirects=False).status_code == 303
    (event,) = events(session, "user.deactivated")
    assert event.detail["sessions_ended"] == 1
    assert admin.form(f"/admin/users/{tom.id}/reactivate").status_code == 303
    assert user_named(session, "tom").active
    person.login("tom")
    assert events(session, "user.reactivated")


def test_end_all_sign_ins_of_a_user(make_client, session):
    make_user(session, "ada", role="admin")
    tom = make_user(session, "tom")
    admin, phone, laptop = make_client(), make_client(), make_client()
    admin.login("ada")
    phone.login("tom")
    laptop.login("tom")
    page = soup(admin.get(f"/admin/users/{tom.id}"))
    assert page.select_one(".app-account-sessions").get_text(strip=True) == "2 places"
    assert admin.form(f"/admin/users/{tom.id}/sessions/end").status_code == 303
    assert fresh(session, select(LoginSession).where(LoginSession.user_id == tom.id)) == []
    assert phone.get("/account", follow_redirects=False).status_code == 303
    assert admin.get("/account").status_code == 200
    (event,) = events(session, "user.sessions_ended")
    assert event.detail["sessions_ended"] == 2


def test_unknown_account_is_404(client, session):
    make_user(session, "ada", role="admin")
    client.login("ada")
    assert client.get("/admin/users/999").status_code == 404
    assert client.form("/admin/users/999/deactivate").status_code == 404


# --- the audit log ------------------------------------------------------------------------


def test_sign_ins_are_audited_without_secrets(make_client, session):
    make_user(session, "ada", role="admin")
    c = make_client()
    c.form("/login", {"username": "ada", "password": "a wrong guess here"})
    c.login("ada")
    failed = events(session, "signin.failed")
    assert failed and failed[0].actor == "ada"
    assert events(session, "signin.succeeded")
    for event in fresh(session, select(AuditEvent)):
        text = str(event.detail)
        assert "wrong guess" not in text and "battery" not in text


def _seed_events(session, clock):
    ada = make_user(session, "ada", role="admin")
    team = make_team(session, "Riverside North")
    other = make_team(session, "Willow Ward")
    for n in range(60):
        e = audit.record(session, verb="plan.changed", entity="plan", entity_id=n, team_id=team.id)
        e.at = clock() - timedelta(days=n % 3)
    audit.record(session, verb="user.created", entity="user", entity_id=1, actor=ada)
    audit.record(session, verb="plan.changed", entity="plan", entity_id=99, team_id=other.id)
    session.commit()
    return team, other


def test_audit_page_filters_and_pages(client, session, clock):
    team, other = _seed_events(session, clock)
    client.login("ada")
    page = soup(client.get("/admin/audit"))
    assert len(page.select(".app-audit-event")) == 50
    assert "page 1 of 2" in page.select_one(".app-audit-total").get_text()
    older = page.select_one("a.nhsuk-pagination__link--next")["href"]
    assert len(soup(client.get(older)).select(".app-audit-event")) == 13  # 63 with the sign-in
    only = soup(client.get("/admin/audit?verb=user.created"))
    assert [e["data-verb"] for e in only.select(".app-audit-event")] == ["user.created"]
    by_team = soup(client.get(f"/admin/audit?team_id={other.id}"))
    assert len(by_team.select(".app-audit-event")) == 1
    by_user = soup(client.get("/admin/audit?user=ADA"))
    assert {e["data-verb"] for e in by_user.select(".app-audit-event")} == {
        "user.created",
        "signin.succeeded",
    }
    today = clock().astimezone(LONDON).date().isoformat()
    recent = soup(client.get(f"/admin/audit?verb=plan.changed&team_id={team.id}&since={today}"))
    assert "20 events" in recent.select_one(".app-audit-total").get_text()
    options = [o["value"] for o in recent.select("#verb option")]
    assert "plan.changed" in options and "signin.succeeded" in options


def test_audit_page_says_plainly_when_a_date_is_wrong(client, session):
    make_user(session, "ada", role="admin")
    client.login("ada")
    response = client.get("/admin/audit?since=yesterday")
    assert response.status_code == 200
    assert "real date" in soup(response).select_one("#since-error").get_text()
