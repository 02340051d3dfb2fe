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
# BARE_PG=postgresql+psycopg://… : the same endpoint on PostgreSQL (perf/save_ratio.py)
PG_URL = os.environ.get("BARE_PG", "").replace("postgresql+psycopg://", "postgresql://")
_local = threading.local()

app = FastAPI()


def _pg_connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        import psycopg

        conn = psycopg.connect(PG_URL, autocommit=True)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bare_rating (participant INTEGER NOT NULL, "
            "statement INTEGER NOT NULL, level INTEGER, PRIMARY KEY (participant, statement))"
        )
        _local.conn = conn
    return conn


def _save_pg(participant: int, statement: int, level: int) -> None:
    conn = _pg_connection()
    with conn.transaction():
        conn.execute(
            "INSERT INTO bare_rating (participant, statement, level) VALUES (%s, %s, %s) "
            "ON CONFLICT (participant, statement) DO UPDATE SET level = excluded.level",
            (participant, statement, level),
        )


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
    if PG_URL:
        _save_pg(participant, statement, level)
        return PlainTextResponse("Saved")
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
