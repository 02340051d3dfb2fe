"""Joining on shared Wi-Fi: only failed tries count towards the code limit (200 per address
per 10 minutes), on every route that takes a code; a right code is never refused; a closed
round's code says only that the workshop has finished."""

from __future__ import annotations

from sqlmodel import Session

from app.models import RateLimitHit, Round
from app.security import ratelimit
from app.workshop.deps import TOO_MANY
from tests.conftest import soup
from tests.factories import (
    CODE,
    count,
    join,
    make_round,
    participant_csrf,
    rate,
    workshop_round,
)

LIMIT = ratelimit.JOIN_PER_ADDRESS


def _close(engine, round_id: int) -> None:
    with Session(engine) as s:
        found = s.get(Round, round_id)
        found.status = "closed"
        s.add(found)
        s.commit()


def _fill_up(session, clock, hits: int = LIMIT.max_hits) -> None:
    for _ in range(hits):
        ratelimit.hit(session, LIMIT, "testclient", now=clock.now)
    session.commit()


def test_the_limit_is_200_failures_per_address_per_10_minutes():
    assert (LIMIT.max_hits, LIMIT.window.total_seconds()) == (200, 600)


def test_sixty_wrong_codes_then_the_right_one_works(client, session, engine):
    workshop_round(session)
    for n in range(60):
        response = client.form("/join", {"code": f"WRNG{n:02d}"})
        assert response.status_code == 422
    assert count(engine, RateLimitHit) == 60
    response = client.form("/join", {"code": CODE.lower()})
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{CODE}"
    assert count(engine, RateLimitHit) == 60  # a right code is not counted


def test_a_right_code_is_never_refused_even_over_the_limit(client, session, engine, clock):
    workshop_round(session)
    _fill_up(session, clock)
    assert client.form("/join", {"code": CODE}).status_code == 303
    join(client)  # the welcome page and choosing a perspective
    assert client.get(f"/r/{CODE}/sections/1").status_code == 200
    assert count(engine, RateLimitHit) == LIMIT.max_hits


def test_the_201st_failure_is_refused_and_says_to_scan_the_qr(client, session, engine, clock):
    workshop_round(session)
    _fill_up(session, clock, LIMIT.max_hits - 1)
    response = client.form("/join", {"code": "NOPE22"})  # the 200th failure: still a try
    assert "could not find an open workshop" in soup(response).select_one("#code-error").text
    response = client.form("/join", {"code": "NOPE23"})  # the 201st: refused
    assert response.status_code == 422
    message = soup(response).select_one("#code-error").get_text(" ", strip=True)
    assert "Scan the QR code" in message and "ask the facilitator" in message
    assert soup(response).select_one("input#code")["value"] == "NOPE23"
    page = client.get("/r/ZZZZZZ")
    assert page.status_code == 429
    assert TOO_MANY in soup(page).select_one("main").get_text(" ", strip=True)
    clock.advance(minutes=11)
    assert client.form("/join", {"code": "NOPE24"}).status_code == 422  # counted again
    assert "could not find" in soup(client.form("/join", {"code": "NOPE25"})).text


def test_every_route_that_takes_a_code_counts_a_failed_try(client, make_client, session, engine):
    found = workshop_round(session)
    closed = make_round(session, title="Spring check", status="closed", code="CLSD22")
    assert closed.status == "closed"
    tries = [
        lambda: client.get("/r/ZZZZZZ"),
        lambda: client.get("/r/ZZZZZZ/sections/1"),
        lambda: client.get("/r/ZZZZZZ/bring"),
        lambda: client.get("/r/ZZZZZZ/thanks"),
        lambda: client.get("/r/CLSD22"),
        lambda: client.get("/r/CLSD22/sections/1"),
        lambda: client.form("/join", {"code": "CLSD22"}),
    ]
    for number, attempt in enumerate(tries, start=1):
        assert attempt().status_code in (404, 410, 422)
        assert count(engine, RateLimitHit) == number
    # posts without the round's cookie: a save, a section, something to bring
    stranger = make_client()
    headers = {"X-CSRF-Token": stranger.csrf_token()}
    posts = [
        f"/r/{CODE}/ratings/1",
        f"/r/{CODE}/sections/1",
        f"/r/{CODE}/bring",
    ]
    before = count(engine, RateLimitHit)
    for number, url in enumerate(posts, start=1):
        response = stranger.post(
            url, data={"level-1": "3"}, headers=headers, follow_redirects=False
        )
        assert response.status_code == 403, (url, response.status_code)
        assert count(engine, RateLimitHit) == before + number
    # a participant going about the workshop counts nothing
    join(client)
    client.get(f"/r/{CODE}/sections/1")
    after = count(engine, RateLimitHit)
    client.post(
        f"/r/{CODE}/ratings/1",
        data={"level-1": "3"},
        headers={"X-CSRF-Token": participant_csrf(client), "HX-Request": "true"},
    )
    assert count(engine, RateLimitHit) == after
    assert found.id


