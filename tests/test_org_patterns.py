"""The /patterns page: every component of the house style, in development only."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_patterns_shows_every_component(client):
    response = client.get("/patterns")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    sections = {s["id"] for s in page.select("section.app-pattern")}
    assert sections == {
        "typography",
        "buttons",
        "fields",
        "fields-error",
        "tags",
        "tables",
        "meters",
        "cards",
        "summary-list",
        "inset",
        "more-fields",
        "ours",
    }
    index = [a["href"] for a in page.select("#pattern-index a")]
    assert index == [f"#{s['id']}" for s in page.select("section.app-pattern")]
    buttons = page.select_one("#buttons")
    assert buttons.select_one(".nhsuk-button--secondary")
    assert buttons.select_one(".nhsuk-button--warning")
    fields = page.select_one("#fields")
    for selector in (
        "input.nhsuk-input",
        "textarea",
        "select",
        ".nhsuk-radios",
        ".nhsuk-checkboxes",
    ):
        assert fields.select_one(selector), selector
    assert not fields.select(".nhsuk-form-group--error")
    broken = page.select_one("#fields-error")
    assert len(broken.select(".nhsuk-form-group--error")) == 5
    assert len(broken.select(".nhsuk-error-summary li a")) == 5
    assert broken.select_one("input#p-name")["value"] == "Riverside Nort"
    assert len(page.select("#tags .nhsuk-tag")) >= 6
    assert page.select_one("#tables .app-table-scroll[role=region][tabindex='0'] table")
    assert page.select_one("#meters meter") and page.select_one("#meters progress")
    assert page.select("#cards .nhsuk-card")
    assert page.select_one("#summary-list .nhsuk-summary-list")
    assert page.select_one("#inset .nhsuk-inset-text")
    assert not page.select("[style]") and not page.select("style")
    ids = [el["id"] for el in page.select("[id]")]
    assert len(ids) == len(set(ids)), "an id is used twice"


def test_patterns_is_not_there_in_production(engine):
    settings = Settings(
        database_url=str(engine.url.render_as_string(hide_password=False)),
        secret_key="a-production-secret-0123456789-ABCDEFGHIJ-klmnop",
        trip_env="production",
        public_url="https://trip.example.org",
        _env_file=None,
    )
    with TestClient(create_app(settings, engine), base_url="https://trip.example.org") as c:
        assert c.get("/patterns").status_code == 404
