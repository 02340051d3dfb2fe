"""The sign-in lookup every signed-in request makes only reads (on SQLite without the write
lock: app.db.READ_ONLY); its rare writes (the last-seen time, moved on at most once a
minute; an expired session deleted) run in a transaction that takes the lock first."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import LoginSession
from tests.conftest import sql_sent
from tests.factories import make_user


def _last_seen(engine):
    with Session(engine) as s:
        return s.exec(select(LoginSession.last_seen_at)).one()


def test_the_sign_in_reads_without_the_lock_and_writes_with_it(client, session, engine, clock):
    make_user(session, "priya")
    session.commit()
    client.login("priya")
    seen_at = _last_seen(engine)
    with sql_sent(engine) as sent:
        assert client.get("/account").status_code == 200
    assert sent[1 if engine.dialect.name == "sqlite" else 0].startswith("SELECT login_session")
    if engine.dialect.name == "sqlite":
        assert sent[0] == "BEGIN"  # deferred: no write lock
    assert not any(s.startswith("UPDATE login_session") for s in sent)
    assert _last_seen(engine) == seen_at

    clock.advance(minutes=2)  # a minute on: the visit moves the last-seen time on
    with sql_sent(engine) as sent:
        assert client.get("/account").status_code == 200
    update = next(i for i, s in enumerate(sent) if s.startswith("UPDATE login_session"))
    if engine.dialect.name == "sqlite":
        assert sent[update - 1] == "BEGIN IMMEDIATE"
    assert _last_seen(engine) > seen_at
