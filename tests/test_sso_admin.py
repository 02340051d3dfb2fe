# ruff: noqa: F811  (the provider fixtures are imported by name)
"""Single sign-on, the admin's side: the one address a first NHS sign-in may match (set on
the account's admin page, checked, audited, then matched by the real provider), and the
option that staff-perspective members must use the provider too."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, User
from app.models.accounts import SsoLink
from tests.conftest import BASE, soup
from tests.factories import PASSWORD, make_person, make_team, make_user
from tests.oidc_provider import (  # noqa: F401  (fixtures)
    CLIENT_ID,
    CLIENT_SECRET,
    oidc_providers,
    provider_time,
    sso_live_port,
)

SSO = {
    "oidc_issuer": "https://login.trust.test/v2.0",
    "oidc_client_id": "trip",
    "oidc_client_secret": "a-client-secret",
}


def configure(app, **changes) -> None:
    app.state.settings = app.state.settings.model_copy(update=changes)


def fresh(session, statement) -> list:
    with Session(session.get_bind(), expire_on_commit=False) as s:
        return list(s.exec(statement).all())


def sso_email_of(session, user_id: int) -> str | None:
    return fresh(session, select(User.sso_email).where(User.id == user_id))[0]


def events(session, verb: str) -> list[AuditEvent]:
    return fresh(session, select(AuditEvent).where(AuditEvent.verb == verb))


def error(response, field: str) -> str:
    found = soup(response, status=422).select_one(f"#{field}-error")
    assert found is not None, response.text[:2000]
    return found.get_text(" ", strip=True).removeprefix("Error:").strip()


@pytest.fixture
def admin(app, client, session):
    configure(app, **SSO)
    make_user(session, "ada", role="admin")
    session.commit()
    client.login("ada")
    return client


def test_an_admin_sets_the_address_and_it_is_audited(admin, session):
    fran = make_user(session, "fran")
    session.commit()
    shown = soup(admin.get(f"/admin/users/{fran.id}"), status=200)
    assert shown.select_one("#nhs-account") is not None
    assert "Not linked yet" in shown.select_one(".app-sso-linked").get_text()
    assert shown.select_one("#sso_email")["value"] == ""

    saved = admin.form(f"/admin/users/{fran.id}/sso-email", {"sso_email": " Fran@Trust.NHS.uk "})
    assert saved.status_code == 303
    assert sso_email_of(session, fran.id) == "fran@trust.nhs.uk"  # kept in lower case
    assert soup(admin.get(f"/admin/users/{fran.id}"), status=200).select_one("#sso_email")[
        "value"
    ] == ("fran@trust.nhs.uk")
    (event,) = events(session, "sso.email_set")
    assert (event.actor, event.entity_id) == ("ada", str(fran.id))
    assert event.detail == {"domain": "trust.nhs.uk"}  # the domain, not the address

    same = admin.form(f"/admin/users/{fran.id}/sso-email", {"sso_email": "fran@trust.nhs.uk"})
    assert same.status_code == 303 and len(events(session, "sso.email_set")) == 1

    cleared = admin.form(f"/admin/users/{fran.id}/sso-email", {"sso_email": ""})
    assert cleared.status_code == 303
    assert sso_email_of(session, fran.id) is None
    assert len(events(session, "sso.email_cleared")) == 1


def test_a_wrong_address_is_shown_again_next_to_the_field(admin, session):
    fran = make_user(session, "fran")
    sam = make_user(session, "sam")
    sam.sso_email = "sam@trust.nhs.uk"
    session.add(sam)
    session.commit()
    url = f"/admin/users/{fran.id}/sso-email"

    malformed = admin.form(url, {"sso_email": "fran at trust"})
    assert "right form" in error(malformed, "sso_email")
    assert soup(malformed, status=422).select_one("#sso_email")["value"] == "fran at trust"  # kept

    taken = admin.form(url, {"sso_email": "SAM@trust.nhs.uk"})
    assert error(taken, "sso_email") == (
        "The account sam already has this address. Clear it there first"
    )
    assert soup(taken, status=422).select_one("#sso_email")["value"] == "SAM@trust.nhs.uk"

    configure(admin.app, oidc_allowed_domains="trust.nhs.uk, nhs.net")
    elsewhere = admin.form(url, {"sso_email": "fran@gmail.test"})
    assert "trust.nhs.uk, nhs.net" in error(elsewhere, "sso_email")
    assert sso_email_of(session, fran.id) is None
    assert events(session, "sso.email_set") == []


def test_only_admins_set_it(app, make_client, session):
    configure(app, **SSO)
    team = make_team(session, "Riverside North")
    fay, _ = make_person(session, team, "fay", role="facilitator")
    lead = make_user(session, "lead", role="recovery_lead")
    session.commit()
    for who in ("fay", "lead"):
        c = make_client()
        c.login(who)
        refused = c.form(f"/admin/users/{fay.id}/sso-email", {"sso_email": "x@trust.nhs.uk"})
        assert refused.status_code == 403
    assert sso_email_of(session, fay.id) is None and lead.sso_email is None


def test_without_single_sign_on_the_admin_page_does_not_offer_it(client, session):
    make_user(session, "ada", role="admin")
    fran = make_user(session, "fran")
    session.commit()
    client.login("ada")
    assert (
        soup(client.get(f"/admin/users/{fran.id}"), status=200).select_one("#nhs-account") is None
    )


def test_staff_members_may_be_required_to_use_the_provider(app, client, session):
    configure(app, **SSO, oidc_require_for_staff=True)
    team = make_team(session, "Riverside North")
    make_person(session, team, "nurse", perspective="staff")
    make_person(session, team, "peer", perspective="peer_worker")
    make_person(session, team, "sue", perspective="service_user")
    session.commit()
    # by default staff-perspective members still sign in with a password
    client.login("nurse")
    client.cookies.clear()

    configure(app, oidc_require_for_staff_members=True)
    refused = client.form("/login", {"username": "nurse", "password": PASSWORD})
    assert refused.status_code == 422 and "NHS account" in refused.text
    for others in ("peer", "sue"):  # only the staff perspective
        client.cookies.clear()
        client.login(others)


def test_the_address_an_admin_set_is_what_the_first_sign_in_matches(
    app, client, make_client, session, oidc_providers, provider_time
):
    trust, _ = oidc_providers
    configure(
        app, oidc_issuer=trust.issuer, oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET
    )
    make_user(session, "ada", role="admin")
    fran, _ = make_person(session, make_team(session, "Riverside North"), "fran")
    session.commit()

    def nhs_sign_in(browser):
        going = browser.get("/login/sso", follow_redirects=False)
        back = trust.sign_in(going.headers["location"], "fran")
        assert back.startswith(f"{BASE}/login/sso/callback"), back
        return browser.get(back, follow_redirects=False)

    before = make_client()
    assert nhs_sign_in(before).headers["location"] != "/"  # no address yet: no match
    assert fresh(session, select(SsoLink)) == []

    client.login("ada")
    saved = client.form(f"/admin/users/{fran.id}/sso-email", {"sso_email": "fran@trust.nhs.uk"})
    assert saved.status_code == 303
    after = make_client()
    assert nhs_sign_in(after).headers["location"] == "/"
    (link,) = fresh(session, select(SsoLink))
    assert (link.user_id, link.subject) == (fran.id, "fran")
    shown = soup(client.get(f"/admin/users/{fran.id}"), status=200)
    assert "Linked" in shown.select_one(".app-sso-linked").get_text()
