"""Observability: one request id on every log line of a request, echoed as X-Request-ID;
/healthz and /readyz say 503 when the database cannot be reached."""

from __future__ import annotations

import io
import json
import logging

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.logs import JsonFormatter
from app.main import create_app


@pytest.fixture
def log_lines():
    """Every log line written while the test runs, as parsed JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def read() -> list[dict]:
        handler.flush()
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    yield read
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_every_line_of_a_request_carries_its_request_id(app, client, log_lines):
    work = logging.getLogger("trip.test")

    def endpoint():  # runs in the thread pool, like every sync route
        work.info("first step")
        work.warning("second step")
        return {"ok": True}

    app.add_api_route("/_logging_probe", endpoint)
    response = client.get("/_logging_probe", headers={"X-Request-ID": "probe-1234"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "probe-1234"
    lines = log_lines()
    mine = [line for line in lines if line["logger"] in ("trip.test", "trip.request")]
    assert [line["message"] for line in mine] == [
        "first step",
        "second step",
        "GET /_logging_probe 200",
    ]
    assert {line["request_id"] for line in mine} == {"probe-1234"}
    request_line = mine[-1]
    assert request_line["status"] == 200 and request_line["path"] == "/_logging_probe"
    assert isinstance(request_line["ms"], float)


def test_a_request_without_an_id_gets_one_and_it_is_on_every_line(client, log_lines):
    # a refused form logs a warning from the error handler, then the request line
    response = client.post("/logout", data={}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 16
    lines = [line for line in log_lines() if line["logger"].startswith("trip.")]
    assert [line["logger"] for line in lines] == ["trip.errors", "trip.request"]
    assert {line["request_id"] for line in lines} == {request_id}
    other = client.get("/privacy")
    assert other.headers["X-Request-ID"] != request_id
    outside = [line for line in log_lines() if line["logger"] == "trip.request"]
    assert outside[-1]["request_id"] == other.headers["X-Request-ID"]


def test_log_lines_outside_a_request_say_so(log_lines):
    logging.getLogger("trip.test").info("no request here")
    assert log_lines()[-1]["request_id"] == "-"


def _app_with(url: str):
    settings = Settings(
        database_url=url, secret_key="s" * 40, public_url="http://testserver", _env_file=None
    )
    return create_app(settings)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp}",  # a directory is not a database file
        "postgresql+psycopg://nobody:wrong@127.0.0.1:1/nothing?connect_timeout=2",
    ],
    ids=["sqlite-directory", "postgres-unreachable"],
)
def test_healthz_is_503_json_when_the_database_is_unreachable(url, tmp_path):
    application = _app_with(url.format(tmp=tmp_path))
    with TestClient(application) as c:
        response = c.get("/healthz")
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert body["status"] == "failing" and body["app"] == "ok"
        assert body["database"].startswith("unreachable")
        ready = c.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "not ready"
    application.state.engine.dispose()
