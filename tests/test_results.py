"""Results and the CSV export: who sees them, the anonymity floor (subtraction included),
section levels, strengths and gaps, change since the previous round."""

from __future__ import annotations

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest

from app.models import AgreedRating
from app.rounds import queries, service
from app.rounds.queries import section_levels, statement_levels
from tests.conftest import soup
from tests.factories import (
    add_participant,
    make_person,
    make_round,
    make_team,
    make_user,
    small_framework,
)


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
    make_user(session, "olly")
    return SimpleNamespace(framework=framework, team=team)


def agree(session, round_, statement, level, well="", could=""):
    session.add(
        AgreedRating(
            round_id=round_.id,
            statement_id=statement.id,
            level=level,
            well_notes=well,
            could_notes=could,
        )
    )
    session.commit()


def rows_of(csv_text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_text)))


def test_results_open_for_facilitators_only_closed_for_all_who_see_the_team(world, client, session):
    round_ = make_round(session, world.team, world.framework, status="open")
    st = queries.round_statements(session, round_)[0]
    add_participant(session, round_, "staff", {st.id: (3, False, "Good team")})
    for who, page, data in [("fiona", 200, 200), ("mo", 403, 403), ("lena", 403, 403)]:
        client.login(who)
        assert client.get(f"/rounds/{round_.id}/results").status_code == page, who
        assert client.get(f"/rounds/{round_.id}/ratings.csv").status_code == data, who
    client.login("fiona")
    live = soup(client.get(f"/rounds/{round_.id}/results"))
    assert live.select_one(".app-live-note")
    service.close_round(session, round_)
    for who in ("fiona", "mo", "lena"):
        client.login(who)
        assert client.get(f"/rounds/{round_.id}/results").status_code == 200, who
    client.login("olly")
    assert client.get(f"/rounds/{round_.id}/results").status_code == 404
    assert client.get(f"/rounds/{round_.id}/ratings.csv").status_code == 404
    client.login("mo")
    inside = soup(client.get(f"/rounds/{round_.id}/results"))
    assert [li.get_text() for li in inside.select(".app-result-comments li")] == ["“Good team”"]
    assert rows_of(client.get(f"/rounds/{round_.id}/ratings.csv").text)[0]["comments"] == (
        "Good team"
    )
    client.login("lena")
    outside = client.get(f"/rounds/{round_.id}/results")
    assert not soup(outside).select(".app-result-comments") and "Good team" not in outside.text
    exported = client.get(f"/rounds/{round_.id}/ratings.csv")
    assert "Good team" not in exported.text and "comments" not in rows_of(exported.text)[0]


def test_two_carers_cannot_be_recovered_from_the_page_or_the_csv(world, client, session):
    round_ = make_round(session, world.team, world.framework, status="open")
    s1, s2, s3, _ = queries.round_statements(session, round_)
    # s1: 5 staff, 4 people using the service, 2 carers (the carers both said 1)
    # s2: the same without carers; s3: 2 carers + 1 community partner = "other" of 3
    for _ in range(5):
        add_participant(
            session,
            round_,
            "staff",
            {s1.id: (4, True, None), s2.id: (3, False, None), s3.id: (3, False, None)},
        )
    for _ in range(4):
        add_participant(
            session,
            round_,
            "service_user",
            {s1.id: (2, False, None), s2.id: (2, False, None), s3.id: (2, False, None)},
        )
    for _ in range(2):
        add_participant(session, round_, "carer", {s1.id: (1, True, None), s3.id: (1, False, None)})
    add_participant(session, round_, "community", {s3.id: (4, False, None)})
    service.close_round(session, round_)
    client.login("mo")
    page = soup(client.get(f"/rounds/{round_.id}/results"))
    exported = rows_of(client.get(f"/rounds/{round_.id}/ratings.csv").text)

    def page_groups(code):
        card = page.select_one(f'.app-statement-result[data-code="{code}"]')
        return card, {
            row["data-group"]: [int(td.get_text()) for td in row.select("td")]
            for row in card.select("tr[data-group]")
        }

    card, groups = page_groups("C1.1")
    assert list(groups) == ["all"]  # no breakdown at all: only the total
    assert groups["all"] == [11, 2, 4, 0, 5, 0, 7]
    assert card.select_one(".app-floor-note")
    assert not card.select(".app-staff-mean, .app-user-mean")  # means would give it away
    csv_groups = [r["group"] for r in exported if r["statement_code"] == "C1.1"]
    assert csv_groups == ["Everyone"]

    _, groups = page_groups("C1.2")
    assert set(groups) == {"all", "staff_side", "service_user"}

    _, groups = page_groups("C2.1")
    assert set(groups) == {"all", "staff_side", "service_user", "other"}
    assert groups["other"][0] == 3

    # subtraction: wherever groups are shown they add up to the total exactly, and each
    # shown group has at least 3 people, so "total minus shown groups" recovers nobody
    for code in ("C1.1", "C1.2", "C2.1", "C2.2"):
        _, groups = page_groups(code)
        total = groups.pop("all", None)
        if groups:
            assert [sum(col) for col in zip(*groups.values(), strict=True)] == total
            assert all(values[0] >= 3 for values in groups.values())
        rows = [r for r in exported if r["statement_code"] == code]
        shown = [r for r in rows if r["group"] not in ("Everyone", "")]
        if shown:
            for column in ["people", "1 Not yet", "Don't know", "matters_most"]:
                assert sum(int(r[column]) for r in shown) == int(rows[0][column])
            assert all(int(r["people"]) >= 3 for r in shown)
    for row in exported:
        assert row["group"] not in ("Family, friends and carers", "Community partners")
    # C2.2 had no answers: one row for its agreed level, no counts at all
    assert [(r["group"], r["people"]) for r in exported if r["statement_code"] == "C2.2"] == [
        ("", "fewer than 3")
    ]


