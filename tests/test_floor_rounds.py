"""Issue 10 in the rounds domain: each attack on the anonymity floor, as a test.

(a) reopen and close again; (b) small totals; (c) head counts; (d) divergence without the
breakdown; (e) the projector; (f) the facilitator's "show small groups on this screen only";
and, in a real browser, the projector and the join page's promise."""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from app.models import Publication, Rating, Round
from app.rounds import queries, service
from app.rounds.queries import TOO_FEW_YET
from tests.conftest import soup
from tests.factories import (
    add_participant,
    make_person,
    make_round,
    make_team,
    make_user,
    small_framework,
)

HX = {"HX-Request": "true"}
CARERS = "Family, friends and carers"


@pytest.fixture
def client(client, session):
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
    make_user(session, "lena", role="recovery_lead")
    round_ = make_round(session, team, framework, status="open")
    return SimpleNamespace(
        framework=framework,
        team=team,
        round=round_,
        statements=queries.round_statements(session, round_),
    )


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def table(page: BeautifulSoup, code: str) -> dict[str, list[int]]:
    """{group: [people, levels…, don't know, matters most]} of one statement's card."""
    card = page.select_one(f'.app-statement-result[data-code="{code}"]')
    return {
        tr["data-group"]: [int(td.get_text()) for td in tr.select("td")]
        for tr in card.select("tr[data-group]")
    }


def rate_all(session, round_, people, answers):
    """people: [perspective]; answers: {statement_id: (level, matters, comment)} for each."""
    return [add_participant(session, round_, p, answers) for p in people]


def close(session, round_) -> None:
    service.close_round(session, session.get(Round, round_.id))


# --- (a) reopen and close again -------------------------------------------------------------


def test_a_carer_who_joins_after_a_reopen_cannot_be_worked_out(world, client, session):
    s1, s2, *_ = world.statements
    answers = {s1.id: (3, True, None), s2.id: (2, False, None)}
    rate_all(session, world.round, ["staff"] * 3, answers)
    rate_all(session, world.round, ["service_user"] * 3, {s1.id: (1, False, None)})
    close(session, world.round)
    client.login("mo")
    before_page = soup(client.get(f"/rounds/{world.round.id}/results"))
    before_csv = client.get(f"/rounds/{world.round.id}/ratings.csv").text
    before_heads = before_page.select_one(".app-took-part").get_text(" ", strip=True)
    assert table(before_page, "C1.1")["all"][0] == 6
    assert set(table(before_page, "C1.1")) == {"all", "staff_side", "service_user"}

    client.login("fiona")
    assert client.form(f"/rounds/{world.round.id}/reopen").status_code == 303
    add_participant(session, world.round, "carer", {s1.id: (4, True, None), s2.id: (4, True, None)})
    closed = client.form(f"/rounds/{world.round.id}/close")
    assert closed.status_code == 303
    flash = soup(client.get(closed.headers["location"])).select_one(".app-flash").get_text()
    assert "kept the figures from when this round first closed" in flash
    assert "work out how one or two people answered" in flash

    for who in ("mo", "fiona", "lena"):
        client.login(who)
        page = soup(client.get(f"/rounds/{world.round.id}/results"))
        for code in ("C1.1", "C1.2"):
            assert table(page, code) == table(before_page, code), (who, code)
        assert page.select_one(".app-took-part").get_text(" ", strip=True) == before_heads
        assert CARERS not in page.get_text()
    client.login("mo")
    assert client.get(f"/rounds/{world.round.id}/ratings.csv").text == before_csv
    # every figure on the page is one the round's publications hold
    published = {str(p) for p in session.exec(select(Publication.id)).all()}
    page = soup(client.get(f"/rounds/{world.round.id}/results"))
    figures = page.select("data.app-fig")
    assert figures
    for f in figures:
        for key in ("data-form", "data-num", "data-den"):
            for term in (f.get(key) or "").split():
                assert term.split(".")[0] in published, term


# --- (b) small totals -----------------------------------------------------------------------


