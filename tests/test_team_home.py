"""Team home: plan at a glance, timeline, trend chart with its table; open actions first."""

from __future__ import annotations

from datetime import date

from app.plans.queries import plans as plans_queries
from tests.conftest import soup
from tests.factories import make_user
from tests.plans_world import agreed_plan, closed_round, make_world


def _world(session):
    w = make_world(session)
    closed_round(
        session,
        w.team,
        w.framework,
        title="Follow-up",
        held_on=date(2026, 9, 1),
        agreed={"C1.1": 3, "C1.2": 3, "C2.1": 4, "C2.2": None},
    )
    plan, priorities, actions = agreed_plan(session, w)
    return w, plan, priorities, actions


def test_team_home_inside(client, session):
    w, plan, _p, _a = _world(session)
    client.login("fac")
    assert (
        client.form(
            f"/teams/{w.team.id}/celebrations", {"text": "First peer group", "on": "2026-09-05"}
        ).status_code
        == 303
    )
    page = soup(client.get(f"/teams/{w.team.id}"))
    assert page.select_one("h1").get_text(strip=True) == "Team A"
    glance = page.select(".app-glance__item")
    assert len(glance) == 3
    bar = glance[0].select_one("progress")
    assert (bar["value"], bar["max"]) == ("0", "1")
    assert glance[0].select_one(".app-progress__text").get_text(strip=True) == "0 of 1 action done"
    # the trend chart: an accessible SVG with a data table beside it
    svg = page.select_one("svg.app-trend__chart")
    assert svg["role"] == "img"
    assert svg.select_one("title").get_text(strip=True) == "Section levels across 2 rounds"
    assert "C1" in svg.select_one("desc").get_text()
    rows = [
        [c.get_text(" ", strip=True) for c in tr.select("th, td")]
        for tr in page.select(".app-trend-table tbody tr")
    ]
    assert rows == [
        ["C1 Everyday conversations", "1.5 (2)", "3.0 (2)"],
        ["C2 Learning for staff", "3.5 (2)", "4.0 (1)"],
    ]
    assert not page.select("[style]")
    # the timeline, newest first
    kinds = [li["class"][1] for li in page.select(".app-timeline__item")]
    dates = [li.select_one(".app-timeline__date").get_text() for li in page.select(
        ".app-timeline__item")]  # fmt: skip
    assert dates[0] == "5 Sep 2026" and "app-timeline__item--celebration" == kinds[0]
    assert "app-timeline__item--round" in kinds and "app-timeline__item--plan" in kinds
    links = {a["href"] for a in page.select(".app-team-links a")}
    assert {f"/teams/{w.team.id}/members", f"/teams/{w.team.id}/assets"} <= links


def test_team_home_outside_view_has_no_names(make_client, session):
    w, _plan, _p, _a = _world(session)
    make_user(session, "lead", role="recovery_lead")
    lead = make_client()
    lead.login("lead")
    client_page = lead.get(f"/teams/{w.team.id}")
    assert client_page.status_code == 200
    page = soup(client_page)
    text = page.select_one("main").get_text(" ")
    for name in ("Sam Staff", "Sue User", "Omar", "Fran", "Pat Peer", "Uma"):
        assert name not in text
    assert (
        page.select_one(".app-glance__item")
        .get_text(" ", strip=True)
        .count("Co-led by staff and a person using the service")
        == 1
    )
    links = {a["href"] for a in page.select(".app-team-links a")}
    assert f"/teams/{w.team.id}/members" not in links
    assert f"/teams/{w.team.id}/assets" not in links


def test_a_team_you_are_not_on_is_not_found(client, session):
    w, _plan, _p, _a = _world(session)
    make_world(session, "Team B", prefix="b")
    client.login("bfac")
    assert client.get(f"/teams/{w.team.id}").status_code == 404


def test_open_actions_are_shown_before_a_new_round(client, session):
    w, plan, _p, (a1, a2, a3) = _world(session)
    found = plans_queries.open_actions_for_team(session, w.team.id, date(2026, 3, 10))
    assert [o.action.id for o in found] == [a1.id, a2.id, a3.id]
    session.commit()
    client.login("fac")
    # the panel is a plans fragment; the new-round page loads it with htmx (data-hx-get)
    page = soup(client.get(f"/teams/{w.team.id}/open-actions", headers={"HX-Request": "true"}))
    callout = page.select_one(".app-open-actions-callout")
    assert callout is not None
    assert "Review before you benchmark again" in callout.get_text()
    assert len(callout.select(".app-open-actions li")) == 3
