"""The facilitator's page is live from the phones (issue 12 point 4): a join, a first answer,
a changed answer and a new comment bump the round's room_version in the same transaction, so
a facilitator's poll with the number it shows is redrawn; a plain re-save of the same answer
does not (the poll stays 204). Paper sheets typed in bump it too."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import Round
from app.rounds import queries
from tests.conftest import soup
from tests.factories import (
    CODE,
    join,
    make_person,
    make_round,
    make_team,
    participant_csrf,
    rate,
)

HX = {"HX-Request": "true"}


@pytest.fixture
def room(session, client, make_client):
    """A led round on its first statement, the facilitator signed in on `client`, and a
    phone (another client) not yet joined."""
    team = make_team(session, "Oak ward")
    make_person(session, team, "fiona", role="facilitator")
    round_ = make_round(session, team, title="Baseline", status="open", mode="led", code=CODE)
    statements = queries.round_statements(session, round_)
    round_.current_statement_id = statements[0].id
    session.add(round_)
    session.commit()
    client.login("fiona")
    return round_.id, [s.id for s in statements], make_client()


def version(engine, round_id: int) -> int:
    with Session(engine) as s:
        return s.get(Round, round_id).room_version


def poll(client, round_id: int, v: int):
    return client.get(f"/rounds/{round_id}/counts?v={v}", headers=HX)


def rated_count(response) -> str:
    assert response.status_code == 200, response.text
    return soup(response).select_one(".app-rated-count").get_text(strip=True)


def test_a_join_redraws_the_joined_count(room, client, engine):
    rid, _ids, phone = room
    v = version(engine, rid)
    assert poll(client, rid, v).status_code == 204
    join(phone)
    assert version(engine, rid) == v + 1
    live = soup(poll(client, rid, v))
    assert live.select_one(".app-joined-count").get_text(strip=True) == "1"
    assert poll(client, rid, v + 1).status_code == 204


def test_a_first_answer_redraws_the_counts_and_a_plain_resave_does_not(room, client, engine):
    rid, ids, phone = room
    join(phone)
    v = version(engine, rid)
    assert rate(phone, ids[0], 3).status_code == 200
    assert version(engine, rid) == v + 1
    assert rated_count(poll(client, rid, v)) == "1"
    # the same level again (a double tap, a retry): nothing the room sees changed
    assert rate(phone, ids[0], 3).status_code == 200
    assert version(engine, rid) == v + 1
    assert poll(client, rid, v + 1).status_code == 204
    # another level, or "don't know", changes the spread: redrawn
    assert rate(phone, ids[0], 1).status_code == 200
    assert rate(phone, ids[0], "dk").status_code == 200
    assert version(engine, rid) == v + 3
    assert rated_count(poll(client, rid, v + 2)) == "1"


def test_a_new_comment_appears_in_the_facilitators_live_block(room, client, engine):
    rid, ids, phone = room
    join(phone)
    rate(phone, ids[0], 2)
    v = version(engine, rid)
    comment = {f"comment-{ids[0]}": "We are asked what matters"}
    assert rate(phone, ids[0], 2, **comment).status_code == 200
    assert version(engine, rid) == v + 1
    live = soup(poll(client, rid, v))
    texts = [p.get_text(strip=True) for p in live.select(".app-comment__text")]
    assert texts == ["We are asked what matters"]
    # the same comment saved again: no redraw; a changed one: redrawn with its new words
    rate(phone, ids[0], 2, **comment)
    assert poll(client, rid, v + 1).status_code == 204
    rate(phone, ids[0], 2, **{f"comment-{ids[0]}": "We are asked most weeks"})
    live = soup(poll(client, rid, v + 1))
    assert [p.get_text(strip=True) for p in live.select(".app-comment__text")] == [
        "We are asked most weeks"
    ]


def test_save_and_continue_bumps_only_when_an_answer_changes(room, client, engine):
    """The careful path (a whole statement's form, without JavaScript) follows the same rule."""
    rid, ids, phone = room
    join(phone)
    v = version(engine, rid)
    form = {"csrf_token": participant_csrf(phone), f"level-{ids[0]}": "4"}
    response = phone.post(f"/r/{CODE}/statements/1", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert version(engine, rid) == v + 1
    assert rated_count(poll(client, rid, v)) == "1"
    phone.post(f"/r/{CODE}/statements/1", data=form, follow_redirects=False)
    assert version(engine, rid) == v + 1
    form[f"comment-{ids[0]}"] = "Kind staff"
    phone.post(f"/r/{CODE}/statements/1", data=form, follow_redirects=False)
    assert version(engine, rid) == v + 2


def test_a_paper_sheet_typed_in_redraws_the_counts(room, client, engine):
    rid, ids, _phone = room
    v = version(engine, rid)
    sheet = {"sheet_number": "7", "perspective": "carer", "alias": "", f"level_{ids[0]}": "3"}
    assert client.form(f"/rounds/{rid}/paper", sheet).status_code == 303
    assert version(engine, rid) == v + 1
    live = poll(client, rid, v)
    assert rated_count(live) == "1"
    assert soup(live).select_one(".app-joined-count").get_text(strip=True) == "1"
