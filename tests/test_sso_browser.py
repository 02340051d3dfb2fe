# ruff: noqa: F811  (the provider fixtures are imported by name)
"""A real browser signs a staff member in through the real OpenID provider (oidc-provider on
loopback) and lands on their teams; the pages single sign-on adds are axe-clean at 320 px and
1280 px."""

from __future__ import annotations

import threading
import time

import pytest
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests.conftest import SECRET, axe_violations
from tests.factories import PASSWORD, make_person, make_team, make_user
from tests.oidc_provider import (  # noqa: F401  (fixtures)
    CLIENT_ID,
    CLIENT_SECRET,
    oidc_providers,
    sso_live_port,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def sso_server(database_url, oidc_providers, sso_live_port):
    """The app with single sign-on set up, served on the port the provider knows."""
    import uvicorn

    base = f"http://127.0.0.1:{sso_live_port}"
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET,
        trip_env="development",
        public_url=base,
        oidc_issuer=oidc_providers[0].issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        _env_file=None,
    )
    engine = make_engine(database_url)
    config = uvicorn.Config(
        create_app(settings, engine), host="127.0.0.1", port=sso_live_port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture
def staff(database_url):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        team = make_team(session, "Riverside North")
        user, _ = make_person(session, team, "priya", role="facilitator", name="Priya S.")
        user.sso_email = "priya@trust.nhs.uk"
        session.add(user)
        session.commit()
    engine.dispose()


def clean(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    violations = axe_violations(page)
    assert violations == [], f"{page.url} at {width}px: {violations}"


def through_the_provider(page, login: str) -> None:
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    page.click("button[type=submit]")
    page.wait_for_selector("button[type=submit]")  # the provider's consent page
    page.click("button[type=submit]")


def test_a_staff_member_signs_in_with_the_provider_and_lands_on_their_teams(
    sso_server, page, staff, oidc_providers
):
    page.goto(f"{sso_server}/login")
    for width in (320, 1280):
        clean(page, width)
    page.click("text=Sign in with your NHS account")
    page.wait_for_url(f"{oidc_providers[0].issuer}/**")
    through_the_provider(page, "priya")
    page.wait_for_url(f"{sso_server}/")
    assert page.inner_text(".app-username") == "priya"
    assert "Riverside North" in page.inner_text("main")

    page.click("header button:has-text('Sign out'), button:has-text('Sign out')")
    page.wait_for_selector("a.app-provider-signout")
    for width in (320, 1280):
        clean(page, width)
    assert page.get_attribute("a.app-provider-signout", "href").startswith(
        f"{oidc_providers[0].issuer}/session/end"
    )


def test_someone_with_no_account_is_asked_to_be_added(sso_server, page, oidc_providers):
    page.goto(f"{sso_server}/login")
    page.click("text=Sign in with your NHS account")
    page.wait_for_url(f"{oidc_providers[0].issuer}/**")
    through_the_provider(page, "stranger")
    page.wait_for_url(f"{sso_server}/login/sso/no-account")
    page.console_errors.clear()  # the provider's own pages load fonts from the internet
    page.reload()
    assert page.inner_text("h1") == "Ask your facilitator or an admin to add you"
    for width in (320, 1280):
        clean(page, width)
    assert page.console_errors == []


def test_an_admin_sets_a_persons_nhs_email_address(sso_server, page, staff, database_url):
    engine = make_engine(database_url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        make_user(session, "ada", role="admin")
        fran, _ = make_person(session, make_team(session, "Riverside South"), "fran")
        session.commit()
    engine.dispose()
    page.goto(f"{sso_server}/login")
    page.fill("#username", "ada")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{sso_server}/")

    page.goto(f"{sso_server}/admin/users/{fran.id}")
    assert "Not linked yet" in page.inner_text(".app-sso-linked")
    for width in (320, 1280):
        clean(page, width)
    page.fill("#sso_email", "priya@trust.nhs.uk")  # already priya's
    page.click("button:has-text('Save NHS email address')")
    page.wait_for_selector("#sso_email-error")
    assert "already has this address" in page.inner_text("#sso_email-error")
    assert page.input_value("#sso_email") == "priya@trust.nhs.uk"
    for width in (320, 1280):
        clean(page, width)
    page.fill("#sso_email", "fran@trust.nhs.uk")
    page.click("button:has-text('Save NHS email address')")
    page.wait_for_selector("text=may now match fran@trust.nhs.uk")
    assert page.input_value("#sso_email") == "fran@trust.nhs.uk"