def test_section_levels_strengths_gaps_and_the_chart(world, client, session):
    round_ = make_round(session, world.team, world.framework, status="open")
    s1, s2, s3, s4 = queries.round_statements(session, round_)
    agree(session, round_, s1, 4, "We ask first", "Ask everyone")
    agree(session, round_, s2, 1)
    agree(session, round_, s3, None)
    agree(session, round_, s4, 3)
    service.close_round(session, round_)
    levels = section_levels(session, round_.id)
    assert (levels["C1"].shown, levels["C1"].n) == ("2.5", 2)
    assert (levels["C2"].shown, levels["C2"].n) == ("3.0", 1)
    assert statement_levels(session, round_.id) == {
        "C1.1": 4,
        "C1.2": 1,
        "C2.1": None,
        "C2.2": 3,
    }
    client.login("mo")
    page = soup(client.get(f"/rounds/{round_.id}/results"))
    assert [li["data-code"] for li in page.select(".app-strengths li")] == ["C1.1"]
    assert [li["data-code"] for li in page.select(".app-gaps li")] == ["C1.2"]
    row = page.select_one('tr[data-section="C1"]')
    assert row.select_one(".app-section-level").get_text() == "2.5"
    assert "rests on 2 statements" in row.get_text()
    svg = page.select_one("svg.app-chart")
    assert svg["role"] == "img" and svg.select_one("title") and svg.select_one("desc")
    assert len(svg.select("rect.app-chart__bar")) == 2
    assert not page.select("[style]")


def test_change_since_the_previous_round_on_the_same_key_across_versions(world, client, session):
    first = make_round(
        session,
        world.team,
        world.framework,
        title="Baseline",
        held_on=date(2026, 1, 10),
        status="open",
    )
    old = queries.round_statements(session, first)
    agree(session, first, old[0], 2)
    agree(session, first, old[1], 3)
    service.close_round(session, first)
    newer = small_framework(session, "v2")
    second = make_round(
        session, world.team, newer, title="Review", held_on=date(2026, 7, 10), status="open"
    )
    new = queries.round_statements(session, second)
    agree(session, second, new[0], 3)
    agree(session, second, new[1], 2)
    service.close_round(session, second)
    client.login("mo")
    page = soup(client.get(f"/rounds/{second.id}/results"))
    assert page.select_one(".app-previous").get_text() == "Baseline"
    up = page.select_one('.app-statement-result[data-code="C1.1"] .app-change')
    assert "app-change--up" in up["class"]
    assert up.select_one("[aria-hidden]").get_text() == "▲ +1.0"
    assert "up 1.0 since Baseline" in up.select_one(".nhsuk-u-visually-hidden").get_text()
    down = page.select_one('.app-statement-result[data-code="C1.2"] .app-change')
    assert down.select_one("[aria-hidden]").get_text() == "▼ -1.0"
    section = page.select_one('tr[data-section="C1"] .app-change')
    assert "no change" in section.get_text()
    # the first round has nothing before it
    first_page = soup(client.get(f"/rounds/{first.id}/results"))
    assert first_page.select_one(".app-change") is None
