"""What a newcomer meets first: `make run` stops on Ctrl+C and on SIGTERM, and `trip migrate`
says what it did."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import POSTGRES, _free_port

ROOT = Path(__file__).resolve().parent.parent
TRIP = [sys.executable, "-m", "app.cli"]

pytestmark = pytest.mark.skipif(POSTGRES, reason="one run is enough: these use SQLite files")


def _env(tmp_path: Path, port: int) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    return env | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "SECRET_KEY": "a-development-secret-that-is-long-enough-0123",
        "TRIP_ENV": "development",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
    }


def _serving(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _start_make_run(env: dict) -> subprocess.Popen:
    # a session of its own: Ctrl+C in a terminal signals the whole foreground group
    return subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_until_serving(process: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 120  # migrations, frameworks and the demo come first
    while not _serving(base):
        if process.poll() is not None:
            raise AssertionError(f"make run exited: {process.stdout.read()}")
        assert time.monotonic() < deadline, "make run did not start serving"
        time.sleep(0.1)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("how", ["sigterm to make", "ctrl+c"])
def test_make_run_stops_when_asked(tmp_path, how):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = _start_make_run(_env(tmp_path, port))
    try:
        _wait_until_serving(process, base)
        if how == "ctrl+c":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)  # the server's graceful stop is quick with nothing in flight
        output = process.stdout.read()
        assert not _serving(base), "the server kept running after make stopped"
        assert "Application shutdown complete" in output, output[-2000:]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_trip_migrate_says_what_it_did(tmp_path):
    env = _env(tmp_path, _free_port())
    first = subprocess.run(
        [*TRIP, "migrate"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    head = subprocess.run(
        [sys.executable, "-m", "alembic", "heads"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=60,
    ).stdout.split()[0]  # fmt: skip
    assert f"Database upgraded from empty to {head}." in first.stdout
    again = subprocess.run(
        [*TRIP, "migrate"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert f"Database already up to date (revision {head})." in again.stdout
