"""Protection: CSRF, headers, session cookies and timeouts, rate limits, password hashing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import select

from app.config import Settings
from app.main import create_app
from app.models import LoginSession, User
from app.security.csrf import token_for
from app.security.passwords import common_passwords, hash_password, password_problem
from app.security.sessions import cookie_name
from tests.conftest import SECRET, soup
from tests.factories import PASSWORD, make_team, make_user


def rows(session, statement) -> list:
    """Read, then end the transaction (SQLite: a held transaction blocks the app)."""
    found = list(session.exec(statement).all())
    session.commit()
    return found


def _error(response, field: str) -> str:
    node = soup(response).select_one(f"#{field}-error")
    return node.get_text(" ", strip=True) if node else ""


# --- CSRF ---------------------------------------------------------------------------------


def _login_data(client) -> dict:
    return {"username": "nobody", "password": "x" * 10, "csrf_token": client.csrf_token()}


def test_cross_site_fetch_metadata_is_refused(client):
    data = _login_data(client)
    response = client.post("/login", data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "could not be accepted" in soup(response).select_one("main").get_text()


def test_same_site_but_not_same_origin_is_refused(client):
    data = _login_data(client)
    response = client.post("/login", data=data, headers={"Sec-Fetch-Site": "same-site"})
    assert response.status_code == 403


def test_foreign_origin_without_fetch_metadata_is_refused(make_client):
    c = make_client()
    del c.headers["Sec-Fetch-Site"]
    data = _login_data(c)
    response = c.post("/login", data=data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_no_origin_and_no_fetch_metadata_is_refused(make_client):
    c = make_client()
    del c.headers["Sec-Fetch-Site"]
    assert c.post("/login", data=_login_data(c)).status_code == 403


def test_public_url_origin_without_fetch_metadata_passes(make_client, session):
    make_user(session, "priya")
    c = make_client()
    del c.headers["Sec-Fetch-Site"]
    data = {"username": "priya", "password": PASSWORD, "csrf_token": c.csrf_token()}
    response = c.post(
        "/login", data=data, headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert response.status_code == 303


def test_missing_token_is_refused(client):
    response = client.post("/login", data={"username": "a", "password": "b"})
    assert response.status_code == 403


def test_wrong_token_is_refused(client):
    data = {"username": "a", "password": "b", "csrf_token": "0" * 64}
    assert client.post("/login", data=data).status_code == 403


def test_token_for_another_cookie_is_refused(client, session):
    make_user(session, "priya")
    client.login("priya")
    stolen = token_for(SECRET, "someone-elses-session-token")
    response = client.post("/account/password", data={"csrf_token": stolen})
    assert response.status_code == 403


def test_plain_html_form_post_with_token_passes(client, session):
    make_user(session, "priya")
    client.login("priya")
    # exactly what a browser sends for the sign-out form: same-origin, urlencoded, the token
    response = client.form("/logout")
    assert response.status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_htmx_header_token_passes(client, session):
    make_user(session, "priya")
    client.login("priya")
    response = client.post(
        "/logout",
        headers={"X-CSRF-Token": client.csrf_token(), "HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"


def test_anonymous_form_gets_a_token_from_its_own_cookie(make_client):
    c = make_client()
    page = soup(c.get("/login"))
    token = page.select_one("input[name=csrf_token]")["value"]
    data = {"username": "nobody", "password": "wrong-password", "csrf_token": token}
    assert c.post("/login", data=data).status_code == 422  # accepted, then refused sign-in


# --- headers ------------------------------------------------------------------------------

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def test_signed_in_pages_carry_the_headers(client, session):
    make_user(session, "ada", role="admin")
    client.login("ada")
    for url in ("/", "/account", "/admin", "/admin/users", "/admin/audit", "/login"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Security-Policy"] == CSP, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # development


def _production(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        trip_env="production",
        public_url="https://trip.example.nhs.uk",
        _env_file=None,
    )


@pytest.fixture
def prod_client(database_url, engine):
    application = create_app(_production(database_url), engine)
    with TestClient(
        application,
        base_url="https://trip.example.nhs.uk",
        headers={"Sec-Fetch-Site": "same-origin"},
    ) as c:
        yield c


def _set_cookie_for(response, name: str) -> str:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(name + "="):
            return header
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.get_list('set-cookie')}")


def test_production_cookie_is_host_prefixed_secure_httponly_lax(prod_client, session):
    make_user(session, "priya")
    page = soup(prod_client.get("/login"))
    token = page.select_one("input[name=csrf_token]")["value"]
    response = prod_client.post(
        "/login",
        data={"username": "priya", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    header = _set_cookie_for(response, "__Host-trip_session")
    parts = [p.strip().lower() for p in header.split(";")]
    assert "secure" in parts and "httponly" in parts and "path=/" in parts
    assert "samesite=lax" in parts
    assert not any(p.startswith("domain=") for p in parts)
    home = prod_client.get("/")
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")
    assert soup(home).select_one(".app-username").get_text(strip=True) == "priya"


def test_development_cookie_is_plain_but_httponly(client, session):
    make_user(session, "priya")
    response = client.login("priya")
    header = _set_cookie_for(response, "trip_session")
    parts = [p.strip().lower() for p in header.split(";")]
    assert "httponly" in parts and "samesite=lax" in parts and "secure" not in parts


# --- sessions -----------------------------------------------------------------------------


def _session_cookie(client) -> str | None:
    return client.cookies.get(cookie_name(client.app.state.settings))


def _plant(client, value: str) -> None:
    client.cookies.clear()
    client.cookies.set(cookie_name(client.app.state.settings), value, domain="testserver.local")


def _signed_in_as(client) -> str | None:
    node = soup(client.get("/")).select_one(".app-username")
    return node.get_text(strip=True) if node else None


def test_sign_in_rotates_the_session(client, session):
    make_user(session, "priya")
    client.login("priya")
    first = _session_cookie(client)
    client.login("priya")
    second = _session_cookie(client)
    assert first and second and first != second
    assert len(rows(session, select(LoginSession))) == 1  # the old one was ended
    _plant(client, first)
    assert _signed_in_as(client) is None


def test_a_planted_session_cookie_is_replaced_at_sign_in(client, session):
    make_user(session, "priya")
    _plant(client, "attacker-chosen-value")
    client.login("priya")
    assert _session_cookie(client) != "attacker-chosen-value"


def test_idle_timeout(client, session, clock):
    make_user(session, "priya")
    client.login("priya")
    idle = client.app.state.settings.session_idle_minutes
    clock.advance(minutes=idle - 5)
    assert _signed_in_as(client) == "priya"  # this visit keeps it alive
    clock.advance(minutes=idle - 5)
    assert _signed_in_as(client) == "priya"
    clock.advance(minutes=idle + 1)
    assert _signed_in_as(client) is None
    assert rows(session, select(LoginSession)) == []


def test_absolute_timeout(client, session, clock):
    make_user(session, "priya")
    client.login("priya")
    hours = client.app.state.settings.session_absolute_hours
    for _ in range(hours * 2 - 1):
        clock.advance(minutes=30)
        assert _signed_in_as(client) == "priya"
    clock.advance(minutes=31)
    assert _signed_in_as(client) is None


def test_sign_out_invalidates_the_session(client, session):
    make_user(session, "priya")
    client.login("priya")
    token = _session_cookie(client)
    client.form("/logout")
    assert rows(session, select(LoginSession)) == []
    _plant(client, token)
    assert _signed_in_as(client) is None


def test_deactivation_ends_sessions_at_once(make_client, session):
    make_user(session, "ada", role="admin")
    priya = make_user(session, "priya")
    admin, person, phone = make_client(), make_client(), make_client()
    admin.login("ada")
    person.login("priya")
    phone.login("priya")
    response = admin.form(f"/admin/users/{priya.id}/deactivate")
    assert response.status_code == 303
    assert _signed_in_as(person) is None and _signed_in_as(phone) is None
    assert rows(session, select(LoginSession).where(LoginSession.user_id == priya.id)) == []
    again = person.form("/login", {"username": "priya", "password": PASSWORD})
    assert again.status_code == 422


def test_unknown_session_cookie_is_just_anonymous(client):
    _plant(client, "no-such-session")
    assert client.get("/account", follow_redirects=False).status_code == 303


# --- rate limits --------------------------------------------------------------------------


def test_failed_sign_ins_per_username_then_a_plain_wait_message(client, session, clock):
    make_user(session, "priya")
    for _ in range(5):
        response = client.form("/login", {"username": "priya", "password": "wrong-password"})
        assert response.status_code == 422
    response = client.form("/login", {"username": "priya", "password": PASSWORD})
    assert response.status_code == 422
    message = _error(response, "username")
    assert "Please wait 15 minutes" in message
    clock.advance(minutes=16)
    assert client.form("/login", {"username": "priya", "password": PASSWORD}).status_code == 303


def test_one_locked_username_does_not_lock_others_on_the_same_address(client, session):
    make_user(session, "priya")
    make_user(session, "tom")
    for _ in range(6):
        client.form("/login", {"username": "priya", "password": "wrong-password"})
    assert client.form("/login", {"username": "tom", "password": PASSWORD}).status_code == 303


def test_a_room_of_30_sharing_one_address_can_sign_in(make_client, session):
    for n in range(30):
        make_user(session, f"ward{n:02d}")
    for n in range(30):
        c = make_client()  # every test client comes from the same address
        typo = c.form("/login", {"username": f"ward{n:02d}", "password": "not it at all"})
        assert typo.status_code == 422
        assert "not right" in _error(typo, "username")
        assert (
            c.form("/login", {"username": f"ward{n:02d}", "password": PASSWORD}).status_code == 303
        )


def test_the_per_address_backstop_stops_a_spray(client, session, clock):
    from app.security import ratelimit

    make_user(session, "priya")
    for n in range(3):  # real failed sign-ins count against the address ...
        client.form("/login", {"username": f"guess{n}", "password": "wrong-password"})
    for _ in range(ratelimit.SIGNIN_PER_ADDRESS.max_hits - 3):  # ... and so would 97 more
        ratelimit.hit(session, ratelimit.SIGNIN_PER_ADDRESS, "testclient", now=clock())
    session.commit()
    response = client.form("/login", {"username": "priya", "password": PASSWORD})
    assert response.status_code == 422
    assert "Please wait" in _error(response, "username")


# --- passwords ----------------------------------------------------------------------------


def test_hash_is_argon2id_at_the_owasp_minimum(session):
    from app.accounts.service import create_user

    user = create_user(session, username="priya", password="a fine long passphrase")
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_old_parameters_are_rehashed_at_sign_in(client, session):
    weak = Argon2Hasher(memory_cost=8192, time_cost=1, parallelism=1).hash(PASSWORD)
    user = make_user(session, "priya")
    user.password_hash = weak
    session.add(user)
    session.commit()
    client.login("priya")
    session.expire_all()
    stored = session.get(User, user.id).password_hash
    session.commit()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert stored != weak


def test_password_rules():
    assert "at least 8" in password_problem("short")
    assert password_problem("x" * 129)
    assert password_problem("x" * 64 + "yz") is None  # long passphrases are welcome
    assert "too common" in password_problem("password1")
    assert "too common" in password_problem("Baseball")  # any case
    assert "same as your username" in password_problem("priya-smith", username="priya-smith")
    assert password_problem("no rules about symbols here") is None


def test_common_password_list_is_shipped_and_skips_comments():
    words = common_passwords()
    assert len(words) > 3000
    assert not any(w.startswith("#") for w in words)
    assert "12345678" in words and "iloveyou" in words
    assert PASSWORD not in words


def test_hash_never_holds_the_password():
    stored = hash_password("a fine long passphrase")
    assert "a fine long passphrase" not in stored


# --- the first administrator --------------------------------------------------------------


def test_create_admin_reads_the_password_from_stdin(database_url, session, monkeypatch):
    from typer.testing import CliRunner

    from app import cli
    from app.config import get_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRIP_ENV", "development")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(
            cli.app,
            ["users", "create-admin", "Ada", "--password-stdin"],
            input="a long and private passphrase\n",
        )
        assert result.exit_code == 0, result.output
        assert "Administrator ada created" in result.output
        weak = runner.invoke(
            cli.app, ["users", "create-admin", "bob", "--password-stdin"], input="password1\n"
        )
        assert weak.exit_code == 1
        assert "too common" in weak.output
    finally:
        get_settings.cache_clear()
    users = rows(session, select(User))
    assert [(u.username, u.role) for u in users] == [("ada", "admin")]
    assert users[0].password_hash.startswith("$argon2id$")
    make_team(session)  # the database is still usable afterwards
