"""Test fixtures: a clean real database per test (SQLite file, or PostgreSQL when
TRIP_TEST_DB=postgres and TEST_DATABASE_URL is set), the app, clients, a live server and
a real browser."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlmodel import Session

import app.models  # noqa: F401
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import metadata
from app.security.csrf import token_for
from app.security.sessions import cookie_name

POSTGRES = os.environ.get("TRIP_TEST_DB") == "postgres"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
SECRET = "test-secret-key-that-is-long-enough-0123456789"
BASE = "http://testserver"

if POSTGRES and not PG_URL:
    raise RuntimeError("TRIP_TEST_DB=postgres needs TEST_DATABASE_URL")


@contextmanager
def sql_sent(engine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends inside the block (BEGIN included), as sent."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def soup(response, *, status: int | None = None) -> BeautifulSoup:
    """A page (a response or its text) read for CSS selectors; with `status`, first check
    the answer had that status (showing the start of the page when not)."""
    if status is not None:
        assert response.status_code == status, response.text[:500]
    return BeautifulSoup(getattr(response, "text", response), "html.parser")


def _settings(url: str, public_url: str = BASE) -> Settings:
    return Settings(
        database_url=url,
        secret_key=SECRET,
        trip_env="development",
        public_url=public_url,
        _env_file=None,
    )


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path | str:
    if POSTGRES:
        engine = make_engine(PG_URL, pool_size=1)
        metadata.drop_all(engine)
        metadata.create_all(engine)
        engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}", pool_size=1)
    metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture
def database_url(_template_db, tmp_path) -> Iterator[str]:
    if POSTGRES:
        engine = make_engine(PG_URL, pool_size=1)
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
        yield PG_URL
    else:
        path = tmp_path / "trip.db"
        shutil.copy(_template_db, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def settings(database_url) -> Settings:
    return _settings(database_url)


@pytest.fixture
def engine(settings):
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


# Every test's "now" starts here, never at the wall clock: a Monday morning in November
# (Greenwich time, so the London date is the UTC date). Tests that need another moment set
# `clock.now` or `clock.advance(...)`.
START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class Clock:
    """A clock tests can move: app.state.clock = clock. It starts at START."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(settings, engine, clock):
    application = create_app(settings, engine)
    application.state.clock = clock
    return application


class Client(TestClient):
    """A browser-like client: same-origin Fetch Metadata, and `form()` adds the CSRF token."""

    def csrf_token(self) -> str:
        settings = self.app.state.settings
        value = self.cookies.get(cookie_name(settings)) or self.cookies.get(
            anon_cookie_name_for(settings)
        )
        if not value:
            self.get("/privacy")
            value = self.cookies.get(anon_cookie_name_for(settings))
        return token_for(settings.secret_key, value)

    def form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        kwargs.setdefault("follow_redirects", False)
        return self.post(url, data=data, **kwargs)

    def login(self, username: str, password: str = "correct horse battery staple"):
        response = self.form("/login", {"username": username, "password": password})
        assert response.status_code == 303, response.text
        return response


def anon_cookie_name_for(settings: Settings) -> str:
    return ("__Host-" if settings.secure_cookies else "") + "trip_anon"


@pytest.fixture
def client(app) -> Iterator[Client]:
    with Client(app, base_url=BASE, headers={"Sec-Fetch-Site": "same-origin"}) as c:
        yield c


@pytest.fixture
def make_client(app):
    """More clients (separate cookie jars) for the same app."""
    clients: list[Client] = []

    def factory() -> Client:
        c = Client(app, base_url=BASE, headers={"Sec-Fetch-Site": "same-origin"})
        c.__enter__()
        clients.append(c)
        return c

    yield factory
    for c in clients:
        c.__exit__(None, None, None)


# --- a live server and a real browser, for the key journeys -------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveURL(str):
    """The live server's base URL, carrying the app it serves (`.app`)."""

    def __new__(cls, base: str, app):
        url = super().__new__(cls, base)
        url.app = app
        return url


@pytest.fixture
def live_server(database_url, clock):
    """The app served by uvicorn in a thread, on the test's clock; yields its base URL
    (a str whose `.app` is the app, e.g. for a test-only route)."""
    import uvicorn

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    live_settings = _settings(database_url, public_url=base)
    engine = make_engine(database_url)
    application = create_app(live_settings, engine)
    application.state.clock = clock
    config = uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    application.state.base_url = base
    yield LiveURL(base, application)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if POSTGRES:
        pytest.skip("browser tests run in the SQLite pass only")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (CI is set, so this is a failure)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.console_errors = errors
    yield pg
    context.close()


def axe_violations(page) -> list[dict]:
    """WCAG 2.0/2.1/2.2 A and AA violations found by axe-core on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
    ]
