"""The database engine, per-connection settings and the session dependency."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 5000


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=pool_size,
            max_overflow=20,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # autocommit mode at the driver level: SQLAlchemy issues BEGIN itself (see below)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# A session's first connection opened with this execution option reads without the write
# lock (a deferred transaction: WAL readers never wait). Only for a request that reads and
# never writes in that transaction: the phones' room poll, most of a room's requests.
READ_ONLY = {"trip_read_only": True}


def _sqlite_begin_immediate(conn) -> None:
    # BEGIN IMMEDIATE takes the write lock at the start of every transaction, so
    # concurrent writers queue on busy_timeout instead of failing with "database is
    # locked" when a read transaction tries to upgrade. Requests are short, so the
    # cost (transactions run one at a time) is small; PostgreSQL has no such limit.
    if conn.get_execution_options().get("trip_read_only"):
        conn.exec_driver_sql("BEGIN")
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def get_session(request: Request) -> Iterator[Session]:
    """The request's session. The transaction rule: services flush; the endpoint's work is
    committed when it is done — by the route, or by `app.web.render` just before a template
    renders (on SQLite every transaction holds the write lock, so none stays open while a
    page renders) — and objects stay readable after that commit (expire_on_commit=False)."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        request.state.db = session
        try:
            yield session
        finally:
            request.state.db = None


def alembic_config():
    """Alembic's configuration for this app's migrations (the CLI, /readyz and backups)."""
    from alembic.config import Config

    from app.config import ROOT

    config = Config(str(Path(ROOT) / "alembic.ini"))
    config.set_main_option("script_location", str(Path(ROOT) / "migrations"))
    return config


# scope="function": the session closes as soon as the endpoint returns, before the response
# is sent, so an SQLite write lock is never held while the response goes out.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


class StaleEdit(Exception):
    """Someone saved this first: carries the row as it is saved now, so the page can show
    both versions side by side (409). The one stale-edit refusal, beside claim_version."""

    def __init__(self, saved) -> None:
        super().__init__("stale edit")
        self.saved = saved


def claim_version(session: Session, model, row_id: int, seen: int) -> bool:
    """Optimistic lock: move a row from version `seen` to `seen + 1`, or say it moved on.

    One `UPDATE … WHERE id = :id AND version = :seen`: of two editors who both saw the same
    version, exactly one wins, on SQLite and on PostgreSQL (whose second UPDATE waits for
    the first to commit, then finds the version changed). On False, nothing was written.
    """
    from sqlalchemy import update

    result = session.exec(
        update(model)
        .where(model.id == row_id, model.version == seen)
        .values(version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


class OncePerDatabase:
    """Upkeep (pruning old rows) that runs at most once per `every` per database in this
    process, by the caller's clock: `if PRUNING.due(session, now): prune(...)`."""

    def __init__(self, every: timedelta) -> None:
        self.every = every
        self._last: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def due(self, session, now: datetime) -> bool:
        engine = session.get_bind()
        with self._lock:
            last = self._last.get(engine)
            if last is not None and last <= now < last + self.every:
                return False
            self._last[engine] = now
            return True
