"""Passwords when staff must use single sign-on: a recovery lead cannot sign in with one,
the break-glass admin `trip users create-admin` makes can; and a barred account gets the
same answer whether its password was right or wrong (the answer must not confirm a guess),
under the same rate limits. No provider is needed: the password form never calls it."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from app import cli
from app.config import get_settings
from app.models import AuditEvent, RateLimitHit
from tests.conftest import soup
from tests.factories import PASSWORD, make_person, make_team, make_user

SSO = {
    "oidc_issuer": "https://login.trust.test/v2.0",
    "oidc_client_id": "trip",
    "oidc_client_secret": "a-client-secret",
    "oidc_require_for_staff": True,
}
USE_NHS = "Your role signs in with your NHS account. Choose “Sign in with your NHS account”."
NOT_RIGHT = "The username or password is not right. Check them and try again."


def configure(app, **changes) -> None:
    app.state.settings = app.state.settings.model_copy(update=changes)


def fresh(session, statement) -> list:
    with Session(session.get_bind(), expire_on_commit=False) as s:
        return list(s.exec(statement).all())


def sign_in(client, username: str, password: str):
    return client.form("/login", {"username": username, "password": password})


def said(response) -> str:
    """The message by the username field of a refused sign-in."""
    assert response.status_code == 422, response.text[:500]
    found = soup(response).select_one("#username-error")
    return found.get_text(" ", strip=True).removeprefix("Error:").strip()


def create_admin_with_the_cli(monkeypatch, database_url: str, username: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRIP_ENV", "development")
    get_settings.cache_clear()
    try:
        made = CliRunner().invoke(
            cli.app, ["users", "create-admin", username, "--password-stdin"], input=f"{PASSWORD}\n"
        )
    finally:
        get_settings.cache_clear()
    assert made.exit_code == 0, made.output


def test_a_recovery_lead_cannot_use_a_password_but_the_cli_admin_can(
    app, client, session, database_url, monkeypatch
):
    configure(app, **SSO)
    make_user(session, "lee", role="recovery_lead")
    make_user(session, "ada", role="admin")  # an admin made in the app, not by the CLI
    create_admin_with_the_cli(monkeypatch, database_url, "glass")

    assert said(sign_in(client, "lee", PASSWORD)) == USE_NHS
    assert said(sign_in(client, "ada", PASSWORD)) == USE_NHS
    assert client.get("/account", follow_redirects=False).status_code != 200
    client.login("glass")  # the break-glass admin: for when the provider is down
    assert client.get("/account").status_code == 200

    configure(app, oidc_require_for_staff=False)  # the rule off: everyone as before
    client.cookies.clear()
    client.login("lee")


def test_a_barred_account_is_not_told_whether_its_password_was_right(app, make_client, session):
    configure(app, **SSO)
    team = make_team(session, "Riverside North")
    make_person(session, team, "fran", role="facilitator")
    make_person(session, team, "sam")
    answers = {}
    for password in (PASSWORD, "a wrong guess entirely"):
        response = sign_in(make_client(), "fran", password)
        answers[password] = (response.status_code, said(response), response.text.count("Error"))
    assert answers[PASSWORD] == answers["a wrong guess entirely"]
    assert answers[PASSWORD][1] == USE_NHS
    assert said(sign_in(make_client(), "sam", "a wrong guess entirely")) == NOT_RIGHT
    refused = fresh(session, select(AuditEvent).where(AuditEvent.verb == "signin.refused"))
    assert [e.actor for e in refused] == ["fran", "fran"]
    assert fresh(session, select(AuditEvent).where(AuditEvent.verb == "signin.succeeded")) == []


@pytest.mark.parametrize("last", [PASSWORD, "a wrong guess entirely"])
def test_the_rate_limits_hold_for_a_barred_account(app, client, session, last):
    configure(app, **SSO)
    make_user(session, "lee", role="recovery_lead")
    for _ in range(5):
        assert said(sign_in(client, "lee", "a wrong guess entirely")) == USE_NHS
    assert said(sign_in(client, "lee", last)).startswith("Too many tries.")
    buckets = {h.bucket.partition(":")[0] for h in fresh(session, select(RateLimitHit))}
    # counted per name and address and per name; not against the address's backstop,
    # which a trust's staff behind one address share with the people who use the service
    assert buckets == {"signin-pair", "signin-user"}


def test_a_switched_off_barred_account_gets_the_usual_answer(app, client, session):
    configure(app, **SSO)
    make_user(session, "lee", role="recovery_lead", active=False)
    for password in (PASSWORD, "a wrong guess entirely"):
        assert said(sign_in(client, "lee", password)) == NOT_RIGHT