def test_statements_with_one_or_two_answers_show_no_everyone_row(world, client, session):
    s1, s2, s3, _ = world.statements
    one = {s1.id: (2, True, None), s2.id: (4, False, None), s3.id: (1, False, None)}
    add_participant(session, world.round, "staff", one)
    add_participant(
        session, world.round, "staff", {s1.id: (3, False, None), s3.id: (1, False, None)}
    )
    add_participant(session, world.round, "staff", {s3.id: (2, False, None)})
    add_participant(session, world.round, "carer", {s3.id: (4, False, None)})
    close(session, world.round)
    for who in ("mo", "lena", "fiona"):
        client.login(who)
        page = soup(client.get(f"/rounds/{world.round.id}/results"))
        for code in ("C1.1", "C1.2"):  # 2 answers, 1 answer
            card = page.select_one(f'.app-statement-result[data-code="{code}"]')
            assert not card.select("tr[data-group]"), (who, code)
            assert "Fewer than 3 answers" in card.select_one(".app-too-few").get_text()
            assert not card.select("data.app-fig")
        assert list(table(page, "C2.1")) == ["all"]  # 3 staff and a carer: the total only
        exported = rows_of(client.get(f"/rounds/{world.round.id}/ratings.csv").text)
        by_code = {}
        for row in exported:
            by_code.setdefault(row["statement_code"], []).append((row["group"], row["people"]))
        assert by_code["C1.1"] == by_code["C1.2"] == [("", "fewer than 3")]
        assert by_code["C2.1"] == [("Everyone", "4")]


# --- (c) head counts ------------------------------------------------------------------------


def test_head_counts_never_show_a_group_of_two(world, client, session):
    s1 = world.statements[0]
    rate_all(session, world.round, ["staff"] * 4, {s1.id: (3, False, None)})
    rate_all(session, world.round, ["service_user"] * 2, {s1.id: (2, False, None)})
    close(session, world.round)
    for who in ("mo", "lena"):
        client.login(who)
        page = client.get(f"/rounds/{world.round.id}/results").text
        took_part = BeautifulSoup(page, "html.parser").select_one(".app-took-part")
        assert took_part.get_text(" ", strip=True) == "6 people took part."
        assert "2 people using the service" not in page
        assert not re.search(r"\b2 (person|people) using", page)

    # fewer than 3 in all: not even the total
    small = make_round(session, world.team, world.framework, title="Small", status="open")
    add_participant(session, small, "staff", {s1.id: (3, False, None)})
    add_participant(session, small, "service_user", {s1.id: (3, False, None)})
    close(session, small)
    page = soup(client.get(f"/rounds/{small.id}/results"))
    assert (
        page.select_one(".app-took-part").get_text(strip=True) == "Fewer than 3 people took part."
    )


def test_head_counts_by_group_merge_small_groups_into_other(world, client, session):
    s1 = world.statements[0]
    people = ["staff"] * 3 + ["service_user"] * 3 + ["carer"] * 2 + ["community"]
    rate_all(session, world.round, people, {s1.id: (3, False, None)})
    close(session, world.round)
    client.login("lena")
    text = soup(client.get(f"/rounds/{world.round.id}/results")).select_one(".app-took-part")
    assert text.get_text(" ", strip=True) == (
        "9 people took part: 3 staff and peer support workers, 3 people using the service, "
        "3 from other groups together."
    )


# --- (d) divergence only where both sides are published --------------------------------------


def test_no_divergence_flag_or_means_when_the_breakdown_is_hidden(world, client, session):
    s1, s2, *_ = world.statements
    # s1: staff all 4, people using the service all 1, and 2 carers: no breakdown can be shown
    rate_all(
        session, world.round, ["staff"] * 3, {s1.id: (4, False, None), s2.id: (4, False, None)}
    )
    rate_all(
        session,
        world.round,
        ["service_user"] * 3,
        {s1.id: (1, False, None), s2.id: (1, False, None)},
    )
    rate_all(session, world.round, ["carer"] * 2, {s1.id: (2, False, None)})
    close(session, world.round)
    for who in ("mo", "lena", "fiona"):
        client.login(who)
        page = soup(client.get(f"/rounds/{world.round.id}/results"))
        card = page.select_one('.app-statement-result[data-code="C1.1"]')
        assert list(table(page, "C1.1")) == ["all"]
        assert not card.select(".app-divergence-flag, .app-staff-mean, .app-user-mean")
        assert "too few to compare" in card.get_text()
        # s2 has both sides published: flagged, with both means
        other = page.select_one('.app-statement-result[data-code="C1.2"]')
        assert other.select_one(".app-divergence-flag")
        assert other.select_one(".app-staff-mean").get_text() == "4.0"
        assert other.select_one(".app-user-mean").get_text() == "1.0"
        assert [li["data-code"] for li in page.select(".app-diverging li")] == ["C1.2"]


# --- (e) the projector ----------------------------------------------------------------------


def live_panel(client, round_) -> BeautifulSoup:
    return soup(client.get(f"/rounds/{round_.id}/live", headers=HX))


def assert_no_small_group(panel: BeautifulSoup) -> None:
    assert CARERS not in panel.get_text()
    for heading in panel.select(".app-live__group h3"):
        shown = re.search(r"\((\d+)\)", heading.get_text())
        assert shown and int(shown.group(1)) >= 3, heading.get_text()