def test_a_closed_rounds_code_says_only_that_it_has_finished(client, session, engine):
    found = workshop_round(session)
    join(client)
    _close(engine, found.id)
    for url in (f"/r/{CODE}", f"/r/{CODE}/sections/1", f"/r/{CODE}/thanks"):
        response = client.get(url)
        assert response.status_code == 410
        main = soup(response).select_one("main").get_text(" ", strip=True)
        assert "This workshop has finished" in main
        assert "Baseline" not in response.text  # the round's title is not shown
    response = client.form("/join", {"code": CODE})
    assert (
        soup(response)
        .select_one("#code-error")
        .get_text(" ", strip=True)
        .endswith("This workshop has finished.")
    )
    assert "Baseline" not in response.text


def _set_mode(engine, round_id: int, mode: str) -> None:
    with Session(engine) as s:
        found = s.get(Round, round_id)
        found.mode = mode
        s.add(found)
        s.commit()


HX = {"HX-Request": "true"}


def test_a_draft_code_and_unknown_codes_on_a_statement_or_the_room_are_failed_tries(
    client, session, engine
):
    make_round(session, title="Not started", status="draft", code="DRFT22")
    tries = [
        lambda: client.form("/join", {"code": "DRFT22"}),
        lambda: client.get("/r/DRFT22"),
        lambda: client.get("/r/DRFT22/statements/1"),
        lambda: client.get("/r/ZZZZZZ/statements/1"),
        lambda: client.get("/r/ZZZZZZ/room"),
        lambda: client.get("/r/ZZZZZZ/room?v=3", headers=HX),
    ]
    for number, attempt in enumerate(tries, start=1):
        assert attempt().status_code in (404, 422)
        assert count(engine, RateLimitHit) == number
    assert "Not started" not in client.get("/r/DRFT22/statements/1").text


def test_a_right_code_is_never_refused_on_any_page_after_many_failures(
    client, session, engine, clock
):
    make_round(session, title="Baseline", status="open", mode="led", code=CODE)
    for n in range(30):  # a room mistyping, from one address
        assert client.get(f"/r/WRNG{n:02d}/statements/1").status_code == 404
        assert client.get(f"/r/WRNG{n:02d}/room").status_code == 404
    _fill_up(session, clock, LIMIT.max_hits - count(engine, RateLimitHit))
    assert client.get("/r/ZZZZZZ/room").status_code == 429  # over the limit: refused
    assert client.form("/join", {"code": CODE}).status_code == 303
    join(client)
    for url in (f"/r/{CODE}/statements/1", f"/r/{CODE}/room", f"/r/{CODE}/statements/2"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/r/{CODE}/room?v=0", headers=HX).status_code in (200, 204)
    assert count(engine, RateLimitHit) == LIMIT.max_hits  # nothing right was counted


def test_phones_polling_a_round_switched_to_group_do_not_lock_the_room_out(
    client, make_client, session, engine, clock
):
    """A round switched to `group` mid-session: every phone's 2 s poll is refused (404, in
    plain words, so workshop.js stops polling), but a phone holding the round's cookie is
    not guessing, so none of it counts towards the shared address's limit."""
    found = make_round(session, title="Baseline", status="open", mode="led", code=CODE)
    phones = [make_client() for _ in range(3)]
    for phone in phones:
        join(phone)
        assert phone.get(f"/r/{CODE}/room?v=0", headers=HX).status_code == 200
    _set_mode(engine, found.id, "group")
    for _ in range(20):  # 40 s of polling, three phones
        for phone in phones:
            response = phone.get(f"/r/{CODE}/room?v=0&at=1", headers=HX)
            assert response.status_code == 404
            assert response.headers["X-Refused"] == "404"
            text = soup(response).select_one("[data-refusal]").get_text(" ", strip=True)
            assert "answered together in the room" in text
    phone = phones[0]
    assert phone.get(f"/r/{CODE}/statements/1").status_code == 404  # a full page load
    assert rate(phone, 1, 3).status_code == 404  # a save
    assert count(engine, RateLimitHit) == 0
    # with the address's limit already reached by others, the phones are still told why
    _fill_up(session, clock)
    response = phones[1].get(f"/r/{CODE}/room?v=0", headers=HX)
    assert response.status_code == 404 and "answered together in the room" in response.text
    # a stranger (no cookie) polling the same code is a failed try, refused over the limit
    assert client.get(f"/r/{CODE}/room?v=0", headers=HX).status_code == 429
    # back to led: the same phones follow again
    _set_mode(engine, found.id, "led")
    assert phone.get(f"/r/{CODE}/room?v=0", headers=HX).status_code == 200


def test_a_phone_polling_a_closed_round_is_told_it_finished_and_not_counted(
    make_client, session, engine
):
    found = make_round(session, title="Baseline", status="open", mode="led", code=CODE)
    phone = make_client()
    join(phone)
    _close(engine, found.id)
    for _ in range(5):
        assert phone.get(f"/r/{CODE}/room?v=0", headers=HX).status_code == 410
    assert phone.get(f"/r/{CODE}/statements/1").status_code == 410
    assert count(engine, RateLimitHit) == 0
