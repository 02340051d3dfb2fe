"""The skeleton: health, error pages, headers, settings, the look."""

from __future__ import annotations

import pytest

from app.config import Settings
from tests.conftest import soup


def test_healthz_reports_app_and_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "app": "ok", "database": "ok"}


def test_unknown_page_is_404_in_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == "Page not found"
    assert page.select_one("a.nhsuk-skip-link")["href"] == "#maincontent"
    assert page.select_one("main#maincontent")


def test_every_html_page_has_the_strict_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_or_style_in_the_layout(client):
    page = soup(client.get("/"))
    for script in page.select("script"):
        assert script.get("src"), "inline <script> found"
    assert not page.select("[style]")
    assert not page.select("style")


def test_production_refuses_default_secret():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(trip_env="production", public_url="https://x.example", _env_file=None)


def test_production_refuses_missing_public_url():
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        Settings(trip_env="production", secret_key="x" * 40, _env_file=None)


def test_development_public_url_defaults_to_host_and_port():
    s = Settings(host="127.0.0.1", port=8123, _env_file=None)
    assert s.public_url == "http://127.0.0.1:8123"


def test_vendored_css_has_no_font_face():
    from pathlib import Path

    css = Path("app/static/vendor/nhsuk/nhsuk-frontend.min.css").read_text()
    assert "@font-face" not in css
    assert "http://" not in css and "https://" not in css
