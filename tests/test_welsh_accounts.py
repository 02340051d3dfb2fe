"""The signed-out pages, the error pages, accounts and a team's people in Welsh (issue 15,
point 1): requested with the cookie trip_lang=cy, they show no English sentence from the
catalogue (tests/test_welsh.py's check, page by page)."""

from __future__ import annotations

import re

from app.core import i18n
from tests.conftest import soup
from tests.factories import make_person, make_service, make_team, make_user
from tests.test_welsh import _english_only_sentences, _text


def _english_left(page) -> list[str]:
    text = _text(page)
    return [
        s for s in _english_only_sentences() if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)
    ]


def _welsh_page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, url
    page = soup(response)
    assert page.html["lang"] == "cy", url
    return page


def test_signed_out_pages_and_errors_are_in_welsh(client):
    client.cookies.set(i18n.COOKIE, "cy")
    pages = {
        "welcome": _welsh_page(client, "/"),
        "login": _welsh_page(client, "/login"),
        "privacy": _welsh_page(client, "/privacy"),
        "not found": _welsh_page(client, "/no-such-page", 404),
    }
    for name, page in pages.items():
        assert _english_left(page) == [], name
    assert pages["login"].select_one("h1").get_text(strip=True) == "Mewngofnodi"
    assert pages["login"].select_one("label[for=username]").get_text(strip=True) == (
        "Enw defnyddiwr"
    )
    assert pages["not found"].select_one("h1").get_text(strip=True) == (
        "Heb ddod o hyd i'r dudalen"
    )


def test_a_wrong_password_is_refused_in_welsh_next_to_the_field(client, session):
    team = make_team(session, "Cwm Taf")
    make_person(session, team, "fiona", role="facilitator")
    session.commit()
    client.cookies.set(i18n.COOKIE, "cy")
    response = client.form("/login", {"username": "fiona", "password": "not-the-one"})
    assert response.status_code == 422
    page = soup(response)
    assert "Dydy'r enw defnyddiwr neu'r cyfrinair ddim yn gywir" in page.get_text()
    assert page.select_one("input[name=username]")["value"] == "fiona"
    assert _english_left(page) == []


def test_a_facilitators_account_and_people_pages_are_in_welsh(client, session):
    team = make_team(session, "Cwm Taf", service=make_service(session, "Iechyd Meddwl"))
    make_person(session, team, "fiona", role="facilitator")
    _, sam = make_person(session, team, "sam")
    session.commit()
    client.login("fiona")
    client.cookies.set(i18n.COOKIE, "cy")
    pages = {
        "account": _welsh_page(client, "/account"),
        "people": _welsh_page(client, f"/teams/{team.id}/members"),
        "person": _welsh_page(client, f"/teams/{team.id}/members/{sam.id}"),
        "team home": _welsh_page(client, f"/teams/{team.id}"),
        "reminders": _welsh_page(client, "/account/reminders"),
        "assets": _welsh_page(client, f"/teams/{team.id}/assets"),
        "new asset": _welsh_page(client, f"/teams/{team.id}/assets/new"),
        "frameworks": _welsh_page(client, "/frameworks"),
        "API tokens": _welsh_page(client, "/account/tokens"),
    }
    for name, page in pages.items():
        assert _english_left(page) == [], f"{name}: {_english_left(page)}"
    assert pages["account"].select_one("h1").get_text(strip=True) == "Eich cyfrif"
    assert pages["people"].select_one("h1").get_text(strip=True) == "Pobl"


def test_the_admin_pages_are_in_welsh(client, session):
    ada = make_user(session, "ada", role="admin")
    client.login("ada")
    client.cookies.set(i18n.COOKIE, "cy")
    for url in (
        "/admin",
        "/admin/users",
        f"/admin/users/{ada.id}",
        "/admin/services",
        "/admin/teams",
    ):
        page = _welsh_page(client, url)
        assert _english_left(page) == [], f"{url}: {_english_left(page)}"


def test_a_flash_naming_a_service_is_in_welsh(client, session):
    make_user(session, "ada", role="admin")
    client.login("ada")
    client.cookies.set(i18n.COOKIE, "cy")
    response = client.form("/admin/services", {"name": "Iechyd Meddwl Cwm Taf"})
    assert response.status_code == 303
    page = soup(client.get(response.headers["location"]))
    flash = page.select_one(".app-flash").get_text(strip=True)
    assert flash == "Mae'r gwasanaeth “Iechyd Meddwl Cwm Taf” wedi'i ychwanegu."
    refused = soup(client.form("/admin/services", {"name": ""}))
    assert refused.select_one("#name-error").get_text(" ", strip=True) == (
        "Gwall: Rhowch enw'r gwasanaeth"
    )
