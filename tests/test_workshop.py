"""The participant journey by HTTP: join, choose a perspective, rate, come back, close."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Asset, Participant, Round
from app.security import ratelimit
from tests.conftest import soup
from tests.factories import (
    CODE,
    count,
    join,
    make_round,
    participant_csrf,
    participants,
    rate,
    ratings,
    statement_ids,
    workshop_round,
)


def close(engine, round_id: int) -> None:
    with Session(engine) as s:
        found = s.get(Round, round_id)
        found.status = "closed"
        s.add(found)
        s.commit()


# --- /join --------------------------------------------------------------------------------


def test_join_page_has_one_big_code_input(client):
    page = soup(client.get("/join"))
    assert page.select_one("h1 label[for=code]").get_text(strip=True) == "Join a workshop"
    field = page.select_one("input#code.app-code-input")
    assert field["autocomplete"] == "off"
    assert page.select_one("form[action='/join'] button[type=submit]")


def test_join_accepts_any_case_and_spaces(client, session):
    workshop_round(session)
    response = client.form("/join", {"code": " kx7 p2m "})
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{CODE}"


def test_join_with_unknown_closed_or_draft_code_says_so_by_the_field(client, session):
    workshop_round(session, status="closed", code="OLD234")
    workshop_round(session, status="draft", code="DRA234")
    for code in ("ZZZZZZ", "OLD234", "dra234", ""):
        response = client.form("/join", {"code": code})
        assert response.status_code == 422
        page = soup(response)
        message = page.select_one("#code-error").get_text(" ", strip=True)
        assert any(
            words in message
            for words in ("could not find an open workshop", "Enter the code", "has finished")
        )
        assert page.select_one("input#code")["value"] == code
    assert count(client.app.state.engine, model=Participant) == 0


def test_wrong_codes_are_rate_limited_per_address_but_a_right_code_is_not(client, session, clock):
    workshop_round(session)
    limit = ratelimit.JOIN_PER_ADDRESS
    for _ in range(limit.max_hits):
        ratelimit.hit(session, limit, "testclient", now=clock.now)
    session.commit()
    assert client.form("/join", {"code": CODE}).status_code == 303
    response = client.form("/join", {"code": "NOPE22"})
    assert response.status_code == 422
    message = soup(response).select_one("#code-error").get_text()
    assert "Scan the QR code on the screen" in message
    clock.advance(minutes=11)
    response = client.form("/join", {"code": "NOPE22"})
    assert "could not find" in soup(response).select_one("#code-error").get_text()


def test_a_wrong_code_counts_towards_the_limit(client, session, engine):
    from app.models import RateLimitHit

    client.form("/join", {"code": "NOPE22"})
    assert count(engine, RateLimitHit) == 1


# --- choosing a perspective ---------------------------------------------------------------


def test_first_visit_shows_the_privacy_note_and_perspective_choice(client, session):
    workshop_round(session)
    page = soup(client.get(f"/r/{CODE}"))
    note = page.select_one(".app-privacy-note").get_text(" ", strip=True)
    assert "do not need to give your name" in note
    assert "fewer than 3 people" in note
    values = [i["value"] for i in page.select("input[name=perspective]")]
    assert values == ["staff", "peer_worker", "service_user", "carer", "community"]
    assert page.select_one("input#alias")


def test_choosing_a_perspective_creates_a_participant_and_sets_the_cookie(client, session, engine):
    workshop_round(session)
    client.get(f"/r/{CODE}")
    response = client.form(f"/r/{CODE}", {"perspective": "service_user", "alias": "Robin"})
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"trip_p_{CODE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and f"Path=/r/{CODE}" in cookie
    assert "Max-Age=" in cookie
    (person,) = participants(engine)
    assert person.perspective == "service_user" and person.alias == "Robin"
    token = client.cookies.get(f"trip_p_{CODE}")
    assert person.token_hash != token and len(person.token_hash) == 64


def test_no_perspective_is_a_422_by_the_field_and_nothing_written(client, session, engine):
    workshop_round(session)
    client.get(f"/r/{CODE}")
    response = client.form(f"/r/{CODE}", {"perspective": "", "alias": "Robin"})
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#perspective-error")
    assert page.select_one("input#alias")["value"] == "Robin"
    response = client.form(f"/r/{CODE}", {"perspective": "staff", "alias": "x" * 41})
    assert response.status_code == 422
    assert soup(response).select_one("#alias-error")
    assert participants(engine) == []


def test_unknown_code_page_is_404_and_closed_is_410_in_plain_words(client, session):
    workshop_round(session, status="closed")
    response = client.get("/r/ZZZZZZ")
    assert response.status_code == 404
    assert "could not find an open workshop" in soup(response).select_one("main").get_text()
    response = client.get(f"/r/{CODE}")
    assert response.status_code == 410
    assert soup(response).select_one("h1").get_text(strip=True) == "This workshop has finished"


def test_lower_case_code_in_the_address_goes_to_the_real_one(client, session):
    workshop_round(session)
    response = client.get(f"/r/{CODE.lower()}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{CODE}"


# --- rating -------------------------------------------------------------------------------


def test_a_statement_page_shows_one_statement_scale_hint_progress(client, session, engine):
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    page = soup(client.get(f"/r/{CODE}/statements/1"))
    assert page.select_one("h1").get_text(strip=True) == "We ask what matters to you."
    where = page.select_one(".app-phone-top__where").get_text(" ", strip=True)
    assert where.startswith("Statement 1 of 4")
    assert page.select_one("#progress").get_text(strip=True) == "0 of 4 answered"
    (first,) = page.select(".app-statement")
    assert first["data-statement"] == str(sid)
    assert first["data-save-url"] == f"/r/{CODE}/ratings/{sid}"
    assert first.select_one(f"#hint-{sid}").get_text(" ", strip=True).startswith("For example: ")
    labels = [s.get_text(strip=True) for s in first.select(".app-scale__name")]
    assert labels == ["Not yet", "Starting", "Developing", "Established", "Don't know"]
    values = [i["value"] for i in first.select(f"input[name=level-{sid}]")]
    assert values == ["1", "2", "3", "4", "dk"]
    descriptions = first.select(".app-scale__description")
    assert descriptions[0].get_text(strip=True) == "We do not do this yet."
    assert first.select_one(f"input[type=checkbox][name=matters_most-{sid}]")
    assert first.select_one(f"textarea[name=comment-{sid}]")["maxlength"] == "500"
    assert page.select_one("button[value=next]").get_text(strip=True) == "Save and continue"
    assert page.select_one("button[value=back]") is None  # nothing before statement 1
    assert page.select_one("script[src='/static/workshop.js']")
    assert not page.select("[style]")
    form = page.select_one("form[data-participant]")
    assert form["data-round"] == str(found.id) and form["data-seq-floor"] == "0"
    assert page.select_one("#room-poll") is None  # a self-paced round: nothing to follow
    # the page's CSRF token is the one that goes with the participant cookie
    assert page.select_one("input[name=csrf_token]")["value"] == participant_csrf(client)


def test_a_part_overview_lists_its_statements_and_which_are_answered(client, session, engine):
    found = workshop_round(session)
    join(client)
    ids = statement_ids(engine, found.framework_id)
    rate(client, ids[0], 2)
    page = soup(client.get(f"/r/{CODE}/sections/1"))
    assert page.select_one("h1").get_text(strip=True) == "Everyday conversations"
    assert page.select_one(".nhsuk-caption-l").get_text(strip=True) == "Part 1 of 2"
    items = page.select(".app-overview__item")
    assert [i.select_one("a")["href"] for i in items] == [
        f"/r/{CODE}/statements/1",
        f"/r/{CODE}/statements/2",
    ]
    states = [i.select_one(".app-overview__state").get_text(strip=True) for i in items]
    assert states == ["Answered", "Not answered yet"]


def test_one_tap_saves_with_a_saved_fragment_and_progress(client, session, engine):
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    response = rate(client, sid, 3)
    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.select_one(".app-save-status__saved").get_text(strip=True) == "Saved"
    progress = fragment.select_one("#progress")
    assert progress["data-hx-swap-oob"] == "true"
    assert progress.get_text(strip=True) == "1 of 4 answered"
    assert fragment.select_one("html") is None
    (row,) = ratings(engine)
    assert (row.statement_id, row.level, row.matters_most, row.comment) == (sid, 3, False, None)


def test_without_htmx_a_single_save_redirects_back_to_the_statement(client, session, engine):
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[2]
    response = rate(client, sid, "dk", htmx=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{CODE}/statements/3"
    (row,) = ratings(engine)
    assert row.level is None  # don't know


def test_whole_journey_rate_change_come_back_then_closed(client, make_client, session, engine):
    found = workshop_round(session)
    join(client, perspective="carer", alias="Sunny")
    ids = statement_ids(engine, found.framework_id)
    form = {
        "csrf_token": participant_csrf(client),
        f"level-{ids[0]}": "2",
        f"matters_most-{ids[0]}": "1",
        f"comment-{ids[0]}": "More time to talk, please.",
        "go": "next",
    }
    response = client.post(f"/r/{CODE}/statements/1", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{CODE}/statements/2"
    form = {"csrf_token": participant_csrf(client), f"level-{ids[1]}": "dk", "go": "next"}
    client.post(f"/r/{CODE}/statements/2", data=form)
    page = soup(client.get(f"/r/{CODE}/statements/3"))
    assert page.select_one("#progress").get_text(strip=True) == "2 of 4 answered"
    assert page.select_one("button[value=back]")
    # nothing chosen: Save and continue just moves on, saving nothing
    form = {"csrf_token": participant_csrf(client), "go": "next"}
    response = client.post(f"/r/{CODE}/statements/3", data=form, follow_redirects=False)
    assert response.headers["location"] == f"/r/{CODE}/statements/4"
    form = {"csrf_token": participant_csrf(client), f"level-{ids[3]}": "4", "go": "next"}
    response = client.post(f"/r/{CODE}/statements/4", data=form, follow_redirects=False)
    assert response.headers["location"] == f"/r/{CODE}/bring"
    # change a rating (the page posts the statement's whole state: answer, mark, comment)
    keep = {f"matters_most-{ids[0]}": "1", f"comment-{ids[0]}": "More time to talk, please."}
    assert rate(client, ids[0], 3, **keep).status_code == 200
    rows = {r.statement_id: r for r in ratings(engine)}
    assert len(rows) == 3
    assert rows[ids[0]].level == 3
    # comes back (same cookie): lands on the first statement not answered yet
    response = client.get(f"/r/{CODE}", follow_redirects=False)
    assert response.headers["location"] == f"/r/{CODE}/statements/3"
    page = soup(client.get(f"/r/{CODE}/statements/1"))
    assert page.select_one(f"#level-{ids[0]}-3").has_attr("checked")
    assert page.select_one(f"#matters_most-{ids[0]}").has_attr("checked")
    assert page.select_one(f"#comment-{ids[0]}").get_text() == "More time to talk, please."
    page = soup(client.get(f"/r/{CODE}/statements/2"))
    assert page.select_one(f"#level-{ids[1]}-dk").has_attr("checked")
    # another phone (no cookie) is asked to choose a perspective
    other = make_client()
    assert soup(other.get(f"/r/{CODE}")).select("input[name=perspective]")
    # the round closes: a plain thank-you, and no more changes
    close(engine, found.id)
    response = client.get(f"/r/{CODE}/statements/1")
    assert response.status_code == 410
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == "This workshop has finished"
    assert "Thank you for taking part" in page.select_one("main").get_text()
    response = rate(client, ids[0], 1)
    assert response.status_code == 410
    assert "finished" in soup(response).get_text()
    assert {r.statement_id: r.level for r in ratings(engine)}[ids[0]] == 3


def test_back_saves_then_goes_to_the_statement_before(client, session, engine):
    found = workshop_round(session)
    join(client)
    ids = statement_ids(engine, found.framework_id)
    form = {"csrf_token": participant_csrf(client), f"level-{ids[2]}": "1", "go": "back"}
    response = client.post(f"/r/{CODE}/statements/3", data=form, follow_redirects=False)
    assert response.headers["location"] == f"/r/{CODE}/statements/2"
    assert count(engine) == 1


def test_a_refused_answer_without_javascript_is_shown_by_it_and_at_the_top(client, session, engine):
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    form = {"csrf_token": participant_csrf(client), f"matters_most-{sid}": "1", "go": "next"}
    response = client.post(f"/r/{CODE}/statements/1", data=form)
    assert response.status_code == 422
    page = soup(response)
    assert (
        page.select_one(f"#level-{sid}-error")
        .get_text(" ", strip=True)
        .endswith("Choose an answer before marking it as mattering most.")
    )
    top = page.select_one("#save-summary")
    assert top.get_text(strip=True) == (
        "Not saved: choose an answer before marking it as mattering most."
    )
    assert page.select_one(f"#matters_most-{sid}").has_attr("checked")  # kept
    assert count(engine) == 0


def test_section_query_parameter_finds_a_section_by_code(client, session):
    workshop_round(session)
    join(client)
    response = client.get(f"/r/{CODE}?section=c2", follow_redirects=False)
    assert response.headers["location"] == f"/r/{CODE}/sections/2"


def test_something_to_bring_adds_an_asset_then_thanks(client, session, engine):
    found = workshop_round(session)
    join(client, perspective="service_user", alias="Robin")
    page = soup(client.get(f"/r/{CODE}/bring"))
    assert page.select_one("h1").get_text(strip=True) == "Is there something you could bring?"
    response = client.post(
        f"/r/{CODE}/bring",
        data={"csrf_token": participant_csrf(client), "kind": "", "description": ""},
    )
    assert response.status_code == 422
    assert soup(response).select_one("#description-error")
    assert count(engine, Asset) == 0
    response = client.post(
        f"/r/{CODE}/bring",
        data={
            "csrf_token": participant_csrf(client),
            "kind": "talent",
            "description": "I play the guitar and could run a music group.",
            "happy_to_share": "yes",
            "alias": "",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == f"/r/{CODE}/thanks"
    with Session(engine) as s:
        (asset,) = s.exec(select(Asset)).all()
    assert (asset.team_id, asset.round_id) == (found.team_id, found.id)
    assert (asset.perspective, asset.alias, asset.kind) == ("service_user", "Robin", "talent")
    assert asset.holder_member_id is None and asset.happy_to_share
    page = soup(client.get(f"/r/{CODE}/thanks"))
    assert page.select_one("h1").get_text(strip=True) == "Thank you"


# --- a group round is never joined or rated by phone ---------------------------------------


def test_a_group_rounds_code_is_refused_at_join_its_page_and_every_save(client, session, engine):
    """One rule (app.workshop.queries): only an open round rated on phones is joined or
    rated; a group round's code is refused at /join, at /r/{code} and by the saves, even for
    a phone holding a participant's cookie."""
    from app.security.tokens import hash_token

    found = make_round(session, status="open", code="GRP234", mode="group")
    response = client.form("/join", {"code": "grp234"})
    assert response.status_code == 422
    assert "could not find an open workshop" in soup(response).select_one("#code-error").text
    assert client.get("/r/GRP234").status_code == 404
    assert client.form("/r/GRP234", {"perspective": "staff"}).status_code == 404
    assert count(engine, model=Participant) == 0
    token = "a-phone-that-somehow-holds-a-cookie"
    session.add(Participant(round_id=found.id, token_hash=hash_token(token), perspective="staff"))
    session.commit()
    client.cookies.set("trip_p_GRP234", token, domain="testserver.local", path="/r/GRP234")
    sid = statement_ids(engine, found.framework_id)[0]
    for htmx in (True, False):
        response = rate(client, sid, 3, code="GRP234", htmx=htmx)
        assert response.status_code == 404, response.text
    # a phone holding the round's cookie is told why (and is not counted as guessing)
    assert "answered together in the room" in soup(response).get_text()
    form = {"csrf_token": participant_csrf(client, "GRP234"), f"level-{sid}": "2"}
    response = client.post("/r/GRP234/sections/1", data=form, follow_redirects=False)
    assert response.status_code == 404
    assert client.get("/r/GRP234/sections/1").status_code == 404
    assert count(engine) == 0
