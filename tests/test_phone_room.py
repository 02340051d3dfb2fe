"""A led round, phone side, by HTTP: the phone lands on the room's statement, "Back to the
room" works without JavaScript, an unchanged poll is 204 from at most 2 SQL statements, and
the facilitator's move (through the app's own route) reaches the poll."""

from __future__ import annotations

from sqlmodel import Session

from app.models import Round
from tests.conftest import soup, sql_sent
from tests.factories import (
    CODE,
    join,
    make_person,
    make_round,
    make_team,
    rate,
    statement_ids,
)


def _led(session):
    team = make_team(session, "Oak ward")
    make_person(session, team, "fiona", role="facilitator")
    return make_round(session, team, title="Baseline", status="open", mode="led", code=CODE)


def _version(engine, round_id: int) -> int:
    """A phone's version of the room: the statement the room is on."""
    with Session(engine) as s:
        return s.get(Round, round_id).current_statement_id or 0


def _poll(client, v: int, at: int = 1):
    return client.get(f"/r/{CODE}/room?v={v}&at={at}", headers={"HX-Request": "true"})


def test_a_phone_joins_a_led_round_on_the_rooms_statement(client, session, engine):
    _led(session)
    join(client)
    response = client.get(f"/r/{CODE}", follow_redirects=False)
    assert response.headers["location"] == f"/r/{CODE}/room"
    response = client.get(f"/r/{CODE}/room", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{CODE}/statements/1"
    page = soup(client.get(f"/r/{CODE}/statements/1"))
    poll = page.select_one("#room-poll")
    assert poll["data-hx-trigger"] == "every 2s, trip:visible from:body"
    assert poll["data-hx-get"].startswith(f"/r/{CODE}/room?v=")
    banner = page.select_one("#room-banner")
    assert banner["aria-live"] == "polite" and banner.get_text(strip=True) == ""


def test_away_from_the_room_the_banner_and_back_to_the_room(client, session, engine):
    _led(session)
    join(client)
    page = soup(client.get(f"/r/{CODE}/statements/3"))
    banner = page.select_one("#room-banner").get_text(" ", strip=True)
    assert banner == "The room is on statement 1 – go there"
    assert page.select_one("#room-banner a")["href"] == f"/r/{CODE}/statements/1"
    assert page.select_one("a.app-back-to-room")["href"] == f"/r/{CODE}/room"


def test_an_unchanged_poll_is_204_from_at_most_two_sql_statements(client, session, engine):
    found = _led(session)
    join(client)
    v = _version(engine, found.id)
    _poll(client, v)  # warm: the framework's order is read once per process
    with sql_sent(engine) as seen:
        response = _poll(client, v)
    assert response.status_code == 204 and response.content == b""
    assert len(seen) <= 2, seen
    assert response.headers["cache-control"] == "no-store"


def test_the_facilitators_move_reaches_the_poll(client, make_client, session, engine):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    join(client)
    v = _version(engine, found.id)
    facilitator = make_client()
    facilitator.login("fiona")
    moved = facilitator.form(f"/rounds/{found.id}/current", {"statement_id": ids[2]})
    assert moved.status_code == 303
    assert _version(engine, found.id) != v
    response = _poll(client, v, at=1)
    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.select_one("html") is None
    poll = fragment.select_one("#room-poll")
    assert poll["data-room-number"] == "3"
    assert poll["data-room-url"] == f"/r/{CODE}/statements/3"
    assert poll["data-hx-get"] == f"/r/{CODE}/room?v={_version(engine, found.id)}&at=1"
    banner = fragment.select_one("#room-banner")
    assert banner["data-hx-swap-oob"] == "innerHTML"
    assert "The room is on statement 3" in banner.get_text(" ", strip=True)
    # on the room's new statement there is nothing to say
    again = soup(_poll(client, v, at=3)).select_one("#room-banner")
    assert again.get_text(strip=True) == ""
    # without JavaScript "Back to the room" loads the statement the room is on
    response = client.get(f"/r/{CODE}/room", follow_redirects=False)
    assert response.headers["location"] == f"/r/{CODE}/statements/3"


def test_a_poll_from_a_phone_that_has_not_joined_or_after_the_close(
    client, make_client, session, engine
):
    found = _led(session)
    stranger = make_client()
    assert _poll(stranger, 0).status_code == 403
    join(client)
    with Session(engine) as s:
        row = s.get(Round, found.id)
        row.status = "closed"
        s.add(row)
        s.commit()
    assert _poll(client, 0).status_code == 410


def test_other_phones_answers_do_not_wake_a_phone(client, make_client, session, engine):
    """Answers bump room_version (the facilitator's counts redraw), but a phone polls only
    where the room is: another phone's answer leaves it a 204."""
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    join(client)
    v = _version(engine, found.id)
    before = _room_version(engine, found.id)
    other = make_client()
    join(other, perspective="service_user")
    assert rate(other, ids[0], 3).status_code == 200
    assert _room_version(engine, found.id) > before
    assert _poll(client, v).status_code == 204


def _room_version(engine, round_id: int) -> int:
    with Session(engine) as s:
        return s.get(Round, round_id).room_version
