"""The room's live screens without waste (issue 12): every move, show/hide, agreement and mode
change bumps the round's room_version in the same transaction; a poll with the version it
already shows is 204 No Content in at most 2 SQL statements (sign-in included); the three
modes, chosen when the round is made and changed while it is open (audited), with phones
joining led and own-pace rounds only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select

from app.models import AuditEvent, Rating, Round
from app.rounds import queries
from tests.conftest import soup, sql_sent
from tests.factories import add_participant, make_person, make_round, make_team, small_framework

HX = {"HX-Request": "true"}


@pytest.fixture
def client(client, session):
    """The test client, ending the test's own transaction before each request and seeing
    fresh rows after it."""
    original = client.request

    def request(*args, **kwargs):
        session.commit()
        response = original(*args, **kwargs)
        session.expire_all()
        return response

    client.request = request
    return client


@pytest.fixture
def world(session):
    framework = small_framework(session)
    team = make_team(session, "Team A", framework_key="small")
    make_person(session, team, "fiona", role="facilitator")
    make_person(session, team, "mo", role="member")
    other = make_team(session, "Team B", framework_key="small")
    make_person(session, other, "olga", role="facilitator")
    round_ = make_round(session, team, framework, status="open", mode="led")
    statements = queries.round_statements(session, round_)
    return SimpleNamespace(team=team, framework=framework, round=round_, statements=statements)


def version(session, round_id: int) -> int:
    session.expire_all()
    return session.get(Round, round_id).room_version


def sql_of(engine, send) -> list[str]:
    with sql_sent(engine) as sent:
        response = send()
    return response, [s for s in sent if not s.lstrip().upper().startswith("BEGIN")]


@pytest.mark.parametrize("path", ["present", "live", "counts"])
def test_an_unchanged_poll_is_204_in_at_most_two_sql_statements(
    world, client, session, engine, path
):
    client.login("fiona")
    v = version(session, world.round.id)
    url = f"/rounds/{world.round.id}/{path}?v={v}"
    client.get(url, headers=HX)  # the sign-in's last-seen touch happens once, here
    response, sent = sql_of(engine, lambda: client.get(url, headers=HX))
    assert response.status_code == 204 and response.content == b""
    assert len(sent) <= 2, "\n".join(sent)
    # an older version is redrawn at once, with the new number to poll with
    response = client.get(f"/rounds/{world.round.id}/{path}?v={v - 1}", headers=HX)
    assert response.status_code == 200
    polled = soup(response).select_one("[data-room-poll]")
    polls = "counts" if path == "counts" else "present"  # /live is present mode too
    assert polled["data-hx-get"].startswith(f"/rounds/{world.round.id}/{polls}?v={v}")
    assert polled["data-hx-trigger"] == "every 2s"


def test_every_change_the_screens_show_bumps_the_version(world, client, session):
    rid = world.round.id
    first, second = world.statements[0], world.statements[1]
    add_participant(session, world.round, "staff", {first.id: (3, False, "A thought")})
    client.login("fiona")
    seen = [version(session, rid)]

    def then(action):
        action()
        seen.append(version(session, rid))
        assert seen[-1] == seen[-2] + 1, action

    then(lambda: client.form(f"/rounds/{rid}/current", {"statement_id": second.id}))
    then(lambda: client.form(f"/rounds/{rid}/current", {"statement_id": first.id}))
    then(lambda: client.form(f"/rounds/{rid}/spread/show"))
    then(lambda: client.form(f"/rounds/{rid}/spread/hide"))
    rating_id = session.exec(select(Rating.id).where(Rating.round_id == rid)).first()
    then(lambda: client.form(f"/rounds/{rid}/comments/show", {"rating_id": rating_id}))
    then(lambda: client.form(f"/rounds/{rid}/comments/off-screen"))
    agree = f"/rounds/{rid}/statements/{first.id}/agree"
    then(lambda: client.form(agree, {"level": "3", "version": "0"}))
    then(lambda: client.form(f"/rounds/{rid}/mode", {"mode": "self_paced"}))
    # moving to the statement already on the screen changes nothing
    client.form(f"/rounds/{rid}/current", {"statement_id": first.id})
    assert version(session, rid) == seen[-1]
    # a poll with the old number is redrawn: the present screen shows the agreed level
    panel = soup(client.get(f"/rounds/{rid}/present?v={seen[0]}", headers=HX))
    assert "The team agreed" in panel.select_one("#agreed-level").get_text()


def test_a_poll_from_someone_who_may_not_run_the_round_is_never_204(world, client, session):
    v = version(session, world.round.id)
    url = f"/rounds/{world.round.id}/present?v={v}"
    signed_out = client.get(url, headers=HX)  # htmx is sent to the sign-in page
    assert signed_out.headers["HX-Redirect"].startswith("/login")
    client.login("mo")  # a member, not a facilitator
    assert client.get(url, headers=HX).status_code == 403
    client.login("olga")  # another team's facilitator
    assert client.get(url, headers=HX).status_code == 404


def test_the_mode_is_chosen_when_the_round_is_made_and_changed_while_open(world, client, session):
    client.login("fiona")
    page = soup(client.get(f"/teams/{world.team.id}/rounds/new"))
    modes = [i["value"] for i in page.select('input[name="mode"]')]
    assert modes == ["led", "self_paced", "group"]
    assert page.select_one('input[name="mode"][value="led"]').has_attr("checked")
    rid, code = world.round.id, world.round.join_code
    assert client.form("/join", {"code": code}).status_code == 303  # led: phones join

    response = client.form(f"/rounds/{rid}/mode", {"mode": "group"})
    assert response.status_code == 303
    assert session.get(Round, rid).mode == "group"
    refused = client.form("/join", {"code": code})
    assert refused.status_code == 422  # a group round cannot be joined by phone
    assert "could not find an open workshop" in soup(refused).select_one("#code-error").text
    present = soup(client.get(f"/rounds/{rid}/present"))
    assert present.select_one(".app-present__join") is None  # no code, no promised spread
    assert "spread" not in present.select_one("#live-panel").get_text().lower()

    bad = client.form(f"/rounds/{rid}/mode", {"mode": "phones"})
    assert bad.status_code == 422 and session.get(Round, rid).mode == "group"
    client.form(f"/rounds/{rid}/mode", {"mode": "self_paced"})
    assert client.form("/join", {"code": code}).status_code == 303
    events = session.exec(
        select(AuditEvent.detail).where(AuditEvent.verb == "round.mode_changed")
    ).all()
    assert events == [{"from": "led", "to": "group"}, {"from": "group", "to": "self_paced"}]

    client.form(f"/rounds/{rid}/close")
    closed = client.form(f"/rounds/{rid}/mode", {"mode": "led"})
    assert closed.status_code == 409 and session.get(Round, rid).mode == "self_paced"


def test_save_and_next_keeps_the_notes_and_moves_the_room_without_javascript(
    world, client, session
):
    rid = world.round.id
    first, second = world.statements[0], world.statements[1]
    client.login("fiona")
    page = soup(client.get(f"/rounds/{rid}"))
    assert page.select_one("#save-and-next")["value"] == "next"
    agree = f"/rounds/{rid}/statements/{first.id}/agree"
    response = client.form(
        agree, {"level": "2", "well_notes": "We listen", "version": "0", "then": "next"}
    )
    assert response.status_code == 303
    assert session.get(Round, rid).current_statement_id == second.id
    saved = queries.find_agreed(session, rid, first.id)
    assert (saved.level, saved.well_notes) == (2, "We listen")


def test_the_group_projector_shows_the_statement_then_the_agreed_level(world, client, session):
    """A group round's screen promises no spread: it shows the statement and, once the team
    has agreed, the agreed level (its poll with the old version is redrawn)."""
    rid = world.round.id
    first = world.statements[0]
    client.login("fiona")
    assert client.form(f"/rounds/{rid}/mode", {"mode": "group"}).status_code == 303
    assert client.form(f"/rounds/{rid}/current", {"statement_id": first.id}).status_code in (
        200,
        303,
    )
    page = soup(client.get(f"/rounds/{rid}/present"))
    assert first.text in page.select_one("#present-statement").get_text(" ", strip=True)
    assert page.select_one("#agreed-level") is None
    waiting = page.select_one(".app-present__waiting").get_text(" ", strip=True)
    assert "agrees a level together" in waiting
    assert "spread" not in page.select_one("#live-panel").get_text().lower()
    shown = version(session, rid)
    assert client.get(f"/rounds/{rid}/present?v={shown}", headers=HX).status_code == 204

    agree = f"/rounds/{rid}/statements/{first.id}/agree"
    assert client.form(agree, {"level": "3", "version": "0"}).status_code in (200, 303)
    polled = client.get(f"/rounds/{rid}/present?v={shown}", headers=HX)
    assert polled.status_code == 200
    agreed = soup(polled).select_one("#agreed-level").get_text(" ", strip=True)
    label = {item["level"]: item["label"] for item in world.framework.scale}[3]
    assert agreed == f"The team agreed: 3 – {label}"
    assert first.text in soup(polled).select_one("#present-statement").get_text(" ", strip=True)
    assert soup(polled).select_one(".app-present__waiting") is None
