"""Saving ratings: idempotent upserts, 40 phones at once, and every refusal writes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import Session, select

from app.models import Participant, Rating, Round
from app.rounds.queries import live_counts
from app.workshop import queries, service
from tests.conftest import soup
from tests.factories import (
    CODE,
    count,
    join,
    participant_csrf,
    rate,
    ratings,
    shipped_framework,
    statement_ids,
    workshop_round,
)

PERSPECTIVES = ["staff", "peer_worker", "service_user", "carer", "community"]


def planned_level(person: int, statement: int, sweep: int) -> str:
    """A level (or "dk") for each person, statement and sweep: easy to recompute by hand."""
    value = (person * 3 + statement * 5 + sweep) % 5
    return "dk" if value == 0 else str(value)


def test_forty_phones_interleaved_keep_one_row_each_and_counts_match(make_client, session, engine):
    found = workshop_round(session)
    ids = statement_ids(engine, found.framework_id)
    phones = []
    for person in range(40):
        phone = make_client()
        join(phone, perspective=PERSPECTIVES[person % 5], alias=f"p{person}")
        phones.append(phone)
    expected: dict[tuple[int, int], str] = {}
    # three sweeps, interleaved statement by statement, every phone in turn: the second
    # (backwards) changes every other phone's answers, the third repeats some exactly
    for sweep in range(3):
        for s_index, sid in enumerate(ids):
            order = range(40) if sweep != 1 else reversed(range(40))
            for person in order:
                if (sweep == 1 and person % 2) or (sweep == 2 and person % 4):
                    continue
                level = planned_level(person, s_index, min(sweep, 1))
                assert rate(phones[person], sid, level).status_code == 200
                expected[(person, sid)] = level
    rows = ratings(engine)
    assert len(rows) == 40 * len(ids)
    assert len({(r.participant_id, r.statement_id) for r in rows}) == len(rows)
    people = {p.alias: p for p in (s for s in _participants(engine))}
    by_pair = {(r.participant_id, r.statement_id): r for r in rows}
    for (person, sid), level in expected.items():
        row = by_pair[(people[f"p{person}"].id, sid)]
        assert row.level == (None if level == "dk" else int(level))
    # hand computation of each statement's counts per perspective vs the live counts
    hand: dict[int, dict[str, Counter]] = {sid: {} for sid in ids}
    for (person, sid), level in expected.items():
        perspective = PERSPECTIVES[person % 5]
        hand[sid].setdefault(perspective, Counter())[level] += 1
    with Session(engine) as s:
        live = live_counts(s, found.id)
    for sid in ids:
        for perspective, counter in hand[sid].items():
            got = live[sid][perspective]
            assert got.levels == tuple(counter[str(level)] for level in (1, 2, 3, 4))
            assert got.dont_know == counter["dk"]
            assert got.n == 8  # 40 people, 5 perspectives


def _participants(engine):
    with Session(engine) as s:
        return list(s.exec(select(Participant)).all())


def test_double_submit_and_a_retried_submit_keep_one_row(client, session, engine):
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    assert rate(client, sid, 2).status_code == 200
    assert rate(client, sid, 2).status_code == 200  # double tap
    assert rate(client, sid, 4, **{f"comment-{sid}": "Better now"}).status_code == 200  # retry
    (row,) = ratings(engine)
    assert (row.level, row.comment) == (4, "Better now")
    form = {"csrf_token": participant_csrf(client), f"level-{sid}": "1", "go": "next"}
    for _ in range(2):  # "Save and continue" sent twice
        response = client.post(f"/r/{CODE}/statements/1", data=form, follow_redirects=False)
        assert response.status_code == 303
    (row,) = ratings(engine)
    assert row.level == 1 and row.comment is None


def test_a_hidden_comment_stays_hidden_when_the_answer_changes(client, session, engine):
    found = workshop_round(session)
    join(client)
    sid = statement_ids(engine, found.framework_id)[0]
    rate(client, sid, 2, **{f"comment-{sid}": "Something unkind"})
    with Session(engine) as s:
        row = s.exec(select(Rating)).one()
        row.comment_hidden = True
        s.add(row)
        s.commit()
    rate(client, sid, 3, **{f"comment-{sid}": "Something unkind"})
    (row,) = ratings(engine)
    assert row.level == 3 and row.comment_hidden


def test_the_service_saves_directly_too(session, engine):
    found = workshop_round(session)
    participant, token = service.join_round(session, found, "staff", None)
    assert queries.find_participant(session, found, token).id == participant.id
    assert queries.find_participant(session, found, "not-a-token") is None
    session.commit()  # end the read (SQLite: a transaction holds the write lock)
    sid = statement_ids(engine, found.framework_id)[0]
    for level in (1, 1, None):
        service.save_rating(
            session, participant=participant, round=found, statement_id=sid, level=level
        )
    (row,) = ratings(engine)
    assert row.level is None


# --- every refusal: a plain message, the right status, nothing written --------------------


@pytest.fixture
def rated(client, session, engine):
    """An open round, one joined phone, one rating already saved."""
    found = workshop_round(session)
    join(client)
    ids = statement_ids(engine, found.framework_id)
    assert rate(client, ids[0], 2).status_code == 200
    return found, ids


def _refused(response, status: int, words: str, engine, before: int = 1) -> None:
    assert response.status_code == status, response.text
    text = soup(response).get_text(" ", strip=True)
    assert words in text, text
    assert count(engine) == before
    assert ratings(engine)[0].level == 2


def test_level_out_of_range_or_not_a_number(client, engine, rated):
    _found, ids = rated
    for level in ("7", "0", "-1", "three"):
        _refused(rate(client, ids[0], level), 422, "Choose one of the answers shown", engine)
    _refused(rate(client, ids[1], "5"), 422, "Choose one of the answers shown", engine)


def test_statement_not_in_the_rounds_framework(client, session, engine, rated):
    other = shipped_framework(session)
    foreign = statement_ids(engine, other.id)[0]
    _refused(rate(client, foreign, 2), 404, "not part of this workshop", engine)
    _refused(rate(client, 999999, 2), 404, "not part of this workshop", engine)


def test_over_long_comment(client, engine, rated):
    _found, ids = rated
    response = rate(client, ids[1], 2, **{f"comment-{ids[1]}": "x" * 501})
    _refused(response, 422, "500 characters or fewer", engine)
    assert rate(client, ids[1], 2, **{f"comment-{ids[1]}": "x" * 500}).status_code == 200


def test_a_comment_without_an_answer(client, engine, rated):
    _found, ids = rated
    response = rate(client, ids[1], "", **{f"comment-{ids[1]}": "Hello"})
    _refused(response, 422, "Choose an answer before writing a comment", engine)


def test_posting_to_a_closed_round(client, engine, rated):
    found, ids = rated
    with Session(engine) as s:
        row = s.get(Round, found.id)
        row.status = "closed"
        s.add(row)
        s.commit()
    _refused(rate(client, ids[0], 4), 410, "workshop has finished", engine)
    response = rate(client, ids[0], 4, htmx=False)
    _refused(response, 410, "This workshop has finished", engine)
    form = {"csrf_token": participant_csrf(client), f"level-{ids[0]}": "4"}
    response = client.post(f"/r/{CODE}/statements/1", data=form, follow_redirects=False)
    _refused(response, 410, "This workshop has finished", engine)


def test_unknown_or_draft_code(client, session, engine, rated):
    _found, ids = rated
    workshop_round(session, status="draft", code="DRAFT2")
    # the participant cookie belongs to /r/KX7P2M only: the anonymous token goes with these
    headers = {"X-CSRF-Token": client.csrf_token(), "HX-Request": "true"}
    for code in ("ZZZZZZ", "DRAFT2"):
        response = client.post(f"/r/{code}/ratings/{ids[0]}", data={"level": "4"}, headers=headers)
        _refused(response, 404, "could not find an open workshop", engine)


def test_missing_or_invalid_participant_cookie(client, make_client, engine, rated):
    _found, ids = rated
    stranger = make_client()
    stranger.get("/join")
    headers = {"X-CSRF-Token": stranger.csrf_token(), "HX-Request": "true"}
    response = stranger.post(f"/r/{CODE}/ratings/{ids[0]}", data={"level": "4"}, headers=headers)
    _refused(response, 403, "could not tell that this phone has joined", engine)
    stranger.cookies.set(f"trip_p_{CODE}", "made-up-token", path=f"/r/{CODE}")
    from app.security.csrf import token_for
    from tests.conftest import SECRET

    headers["X-CSRF-Token"] = token_for(SECRET, "made-up-token")
    response = stranger.post(f"/r/{CODE}/ratings/{ids[0]}", data={"level": "4"}, headers=headers)
    _refused(response, 403, "could not tell that this phone has joined", engine)


def test_wrong_or_missing_csrf_token(client, make_client, engine, rated):
    _found, ids = rated
    url = f"/r/{CODE}/ratings/{ids[0]}"
    response = client.post(url, data={"level": "4"}, headers={"X-CSRF-Token": "wrong"})
    _refused(response, 403, "security token did not match", engine)
    response = client.post(url, data={"level": "4"})
    _refused(response, 403, "security token was missing", engine)
    # another phone's token does not fit this phone's cookie
    other = make_client()
    join(other)
    response = client.post(
        url, data={"level": "4"}, headers={"X-CSRF-Token": participant_csrf(other)}
    )
    _refused(response, 403, "security token did not match", engine)
    # a post from another site is refused whatever the token
    response = client.post(
        url,
        data={"level": "4"},
        headers={"X-CSRF-Token": participant_csrf(client), "Sec-Fetch-Site": "cross-site"},
    )
    _refused(response, 403, "cross-site", engine)


def test_a_bad_answer_on_save_and_continue_saves_nothing_and_keeps_the_input(client, engine, rated):
    _found, ids = rated
    form = {
        "csrf_token": participant_csrf(client),
        f"level-{ids[1]}": "3",
        f"comment-{ids[1]}": "y" * 501,
        "go": "next",
    }
    response = client.post(f"/r/{CODE}/statements/2", data=form, follow_redirects=False)
    assert response.status_code == 422
    page = soup(response)
    assert "500 characters or fewer" in page.select_one(f"#comment-{ids[1]}-error").get_text()
    assert page.select_one("#save-summary").get_text(strip=True).startswith("Not saved: your")
    # what was typed is kept
    assert page.select_one(f"#level-{ids[1]}-3").has_attr("checked")
    assert page.select_one(f"#comment-{ids[1]}").get_text() == "y" * 501
    assert count(engine) == 1 and ratings(engine)[0].level == 2
    form = {"csrf_token": participant_csrf(client), f"level-{ids[0]}": "9", "go": "next"}
    response = client.post(f"/r/{CODE}/statements/1", data=form, follow_redirects=False)
    assert response.status_code == 422
    assert "Choose one of the answers" in soup(response).select_one(f"#level-{ids[0]}-error").text
    assert count(engine) == 1 and ratings(engine)[0].level == 2


def test_a_bad_single_save_without_javascript_shows_the_statement_with_the_problem(
    client, engine, rated
):
    _found, ids = rated
    response = rate(client, ids[0], "8", htmx=False)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one(f"#level-{ids[0]}-error")
    assert page.select_one("h1").get_text(strip=True) == "We ask what matters to you."
    assert count(engine) == 1
