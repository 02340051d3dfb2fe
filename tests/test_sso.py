# ruff: noqa: F811  (the provider fixtures are imported by name)
"""Staff sign in with the trust's identity provider: a real OpenID provider (oidc-provider
from npm) on loopback, the app's callback through the test client. Linked by issuer and
subject; an email matches only an address an admin set, only when verified; the ID token's
issuer, audience, signature and expiry are checked; a state works once, in its own browser."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from app.accounts.service import oidc
from app.config import Settings
from app.models import AuditEvent, Invitation, LoginSession, User
from app.models.accounts import SsoLink
from tests.conftest import BASE, SECRET, soup
from tests.factories import PASSWORD, make_member, make_person, make_team, make_user
from tests.oidc_provider import (  # noqa: F401  (fixtures)
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    oidc_providers,
    provider_time,
    sso_live_port,
)

pytestmark = pytest.mark.usefixtures("provider_time")  # every test here signs in with it

CALLBACK = f"{BASE}/login/sso/callback"


@pytest.fixture
def settings(database_url, oidc_providers) -> Settings:
    trust, _ = oidc_providers
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        trip_env="development",
        public_url=BASE,
        oidc_issuer=trust.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        _env_file=None,
    )


@pytest.fixture
def trust(oidc_providers):
    return oidc_providers[0]


def configure(app, **changes) -> None:
    app.state.settings = app.state.settings.model_copy(update=changes)


def start(client, provider, login: str, path: str = "/login/sso") -> str:
    """Start at `path`, sign in at the provider as `login`: the callback address."""
    going = client.get(path, follow_redirects=False)
    assert going.status_code == 303, going.text
    assert going.headers["location"].startswith(provider.issuer)
    back = provider.sign_in(going.headers["location"], login)
    assert back.startswith(CALLBACK), back
    return back


def sso_sign_in(client, provider, login: str):
    return client.get(start(client, provider, login), follow_redirects=False)


def signed_in_as(client) -> str | None:
    page = client.get("/account", follow_redirects=False)
    if page.status_code != 200:
        return None
    return soup(page).select_one(".app-account-username").get_text(strip=True)


def verbs(session) -> list[str]:
    session.expire_all()
    return [e.verb for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_login_offers_the_nhs_account_only_when_configured(app, client):
    link = soup(client.get("/login")).select_one("a.app-sso-signin")
    assert link.get_text(strip=True) == "Sign in with your NHS account"
    assert link["href"].startswith("/login/sso")
    configure(app, oidc_issuer="")
    assert soup(client.get("/login")).select_one("a.app-sso-signin") is None
    assert client.get("/login/sso", follow_redirects=False).status_code == 404


def test_the_trip_uses_pkce_state_nonce_and_the_query_string(client, trust):
    going = client.get("/login/sso", follow_redirects=False)
    params = httpx.URL(going.headers["location"]).params
    assert params["response_type"] == "code" and params["response_mode"] == "query"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) >= 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["redirect_uri"] == CALLBACK and params["client_id"] == CLIENT_ID


def test_first_sign_in_matches_the_address_an_admin_set_then_the_subject(
    app, client, session, trust
):
    team = make_team(session, "Riverside North")
    alice, _ = make_person(session, team, "alice", role="facilitator", name="Alice")
    alice.sso_email = "Alice@trust.nhs.uk"
    session.add(alice)
    session.commit()

    back = sso_sign_in(client, trust, "alice")
    assert back.status_code == 303 and back.headers["location"] == "/"
    assert signed_in_as(client) == "alice"
    assert "Riverside North" in client.get("/").text
    link = session.exec(select(SsoLink)).one()
    assert (link.user_id, link.issuer, link.subject) == (alice.id, trust.issuer, "alice")
    assert session.exec(select(LoginSession.id_token)).first().count(".") == 2
    assert verbs(session)[-2:] == ["sso.linked", "sso.signed_in"]

    # later sign-ins go by issuer and subject, whatever the address says now
    alice.sso_email = None
    session.add(alice)
    session.commit()
    client.cookies.clear()
    assert sso_sign_in(client, trust, "alice").headers["location"] == "/"
    assert signed_in_as(client) == "alice"


def test_an_unverified_email_matches_nobody(client, session, trust):
    bob = make_user(session, "bob")
    bob.sso_email = "unverified-bob@trust.nhs.uk"
    session.add(bob)
    session.commit()
    back = sso_sign_in(client, trust, "unverified-bob")
    assert back.headers["location"] == "/login/sso/no-account"
    assert signed_in_as(client) is None
    assert session.exec(select(SsoLink)).first() is None


def test_a_person_who_matches_no_account_is_asked_to_be_added(client, session, trust):
    back = sso_sign_in(client, trust, "stranger")
    assert back.headers["location"] == "/login/sso/no-account"
    page = soup(client.get("/login/sso/no-account"))
    assert page.h1.get_text(strip=True) == "Ask your facilitator or an admin to add you"
    assert signed_in_as(client) is None
    assert verbs(session)[-1] == "sso.unmatched"


def test_with_new_accounts_allowed_the_account_has_no_team_and_no_role(app, client, session, trust):
    configure(app, oidc_allow_new_accounts=True)
    back = sso_sign_in(client, trust, "newbie")
    assert back.headers["location"] == "/login/sso/no-account"
    assert signed_in_as(client) == "newbie"
    user = session.exec(select(User).where(User.username == "newbie")).one()
    assert user.role == "user" and user.password_hash == ""
    assert "sso.linked" in verbs(session)


def test_a_domain_not_allowed_is_refused(app, client, session, trust):
    configure(app, oidc_allowed_domains="trust.nhs.uk, nhs.net", oidc_allow_new_accounts=True)
    refused = sso_sign_in(client, trust, "eve@elsewhere.org")
    assert refused.status_code == 403
    assert "cannot sign in to this service" in refused.text
    assert signed_in_as(client) is None
    assert sso_sign_in(client, trust, "eve@nhs.net").status_code == 303


def test_a_replayed_state_is_refused(client, session, trust):
    make_user(session, "alice").sso_email = "alice@trust.nhs.uk"
    session.commit()
    back = start(client, trust, "alice")
    assert client.get(back, follow_redirects=False).status_code == 303
    again = client.get(back, follow_redirects=False)
    assert again.status_code == 410 and "already been used" in again.text


def test_a_trip_started_in_another_browser_is_refused(client, make_client, session, trust):
    back = start(client, trust, "alice")
    other = make_client()
    refused = other.get(back, follow_redirects=False)
    assert refused.status_code == 403 and "another browser" in refused.text


def test_an_expired_id_token_is_refused(client, clock, session, trust):
    make_user(session, "alice").sso_email = "alice@trust.nhs.uk"
    session.commit()
    clock.advance(hours=2)  # the provider's ID tokens last an hour
    refused = sso_sign_in(client, trust, "alice")
    assert refused.status_code == 403 and "could not check" in refused.text
    assert signed_in_as(client) is None
    assert session.exec(select(SsoLink)).first() is None


def _check(token: str, provider, *, client_id=CLIENT_ID, nonce="n" * 32, now=None) -> dict:
    meta = oidc.discover(provider.issuer)
    return oidc.verify_id_token(
        token,
        issuer=meta["issuer"],
        client_id=client_id,
        jwks=meta["jwks"],
        nonce=nonce,
        now=now or provider.now(),
    )


def test_the_id_token_check_names_what_is_wrong(oidc_providers):
    trust, another = oidc_providers
    good = trust.token_for(CLIENT_ID, CALLBACK, "alice", "n" * 32)
    assert _check(good, trust)["sub"] == "alice"

    def reason(token, provider=trust, **kw) -> str:
        with pytest.raises(oidc.OidcProblem) as caught:
            _check(token, provider, **kw)
        return caught.value.reason

    # same signing key, another issuer: only the issuer check can catch it
    assert reason(another.token_for(CLIENT_ID, CALLBACK, "alice", "n" * 32)) == "issuer"
    # a token the provider made for another client (a wrong client id)
    assert reason(trust.token_for(OTHER_CLIENT_ID, CALLBACK, "alice", "n" * 32)) == "audience"
    assert reason(good, client_id=OTHER_CLIENT_ID) == "audience"
    assert reason(good, now=trust.now() + timedelta(hours=2)) == "expired"
    assert reason(good, nonce="m" * 32) == "nonce"
    head, body, sig = good.split(".")
    assert reason(f"{head}.{body}.{sig[:-4]}AAAA") == "signature"


def test_a_signed_in_person_links_their_account_on_the_account_page(client, session, trust):
    make_user(session, "carol")
    client.login("carol")
    page = soup(client.get("/account"))
    assert page.select_one("a.app-sso-link")["href"] == "/account/sso"
    back = client.get(
        start(client, trust, "carol-at-work", path="/account/sso"), follow_redirects=False
    )
    assert back.headers["location"] == "/account"
    assert soup(client.get("/account")).select_one(".app-sso-linked") is not None
    client.cookies.clear()
    assert sso_sign_in(client, trust, "carol-at-work").status_code == 303
    assert signed_in_as(client) == "carol"
    assert verbs(session).count("sso.linked") == 1


def test_an_invitation_completed_with_the_provider_links_the_new_account(client, session, trust):
    from app.accounts import service as accounts_service

    team = make_team(session, "Riverside North")
    priya, _ = make_person(session, team, "priya", role="facilitator", name="Priya")
    member = make_member(session, team, "Dana")
    _, token = accounts_service.create_invitation(
        session, team=team, member=member, actor=priya, now=client.app.state.clock()
    )
    session.commit()
    page = soup(client.get(f"/invite/{token}"))
    assert page.select_one("a.app-sso-invite")["href"] == f"/invite/{token}/sso"
    back = client.get(
        start(client, trust, "dana", path=f"/invite/{token}/sso"), follow_redirects=False
    )
    assert back.headers["location"] == "/"
    assert signed_in_as(client) == "dana"
    session.expire_all()
    assert session.get(type(member), member.id).user_id is not None
    assert session.exec(select(Invitation)).one().used_at is not None
    session.rollback()  # SQLite: every transaction holds the write lock
    assert "Riverside North" in client.get("/").text


def test_staff_must_use_the_provider_when_required(app, client, session):
    configure(app, oidc_require_for_staff=True)
    team = make_team(session, "Riverside North")
    make_user(session, "ada", role="admin")
    make_person(session, team, "fran", role="facilitator", name="Fran")
    make_person(session, team, "sam", role="member", name="Sam")
    glass = make_user(session, "glass", role="admin")
    glass.password_fallback = True  # as `trip users create-admin` makes it
    session.commit()
    for staff in ("ada", "fran"):
        refused = client.form("/login", {"username": staff, "password": PASSWORD})
        assert refused.status_code == 422 and "NHS account" in refused.text
    client.login("sam")
    client.cookies.clear()
    client.login("glass")


def test_sign_out_ends_the_session_and_offers_the_providers_sign_out(client, session, trust):
    make_user(session, "alice").sso_email = "alice@trust.nhs.uk"
    session.commit()
    sso_sign_in(client, trust, "alice")
    out = client.form("/logout")
    assert out.status_code == 200
    url = httpx.URL(soup(out).select_one("a.app-provider-signout")["href"])
    assert str(url).startswith(f"{trust.issuer}/session/end")
    assert url.params["id_token_hint"].count(".") == 2
    assert url.params["post_logout_redirect_uri"] == f"{BASE}/"
    assert signed_in_as(client) is None