def spread_of_panel(panel: BeautifulSoup) -> dict[str, list[str]]:
    return {
        g["data-group"]: [c.get_text() for c in g.select(".app-spread__count")]
        for g in panel.select(".app-live__group")
    }


def test_the_projector_never_shows_one_carer_and_its_spread_stays_frozen(world, client, session):
    s1 = world.statements[0]
    rate_all(session, world.round, ["staff"] * 3, {s1.id: (4, False, None)})
    rate_all(session, world.round, ["service_user"] * 3, {s1.id: (2, False, None)})
    carer = add_participant(session, world.round, "carer", {s1.id: (1, True, "Nobody calls us")})
    client.login("fiona")
    client.form(f"/rounds/{world.round.id}/current", {"statement_id": s1.id})
    panel = live_panel(client, world.round)
    assert panel.select_one("#spread") is None
    assert_no_small_group(panel)

    client.form(f"/rounds/{world.round.id}/spread/show", headers=HX)
    panel = live_panel(client, world.round)
    assert_no_small_group(panel)
    assert panel.select_one(".app-rated-count").get_text() == "7"  # exact, everyone
    assert panel.select_one(".app-joined-count").get_text() == "7"
    # staff and people using the service beside the total would give the carer away
    frozen = spread_of_panel(panel)
    assert frozen == {"all": ["1", "3", "0", "3", "0"]}

    # an answer after the snapshot changes the count in the room, not the spread
    add_participant(session, world.round, "staff", {s1.id: (3, False, None)})
    panel = live_panel(client, world.round)
    assert panel.select_one(".app-rated-count").get_text() == "8"
    assert spread_of_panel(panel) == frozen
    full = client.get(f"/rounds/{world.round.id}/live").text
    assert CARERS not in full

    # the carer's comment on the screen: its words only, no group, nickname or level
    comment = session.exec(select(Rating).where(Rating.participant_id == carer.id)).one()
    client.form(f"/rounds/{world.round.id}/comments/show", {"rating_id": comment.id})
    panel = live_panel(client, world.round)
    assert panel.select_one(".app-live__comment").get_text(strip=True) == "“Nobody calls us”"
    assert_no_small_group(panel)
    assert "Family" not in panel.get_text()


def test_the_projector_says_too_few_when_the_snapshot_check_fails(world, client, session):
    s1 = world.statements[0]
    rate_all(session, world.round, ["staff", "carer"], {s1.id: (2, False, None)})
    client.login("fiona")
    client.form(f"/rounds/{world.round.id}/current", {"statement_id": s1.id})
    client.form(f"/rounds/{world.round.id}/spread/show")
    round_ = session.get(Round, world.round.id)
    assert round_.spread_shown and round_.snapshot_id is None
    panel = live_panel(client, world.round)
    assert panel.select_one("#spread") is None
    assert panel.select_one(".app-live__too-few").get_text() == TOO_FEW_YET
    assert panel.select_one(".app-rated-count").get_text() == "2"


# --- (f) the facilitator's "show small groups on this screen only" ---------------------------


