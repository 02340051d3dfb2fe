"""The hot path (issue 11, point 8): a participant's one-tap save and a led room's poll do
only what they must — no Set-Cookie, no gzip on their tiny answers, no session lookup (even
when the phone also carries a staff sign-in cookie), no rate-limit row on success, and a
capped number of SQL statements."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from app.models import RateLimitHit
from tests.factories import (
    CODE,
    count,
    join,
    make_person,
    make_round,
    make_team,
    participant_csrf,
    rate,
    ratings,
    statement_ids,
    workshop_round,
)

# the fast path on SQLite: BEGIN IMMEDIATE, one INSERT … SELECT … ON CONFLICT (guarded by
# the cookie's token and the round), the room's version bump (a changed answer), the count
# of answers for "Saved, 3 of 24", COMMIT
SAVE_BUDGET = 5


@contextmanager
def sql(engine):
    """Every statement the database is sent while the block runs: the ORM's, and on SQLite
    also those the save sends on a raw DBAPI connection (the driver's trace callback, set on
    each connection the pool hands out). On PostgreSQL only the ORM's are seen."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        seen.append(statement)

    def trace(dbapi_connection, _record, _proxy):
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(seen.append)

    def untrace(dbapi_connection, _record):
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(None)

    sqlite = engine.dialect.name == "sqlite"
    listeners = [("checkout", trace), ("checkin", untrace)] if sqlite else []
    listeners.append(("before_cursor_execute", note))
    for name, listener in listeners:
        event.listen(engine if name == "before_cursor_execute" else engine.pool, name, listener)
    try:
        yield seen
    finally:
        for name, listener in listeners:
            target = engine if name == "before_cursor_execute" else engine.pool
            event.remove(target, name, listener)


def _tap(client, statement_id: int, level: int):
    """The page's one-tap save, from a browser that accepts gzip."""
    return client.post(
        f"/r/{CODE}/ratings/{statement_id}",
        data={f"level-{statement_id}": str(level)},
        headers={
            "X-CSRF-Token": participant_csrf(client),
            "HX-Request": "true",
            "Accept-Encoding": "gzip, deflate",
        },
        follow_redirects=False,
    )


def _lean(response) -> None:
    assert "set-cookie" not in response.headers, response.headers
    assert "content-encoding" not in response.headers, response.headers


def test_a_one_tap_save_is_lean(client, session, engine):
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    rate(client, sid, 1)  # warm the framework facts cache, as the room's first tap does
    with sql(engine) as seen:
        response = _tap(client, sid, 2)
    assert response.status_code == 200, response.text
    _lean(response)
    assert not [s for s in seen if "login_session" in s], seen
    assert not [s for s in seen if "rate_limit_hit" in s], seen
    if engine.dialect.name == "sqlite":  # the raw connection's statements are seen there
        assert 3 <= len(seen) <= SAVE_BUDGET, "\n".join(seen)
    assert [r.level for r in ratings(engine)] == [2]
    assert count(engine, RateLimitHit) == 0


def test_a_save_from_a_phone_also_signed_in_looks_up_no_session(client, session, engine):
    found = workshop_round(session)
    team = make_team(session, "Oak ward")
    make_person(session, team, "fiona", role="facilitator")
    client.login("fiona")
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    with sql(engine) as seen:
        response = _tap(client, sid, 3)
    assert response.status_code == 200, response.text
    _lean(response)
    assert not [s for s in seen if "login_session" in s], seen
    assert count(engine, RateLimitHit) == 0


def test_a_save_without_htmx_is_not_lean_but_still_writes_no_limit_row(client, session, engine):
    """The no-JavaScript save answers a redirect (a page follows); success counts nothing."""
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    response = rate(client, sid, 2, htmx=False)
    assert response.status_code == 303
    assert count(engine, RateLimitHit) == 0


def test_a_room_poll_is_lean(client, session, engine):
    team = make_team(session, "Oak ward")
    make_person(session, team, "fiona", role="facilitator")
    make_round(session, team, title="Baseline", status="open", mode="led", code=CODE)
    client.login("fiona")
    join(client)
    with sql(engine) as seen:
        response = client.get(
            f"/r/{CODE}/room?v=999&at=1",
            headers={"HX-Request": "true", "Accept-Encoding": "gzip"},
        )
    assert response.status_code == 200, response.text
    _lean(response)
    assert not [s for s in seen if "login_session" in s], seen
    assert count(engine, RateLimitHit) == 0
