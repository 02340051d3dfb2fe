"""Issue 11, "found broken while trying it", the security half: rate_limit_hit pruned,
one safe "next", current-password guesses limited, sign-in locks per username and address
with a growing delay per username, and the production SECRET_KEY rules (docs/security.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from app.config import Settings
from app.models import RateLimitHit
from app.security import ratelimit
from tests.conftest import BASE, Client, soup
from tests.factories import PASSWORD, make_user


def error(response, field: str) -> str:
    found = soup(response).select_one(f"#{field}-error")
    assert found is not None, response.text[:2000]
    return found.get_text(" ", strip=True)


def client_from(app, host: str) -> Client:
    """A client at another address (the limits key on the address)."""
    c = Client(app, base_url=BASE, headers={"Sec-Fetch-Site": "same-origin"}, client=(host, 5000))
    c.__enter__()
    return c


# --- rate_limit_hit is pruned -------------------------------------------------------------


def _hits(session) -> int:
    session.expire_all()
    count = session.exec(select(func.count()).select_from(RateLimitHit)).one()
    session.commit()  # end the read: on SQLite an open transaction holds the write lock
    return count


def test_rate_limit_hits_are_pruned_on_a_hit_at_most_once_a_minute(client, session, clock):
    def old_hit():
        session.add(RateLimitHit(bucket="old:x", at=clock() - timedelta(days=2)))
        session.commit()

    old_hit()
    client.form("/login", {"username": "nobody", "password": "wrong-password"})
    assert _hits(session) == 3  # the old one gone; the new failure's pair, name, address
    old_hit()
    clock.advance(seconds=30)
    client.form("/login", {"username": "nobody", "password": "wrong-password"})
    assert _hits(session) == 7  # within the minute: no second prune
    clock.advance(seconds=31)
    client.form("/login", {"username": "nobody", "password": "wrong-password"})
    assert _hits(session) == 9


# --- one safe "next" for redirects and HX-Redirect ----------------------------------------

BAD_NEXTS = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    " /x",
    "/x\x00y",
    "/\x7f/evil.example",
    "evil.example",
]


@pytest.mark.parametrize("target", BAD_NEXTS)
def test_safe_next_refuses_anything_but_a_path_here(target):
    from app.web import safe_next

    assert safe_next(target) == "/"


def test_safe_next_keeps_real_paths():
    from app.web import safe_next

    for target in ("/", "/compare?sort=name&dir=desc", "/plans/3#action-4", "/teams/2/plan"):
        assert safe_next(target) == target


@pytest.mark.parametrize("htmx", [True, False])
def test_sign_in_with_a_tab_in_next_stays_on_this_site(client, session, htmx):
    make_user(session, "priya")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.form(
        "/login",
        {"username": "priya", "password": PASSWORD, "next": "/\t/evil.example"},
        headers=headers,
    )
    target = response.headers["HX-Redirect" if htmx else "location"]
    assert target == "/"  # was an HX-Redirect to "/\t/evil.example": another site
    assert client.get("/login?next=/%09/evil.example").status_code == 200
    page = soup(client.get("/login", params={"next": "/\t/evil.example"}))
    assert page.select_one("input[name=next]")["value"] == "/"


# --- current-password guesses -------------------------------------------------------------


def test_current_password_guesses_are_limited_per_account(client, session, clock):
    make_user(session, "priya")
    client.login("priya")
    new = "a much longer new passphrase 42"
    for _ in range(5):
        wrong = client.form(
            "/account/password", {"current_password": "guess-guess", "new_password": new}
        )
        assert wrong.status_code == 422
        assert "not right" in error(wrong, "current_password")
    right = client.form("/account/password", {"current_password": PASSWORD, "new_password": new})
    assert right.status_code == 422  # was unlimited
    assert "Too many tries. Please wait 15 minutes" in error(right, "current_password")
    clock.advance(minutes=16)
    right = client.form("/account/password", {"current_password": PASSWORD, "new_password": new})
    assert right.status_code == 303


# --- sign-in: a lock per username and address, a growing delay per username ---------------


def _try(c, username: str, password: str):
    return c.form("/login", {"username": username, "password": password})


def test_guesses_from_elsewhere_never_lock_admin_out(app, session, clock):
    make_user(session, "admin", role="admin")
    attacker = client_from(app, "203.0.113.9")
    for _ in range(5):
        assert "not right" in error(_try(attacker, "admin", "guess-guess"), "username")
    refused = _try(attacker, "admin", PASSWORD)  # this address is locked for this name
    assert "Please wait 15 minutes" in error(refused, "username")
    admin = client_from(app, "198.51.100.7")
    clock.advance(seconds=2)  # the delay five failures earned (1 second) has passed
    assert _try(admin, "admin", PASSWORD).status_code == 303  # was locked for 15 minutes
    attacker.__exit__(None, None, None)
    admin.__exit__(None, None, None)


def test_failures_for_one_name_grow_its_delay_without_a_lock(app, session, clock):
    make_user(session, "admin", role="admin")
    for n in range(9):  # a slow spray from nine addresses, each guessing once
        clock.advance(seconds=64)  # past any delay earned so far
        attacker = client_from(app, f"203.0.113.{n + 1}")
        assert "not right" in error(_try(attacker, "admin", "guess-guess"), "username")
        attacker.__exit__(None, None, None)
    # nine failures in 15 minutes: the next try for "admin", from anywhere, waits
    # 2 ** (9 - 5) = 16 seconds after the last; a refused try checks no password and counts
    # nothing, so it does not push the wait further out
    admin = client_from(app, "198.51.100.7")
    assert "Please wait 16 seconds" in error(_try(admin, "admin", PASSWORD), "username")
    clock.advance(seconds=10)
    assert "Please wait 6 seconds" in error(_try(admin, "admin", PASSWORD), "username")
    clock.advance(seconds=6)
    assert _try(admin, "admin", PASSWORD).status_code == 303
    admin.__exit__(None, None, None)


def test_the_delay_grows_and_stops_at_a_minute(session, clock):
    name = "admin"
    waits = []
    for _ in range(12):
        ratelimit.hit(session, ratelimit.SIGNIN_PER_USERNAME, name, now=clock())
        session.commit()
        try:
            ratelimit.check_delay(session, ratelimit.SIGNIN_PER_USERNAME, name, now=clock())
            waits.append(0)
        except ratelimit.RateLimited as exc:
            waits.append(exc.retry_after)
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


# --- SECRET_KEY in production -------------------------------------------------------------


def _production(secret: str) -> Settings:
    return Settings(
        trip_env="production",
        public_url="https://trip.example.nhs.uk",
        database_url="sqlite://",
        secret_key=secret,
        _env_file=None,
    )


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("a" * 32, "different characters"),  # was accepted
        ("abcdefghijklmnopqrstuvwxyz" * 4, None),  # 26 distinct, 104 long: fine
        ("Zq7-short-but-distinct-WXY", "too short"),
        ("0123456789abcde" * 4, "different characters"),  # 15 distinct
    ],
)
def test_production_secret_key_rules_and_the_refusal_never_prints_it(secret, words):
    if words is None:
        assert _production(secret).secret_key == secret
        return
    with pytest.raises(ValueError) as caught:
        _production(secret)
    text = str(caught.value) + repr(caught.value)
    assert words in text
    for part in (secret, secret[-8:], secret[:8], secret[-4:]):
        assert part not in text  # the end of the key was printed before


def test_a_missing_public_url_refusal_does_not_print_the_key_either():
    secret = "Kx9-pretty-random-secret-value-0123456789-ENDofKEY"
    with pytest.raises(ValueError) as caught:
        Settings(trip_env="production", secret_key=secret, _env_file=None)
    text = str(caught.value) + repr(caught.value)
    assert "PUBLIC_URL" in text
    assert "ENDofKEY" not in text and secret[:8] not in text  # its end was printed before
