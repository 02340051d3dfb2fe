"""Present mode's counts without a redraw (issue 12, "live without waste"): a join or an
answer moves the round's room_version only; a move, show/hide, a comment put up, agreement,
the mode and the status move its screen_version too. A projector polling with both numbers
is answered 204 when nothing moved, its counts alone (the poll element and the joined and
answered lines, swapped out of band) when only the counts moved, and the whole screen when
what it shows changed."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Rating, Round
from tests.conftest import soup, sql_sent
from tests.factories import CODE, join, make_person, make_round, make_team, rate, statement_ids

HX = {"HX-Request": "true"}


def _led(session):
    team = make_team(session, "Oak ward")
    make_person(session, team, "fiona", role="facilitator")
    make_person(session, team, "mo", role="member")
    return make_round(session, team, title="Baseline", status="open", mode="led", code=CODE)


def _numbers(engine, round_id: int) -> tuple[int, int]:
    with Session(engine) as s:
        row = s.get(Round, round_id)
        return row.room_version, row.screen_version


def _present(client, round_id: int, numbers: tuple[int, int]):
    v, s = numbers
    return client.get(f"/rounds/{round_id}/present?v={v}&s={s}", headers=HX)


def test_joins_and_answers_move_the_counts_and_screen_changes_move_both(
    client, make_client, session, engine
):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    phone = make_client()
    facilitator = make_client()
    facilitator.login("fiona")
    seen = [_numbers(engine, found.id)]

    def then(action, *, screen: bool):
        action()
        seen.append(_numbers(engine, found.id))
        (v0, s0), (v1, s1) = seen[-2], seen[-1]
        assert v1 == v0 + 1, action
        assert s1 == (s0 + 1 if screen else s0), action

    then(lambda: join(phone), screen=False)
    then(lambda: rate(phone, ids[0], 3), screen=False)
    then(lambda: rate(phone, ids[0], 3, **{f"comment-{ids[0]}": "More time"}), screen=False)
    rid = found.id
    then(lambda: facilitator.form(f"/rounds/{rid}/current", {"statement_id": ids[1]}), screen=True)
    then(lambda: facilitator.form(f"/rounds/{rid}/current", {"statement_id": ids[0]}), screen=True)
    then(lambda: facilitator.form(f"/rounds/{rid}/spread/show"), screen=True)
    then(lambda: facilitator.form(f"/rounds/{rid}/spread/hide"), screen=True)
    with Session(engine) as s:
        rating_id = s.exec(select(Rating.id).where(Rating.round_id == rid)).one()
    show = {"rating_id": rating_id}
    then(lambda: facilitator.form(f"/rounds/{rid}/comments/show", show), screen=True)
    agree = f"/rounds/{rid}/statements/{ids[0]}/agree"
    then(lambda: facilitator.form(agree, {"level": "3", "version": "0"}), screen=True)
    then(lambda: facilitator.form(f"/rounds/{rid}/mode", {"mode": "self_paced"}), screen=True)
    then(lambda: facilitator.form(f"/rounds/{rid}/close"), screen=True)


def test_a_projector_gets_only_its_counts_when_only_the_counts_moved(
    client, make_client, session, engine
):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    client.login("fiona")
    shown = _numbers(engine, found.id)
    assert _present(client, found.id, shown).status_code == 204
    phones = [make_client() for _ in range(2)]
    for phone in phones:
        join(phone)
    rate(phones[0], ids[0], 2)

    with sql_sent(engine) as sent:
        response = _present(client, found.id, shown)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#present-poll"
    assert response.headers["HX-Reswap"] == "outerHTML"
    fragment = soup(response)
    now = _numbers(engine, found.id)
    assert now[1] == shown[1]  # the screen itself did not change
    poll = fragment.select_one("#present-poll")
    assert poll["data-hx-get"] == f"/rounds/{found.id}/present?v={now[0]}&s={now[1]}"
    assert (poll["data-hx-target"], poll["data-hx-trigger"]) == ("#live-panel", "every 2s")
    joined = fragment.select_one("#present-joined")
    answered = fragment.select_one("#present-answered")
    assert joined["data-hx-swap-oob"] == answered["data-hx-swap-oob"] == "true"
    assert joined.get_text(" ", strip=True) == "2 people have joined"
    assert answered.get_text(" ", strip=True) == "1 of 2 has answered this statement"
    # nothing else: no statement, no spread, no join code, no whole panel
    assert fragment.select_one("#live-panel, #present-statement, #spread, svg") is None
    queries = [q for q in sent if not q.startswith("BEGIN")]
    assert len(queries) <= 4, "\n".join(sent)  # sign-in, the poll, joined, answered
    # it only reads: on SQLite without the write lock (40 phones' saves never wait for it)
    assert "BEGIN IMMEDIATE" not in sent

    # the next poll, with the new number, is 204 again
    assert _present(client, found.id, now).status_code == 204
    # a move redraws the whole screen, with both new numbers to poll with
    client.form(f"/rounds/{found.id}/current", {"statement_id": ids[1]})
    redrawn = _present(client, found.id, now)
    assert "HX-Retarget" not in redrawn.headers
    panel = soup(redrawn).select_one("#live-panel")
    assert panel.select_one("#present-statement")
    moved = _numbers(engine, found.id)
    assert moved[1] == now[1] + 1
    assert panel.select_one("#present-poll")["data-hx-get"].endswith(f"?v={moved[0]}&s={moved[1]}")
    assert panel.select_one("#present-answered").get_text(" ", strip=True) == (
        "0 of 2 have answered this statement"
    )


def test_a_comment_on_the_screen_edited_on_the_phone_is_updated_with_the_counts(
    client, make_client, session, engine
):
    found = _led(session)
    ids = statement_ids(engine, found.framework_id)
    phone = make_client()
    join(phone)
    rate(phone, ids[0], 2, **{f"comment-{ids[0]}": "We wait too long"})
    client.login("fiona")
    with Session(engine) as s:
        rating_id = s.exec(select(Rating.id).where(Rating.round_id == found.id)).one()
    client.form(f"/rounds/{found.id}/comments/show", {"rating_id": rating_id})
    shown = _numbers(engine, found.id)
    page = soup(_present(client, found.id, (shown[0] - 1, shown[1] - 1)))
    assert page.select_one("#present-comment").get_text(strip=True) == "“We wait too long”"

    rate(phone, ids[0], 2, **{f"comment-{ids[0]}": "We wait too long for a call back"})
    fragment = soup(_present(client, found.id, shown))
    quote = fragment.select_one("#present-comment")
    assert quote["data-hx-swap-oob"] == "true"
    assert quote.get_text(strip=True) == "“We wait too long for a call back”"
    # emptied on the phone: the comment is gone, so the whole screen redraws without it
    rate(phone, ids[0], 2, **{f"comment-{ids[0]}": ""})
    response = _present(client, found.id, shown)
    assert "HX-Retarget" not in response.headers
    assert soup(response).select_one("#live-panel")
    assert soup(response).select_one("#present-comment") is None


def test_counts_alone_only_for_those_who_may_run_the_round(client, make_client, session, engine):
    found = _led(session)
    shown = _numbers(engine, found.id)
    join(make_client())
    signed_out = _present(client, found.id, shown)
    assert signed_out.headers["HX-Redirect"].startswith("/login")
    client.login("mo")  # a member, not the facilitator
    assert _present(client, found.id, shown).status_code == 403
    # a group round's screen shows no counts: always the whole screen
    client.login("fiona")
    client.form(f"/rounds/{found.id}/mode", {"mode": "group"})
    grouped = _numbers(engine, found.id)
    with Session(engine) as s:
        row = s.get(Round, found.id)
        row.room_version += 1  # as if counts moved (paper sheets)
        s.add(row)
        s.commit()
    response = _present(client, found.id, grouped)
    assert response.status_code == 200 and "HX-Retarget" not in response.headers
    # without htmx (a reload) the whole page, whatever the numbers
    page = client.get(f"/rounds/{found.id}/present?v={grouped[0]}&s={grouped[1]}")
    assert soup(page).select_one("html") and soup(page).select_one("#live-panel")


def test_a_screens_poll_and_the_sign_in_read_without_the_write_lock(
    client, make_client, session, engine
):
    """On SQLite every other transaction takes the write lock at its start (BEGIN IMMEDIATE);
    the screens' polls and the sign-in lookup before them only read, so a room's saves never
    queue behind them."""
    found = _led(session)
    client.login("fiona")
    shown = _numbers(engine, found.id)
    urls = [
        f"/rounds/{found.id}/present?v={shown[0]}&s={shown[1]}",
        f"/rounds/{found.id}/counts?v={shown[0]}",
        f"/rounds/{found.id}/present?v={shown[0] - 1}&s={shown[1] - 1}",  # a redraw
        f"/rounds/{found.id}/counts?v={shown[0] - 1}",
    ]
    for url in urls:
        with sql_sent(engine) as sent:
            response = client.get(url, headers=HX)
        assert response.status_code in (200, 204), url
        assert "BEGIN IMMEDIATE" not in sent, url
