# ruff: noqa: F811  (the provider fixtures are imported by name)
"""Single sign-on rules the audit asked for, through the real provider (oidc-provider):
Entra ID accounts are linked by tenant id and object id, others by `sub`; the allowed email
domains believe only a verified email; old trips to the provider are deleted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.accounts.service import oidc
from app.models.accounts import SsoAttempt, SsoLink, User
from tests.conftest import soup
from tests.factories import make_person, make_team
from tests.oidc_provider import oidc_providers, provider_time, sso_live_port  # noqa: F401
from tests.test_sso import configure, settings, signed_in_as, sso_sign_in, trust  # noqa: F401

TENANT = "72f1e5a0-0000-4000-8000-000000000001"  # tests/oidc/provider.mjs
OBJECT = "0a1b2c3d-0000-4000-8000-00000000abcd"


def fresh(session, statement) -> list:
    with Session(session.get_bind(), expire_on_commit=False) as s:
        return list(s.exec(statement).all())


def with_email(session, username: str, email: str) -> User:
    """A team member (so a sign-in lands on their teams) with the address an admin set."""
    user, _ = make_person(session, make_team(session, f"Team {username}"), username)
    user.sso_email = email
    session.add(user)
    session.commit()
    return user


def refusal(response) -> str:
    return soup(response).select_one("main").get_text(" ", strip=True)


# --- who a token is about -----------------------------------------------------------------


def entra(**claims) -> dict:
    return {"iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "sub": "pairwise", **claims}


def test_entra_id_is_keyed_by_tenant_and_object_id_others_by_sub():
    assert oidc.subject_of({"iss": "https://idp.trust.test", "sub": "s-1"}) == "s-1"
    # Entra ID's sub is different for each app registration: tid + oid is not
    assert oidc.subject_of(entra(tid=TENANT, oid=OBJECT)) == f"entra:{TENANT}:{OBJECT}"
    assert oidc.subject_of(entra(tid=TENANT, oid=OBJECT, sub="other")) == (
        f"entra:{TENANT}:{OBJECT}"
    )
    # a provider elsewhere that sends tid and oid is taken as Entra ID too
    other = {"iss": "https://idp.trust.test", "sub": "s-1", "tid": TENANT, "oid": OBJECT}
    assert oidc.subject_of(other) == f"entra:{TENANT}:{OBJECT}"

    def reason(claims) -> str:
        with pytest.raises(oidc.OidcProblem) as caught:
            oidc.subject_of(claims)
        return caught.value.reason

    assert reason(entra(tid=TENANT)) == "subject"  # no oid: the profile scope is missing
    assert reason(entra(tid=TENANT, oid="")) == "subject"
    assert reason(entra(tid="another-tenant", oid=OBJECT)) == "tenant"


def test_only_a_verified_email_is_believed():
    plain = {"iss": "https://idp.trust.test", "sub": "s", "email": "a@trust.nhs.uk"}
    assert oidc.email_verified({**plain, "email_verified": True})
    assert not oidc.email_verified(plain)
    assert not oidc.email_verified({**plain, "email_verified": "true"})  # not a boolean
    assert not oidc.email_verified({**plain, "xms_edov": True})  # not Entra ID
    assert oidc.email_verified(entra(tid=TENANT, oid=OBJECT, xms_edov=True))
    assert not oidc.email_verified(entra(tid=TENANT, oid=OBJECT, xms_edov=False))
    assert not oidc.email_verified(entra(tid=TENANT, oid=OBJECT))  # optional claim not set up


# --- through the real provider ------------------------------------------------------------


@pytest.mark.usefixtures("provider_time")  # ID tokens dated by the provider
def test_an_entra_sign_in_links_tenant_and_object_id_not_sub(app, client, session, trust):
    configure(app, oidc_allowed_domains="trust.nhs.uk")
    dana = with_email(session, "dana", "entra-dana@trust.nhs.uk")
    back = sso_sign_in(client, trust, "entra-dana")  # tid, oid, xms_edov; no email_verified
    assert back.status_code == 303 and back.headers["location"] == "/", back.text
    assert signed_in_as(client) == "dana"
    (link,) = fresh(session, select(SsoLink))
    assert (link.user_id, link.issuer) == (dana.id, trust.issuer)
    assert link.subject == f"entra:{TENANT}:object-entra-dana"  # the provider's sub: entra-dana

    client.cookies.clear()
    assert sso_sign_in(client, trust, "entra-dana").headers["location"] == "/"
    assert signed_in_as(client) == "dana"
    assert len(fresh(session, select(SsoLink))) == 1


@pytest.mark.usefixtures("provider_time")  # ID tokens dated by the provider
def test_other_providers_link_by_sub(client, session, trust):
    erin = with_email(session, "erin", "erin@trust.nhs.uk")
    assert sso_sign_in(client, trust, "erin").headers["location"] == "/"
    (link,) = fresh(session, select(SsoLink))
    assert (link.user_id, link.subject) == (erin.id, "erin")


@pytest.mark.usefixtures("provider_time")  # ID tokens dated by the provider
def test_allowed_domains_refuse_an_unverified_email(app, client, session, trust):
    configure(app, oidc_allowed_domains="trust.nhs.uk", oidc_allow_new_accounts=True)
    for login in ("unverified-eve", "entra-unverified-eve"):  # the domain is allowed
        client.cookies.clear()
        refused = sso_sign_in(client, trust, login)
        assert refused.status_code == 403
        assert "did not confirm your email address" in refusal(refused)
        assert signed_in_as(client) is None
    assert fresh(session, select(User)) == [] and fresh(session, select(SsoLink)) == []
    # verified, the same domain: in (a new account, as the setting allows)
    assert sso_sign_in(client, trust, "entra-eve").headers["location"] == "/login/sso/no-account"
    assert signed_in_as(client) == "entra-eve"


@pytest.mark.usefixtures("provider_time")  # ID tokens dated by the provider
def test_an_unverified_entra_email_matches_nobody(client, session, trust):
    with_email(session, "fred", "entra-unverified-fred@trust.nhs.uk")
    back = sso_sign_in(client, trust, "entra-unverified-fred")
    assert back.headers["location"] == "/login/sso/no-account"
    assert signed_in_as(client) is None
    assert fresh(session, select(SsoLink)) == []


# --- old trips are deleted ----------------------------------------------------------------


def trips(session) -> list[datetime]:
    return [
        t if t.tzinfo else t.replace(tzinfo=UTC)
        for t in fresh(session, select(SsoAttempt.created_at).order_by(SsoAttempt.id))
    ]


def test_trips_past_their_time_are_deleted_at_most_once_a_minute(client, session, clock, trust):
    def go() -> datetime:
        assert client.get("/login/sso", follow_redirects=False).status_code == 303
        return clock.now

    a = go()
    clock.advance(seconds=70)
    b = go()
    clock.advance(minutes=14, seconds=50)  # a is 16 minutes old, b 14 min 50 s
    c = go()
    assert trips(session) == [b, c]
    clock.advance(seconds=30)  # b is now past 15 minutes, but the last prune was 30 s ago
    d = go()
    assert trips(session) == [b, c, d]
    clock.advance(seconds=31)
    e = go()
    assert trips(session) == [c, d, e]
    assert a not in trips(session)
