"""Graceful shutdown: SIGTERM to a running `trip serve` lets the request in flight finish,
and in development the server's own output is readable lines."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session

from app.db import make_engine
from app.models import metadata
from tests.conftest import POSTGRES, _free_port
from tests.factories import PASSWORD, make_user

# `python -m app.cli` is the `trip` command, independent of how the package is installed
TRIP = [sys.executable, "-m", "app.cli"]
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(POSTGRES, reason="one run is enough: the server uses SQLite")


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60  # importing the app can be slow on a busy machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"trip serve exited: {process.stdout.read()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("trip serve did not start")


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = make_engine(url, pool_size=1)
    metadata.create_all(engine)
    with Session(engine) as session:
        make_user(session, "priya")
    engine.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "k" * 40,
        "PUBLIC_URL": base,
        "TRIP_ENV": "development",
        "LOG_LEVEL": "info",
    }
    process = subprocess.Popen(
        [*TRIP, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_up(base, process)
        yield process, port, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_sigterm_lets_the_request_in_flight_finish(server):
    process, port, base = server
    # a browser's first visit: the form, its CSRF token and the anonymous cookie
    page = httpx.get(f"{base}/login")
    token = BeautifulSoup(page.text, "html.parser").select_one("input[name=csrf_token]")["value"]
    cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    body = f"csrf_token={token}&username=priya&password={PASSWORD.replace(' ', '+')}".encode()
    head = (
        "POST /login HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Sec-Fetch-Site: same-origin\r\n"
        f"Cookie: {cookie}\r\n"
        "X-Request-ID: in-flight-1\r\n"
        "Expect: 100-continue\r\n"
        "\r\n"
    ).encode()

    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head)
        # "100 Continue" comes when the app first reads the body: the request is in flight
        early = b""
        while b"\r\n\r\n" not in early:
            early += conn.recv(65536)
        assert early.startswith(b"HTTP/1.1 100 Continue"), early
        process.send_signal(signal.SIGTERM)
        seen = []  # the server's output up to where it says it waits for this request
        for line in process.stdout:
            seen.append(line)
            if "Waiting for connections to close" in line:
                break
        assert process.poll() is None, "the server quit with a request in flight"
        conn.sendall(body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line, _, rest = answer.decode("latin-1").partition("\r\n")
    assert status_line == "HTTP/1.1 303 See Other", answer[:500]
    assert "location: /" in rest.lower()
    assert "set-cookie: trip_session" in rest.lower()
    assert "x-request-id: in-flight-1" in rest.lower()

    # uvicorn re-raises the signal once it has finished: systemd counts that as a clean stop
    assert process.wait(timeout=15) in (0, -signal.SIGTERM)
    output = "".join(seen) + process.stdout.read()
    # in development the log is one readable line a request (JSON lines are production's,
    # tests/test_logging.py), with none of Alembic's plugin chatter
    assert re.search(r"^\d\d:\d\d:\d\d POST /login 303 \d+ ms$", output, re.M), output
    assert not [line for line in output.splitlines() if line.startswith("{")], output
    assert "setup plugin" not in output, output
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/healthz", timeout=1)