def test_small_groups_toggle_is_off_by_default_per_screen_and_never_moves_the_projector(
    world, client, session
):
    s1 = world.statements[0]
    rate_all(session, world.round, ["staff"] * 3, {s1.id: (4, False, None)})
    rate_all(session, world.round, ["service_user"] * 3, {s1.id: (2, False, None)})
    add_participant(session, world.round, "carer", {s1.id: (1, False, None)})
    client.login("fiona")
    client.form(f"/rounds/{world.round.id}/current", {"statement_id": s1.id})
    client.form(f"/rounds/{world.round.id}/spread/show")
    projector_before = client.get(f"/rounds/{world.round.id}/live", headers=HX).text

    page = soup(client.get(f"/rounds/{world.round.id}"))
    counts = page.select_one("#counts")
    poll = page.select_one("#room-live")["data-hx-get"]  # the live part, counts inside it
    assert poll.startswith(f"/rounds/{world.round.id}/counts?v=") and "small" not in poll
    assert not counts.select('[data-group="carer"], [data-perspective="carer"]')
    assert "Family, friend" not in counts.get_text()
    assert "too few to compare" in counts.get_text().lower()
    toggle = counts.select_one("#small-groups-on")
    assert toggle.get_text() == "Show small groups on this screen only"
    assert toggle["href"] == f"/rounds/{world.round.id}?small=1#counts"

    page = soup(client.get(f"/rounds/{world.round.id}?small=1"))
    counts = page.select_one("#counts")
    assert page.select_one("#room-live")["data-hx-get"].endswith("&small=1")
    carer = counts.select_one('tr[data-group="carer"]')
    assert [int(td.get_text()) for td in carer.select("td")] == [1, 1, 0, 0, 0, 0, 0]
    assert counts.select_one("#small-groups-off")["href"] == f"/rounds/{world.round.id}#counts"
    polled = soup(client.get(f"/rounds/{world.round.id}/counts?small=1", headers=HX))
    assert polled.select_one('tr[data-group="carer"]')
    # the choice is carried by this screen's own forms and redirects
    moved = client.form(f"/rounds/{world.round.id}/current?small=1", {"statement_id": s1.id})
    assert moved.headers["location"] == f"/rounds/{world.round.id}?small=1#statement"
    for form in page.select(f'form[action^="/rounds/{world.round.id}/"]'):
        assert form["action"].endswith("?small=1"), form["action"]

    # the open round's live results follow the same rule; the CSV never shows small groups
    results = soup(client.get(f"/rounds/{world.round.id}/results"))
    assert "carer" not in table(results, "C1.1")
    results = soup(client.get(f"/rounds/{world.round.id}/results?small=1"))
    assert table(results, "C1.1")["carer"][0] == 1
    exported = rows_of(client.get(f"/rounds/{world.round.id}/ratings.csv?small=1").text)
    assert CARERS not in {r["group"] for r in exported}

    # the projector is unchanged, whatever any screen chose
    assert client.get(f"/rounds/{world.round.id}/live?small=1", headers=HX).text == (
        projector_before
    )
    assert client.get(f"/rounds/{world.round.id}/live", headers=HX).text == projector_before
    assert CARERS not in projector_before


def test_small_groups_never_reach_anyone_but_the_facilitator(world, client, session):
    s1 = world.statements[0]
    rate_all(session, world.round, ["staff"] * 3, {s1.id: (4, False, None)})
    add_participant(session, world.round, "carer", {s1.id: (1, False, None)})
    close(session, world.round)
    for who in ("mo", "lena", "fiona"):
        client.login(who)
        page = soup(client.get(f"/rounds/{world.round.id}/results?small=1"))
        assert not page.select("#small-groups-on, #small-groups-off")
        assert list(table(page, "C1.1")) == ["all"]


# --- a real browser: the projector and the join page ----------------------------------------


@pytest.mark.browser
def test_projector_and_join_page_in_a_browser(live_server, page, session):
    from playwright.sync_api import expect

    from app.rounds.service import bump_room_version
    from tests.conftest import axe_violations
    from tests.factories import PASSWORD

    framework = small_framework(session)
    team = make_team(session, "Willow Ward", framework_key="small")
    make_person(session, team, "fiona", role="facilitator")
    round_ = make_round(session, team, framework, title="Baseline", status="open")
    s1 = queries.round_statements(session, round_)[0]
    rate_all(session, round_, ["staff"] * 3, {s1.id: (4, False, None)})
    rate_all(session, round_, ["service_user"] * 3, {s1.id: (2, False, None)})
    add_participant(session, round_, "carer", {s1.id: (1, False, None)})
    session.commit()
    base, rid = live_server, round_.id

    page.goto(f"{base}/join")
    promise = page.inner_text(".app-privacy-promise")
    assert "only ever shown added up with at least 2 other people's" in promise
    assert "facilitator's own screen can show smaller groups" in promise
    page.goto(f"{base}/r/{round_.join_code}")
    note = page.inner_text(".app-privacy-note")
    assert "at least 2 other people's" in note and "fewer than 3 people" in note

    page.goto(f"{base}/login")
    page.fill("#username", "fiona")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    projector = page.context.new_page()
    projector.goto(f"{base}/rounds/{rid}/live")
    assert projector.inner_text("#live-panel .app-rated-count") == "7"
    page.goto(f"{base}/rounds/{rid}")
    page.click("#show-spread")
    page.wait_for_selector("#hide-spread")
    projector.wait_for_selector("#spread", timeout=8000)
    text = projector.inner_text("#live-panel")
    assert CARERS not in text and "Everyone (7)" in text
    frozen = projector.locator(".app-spread__count").all_inner_texts()

    add_participant(session, round_, "staff", {s1.id: (1, False, None)})
    bump_room_version(session, round_)  # as a phone's answer does (the factory writes rows)
    session.commit()
    expect(projector.locator("#live-panel .app-rated-count")).to_have_text("8", timeout=8000)
    assert projector.locator(".app-spread__count").all_inner_texts() == frozen
    assert CARERS not in projector.inner_text("#live-panel")
    assert axe_violations(projector) == []
    projector.close()
