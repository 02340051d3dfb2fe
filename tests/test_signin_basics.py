"""Sign in and out: the minimum every later test stands on."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.factories import make_user


def test_sign_in_then_home_then_sign_out(client, session):
    make_user(session, "priya")
    response = client.login("priya")
    assert response.headers["location"] == "/"
    page = BeautifulSoup(client.get("/").text, "html.parser")
    assert page.select_one("h1").get_text(strip=True) == "Home"
    assert page.select_one(".app-username").get_text(strip=True) == "priya"
    client.form("/logout")
    page = BeautifulSoup(client.get("/").text, "html.parser")
    assert page.select_one(".app-username") is None


def test_wrong_password_rerenders_with_message_and_keeps_username(client, session):
    make_user(session, "priya")
    response = client.form("/login", {"username": "priya", "password": "wrong-password"})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert "not right" in page.select_one("#username-error").get_text()
    assert page.select_one("input#username")["value"] == "priya"
    assert page.select_one("input#password")["value"] == ""


def test_empty_form_names_each_field(client):
    response = client.form("/login", {"username": "", "password": ""})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#username-error")
    assert page.select_one("#password-error")
