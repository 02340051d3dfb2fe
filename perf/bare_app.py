"""The yardstick for perf/workshop.py run 2: a bare FastAPI app with one form POST that
upserts one SQLite row (same SQLite settings as the app: WAL, busy_timeout, synchronous
NORMAL, BEGIN IMMEDIATE). No templates, sessions, CSRF or middleware.

    BARE_DB=/tmp/bare.db .venv/bin/python -m uvicorn perf.bare_app:app --port 8801
"""

from __future__ import annotations

import os
import sqlite3
import threading

from fastapi import FastAPI, Form
from fastapi.responses import PlainTextResponse

PATH = os.environ.get("BARE_DB", "/tmp/trip-bare.db")
_local = threading.local()

app = FastAPI()


def _connection() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(PATH, isolation_level=None, timeout=5, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS rating (participant INTEGER NOT NULL, "
            "statement INTEGER NOT NULL, level INTEGER, PRIMARY KEY (participant, statement))"
        )
        _local.conn = conn
    return conn


@app.post("/save")
def save(
    participant: int = Form(...), statement: int = Form(...), level: int = Form(...)
) -> PlainTextResponse:
    conn = _connection()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "INSERT INTO rating (participant, statement, level) VALUES (?, ?, ?) "
            "ON CONFLICT (participant, statement) DO UPDATE SET level = excluded.level",
            (participant, statement, level),
        )
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
    return PlainTextResponse("Saved")


@app.get("/healthz")
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")
