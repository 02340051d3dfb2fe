"""The trend charts (issue 13, point 5): the organisation's XmR chart of the median team
level by quarter (each team once per quarter), and a team's own chart, with process limits
only from 12 rounds. Drawn as SVG on the server, with the numbers and signals in words."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Framework
from tests.compare_org import TODAY, _round, build_org
from tests.conftest import soup


@pytest.fixture
def lead(client, session, clock):
    clock.now = TODAY
    org = build_org(session)
    client.login("lena")
    client.org = org
    client.session = session
    return client


def _c1(level_a: int, level_b: int | None = None, level_c: int | None = None) -> dict:
    b = level_a if level_b is None else level_b
    c = level_a if level_c is None else level_c
    return {"C1.1": level_a, "C1.2": b, "C1.3": c}


def _history(session, org, team_key: str, levels: list[dict], start_year: int = 2020):
    """One round a quarter from January of start_year, on the alpha framework v1."""
    team = org.teams[team_key]
    fw = _alpha1(session, org)
    for index, agreed in enumerate(levels):
        year, quarter = start_year + index // 4, index % 4
        held = date(year, 1 + quarter * 3, 10)
        _round(session, org, f"{team_key}-{index}", team, fw, held, agreed, "alpha1")
    session.commit()


def _alpha1(session, org):
    return session.get(Framework, org.statements[("alpha1", "C1.1")].framework_id)


def _rows(page):
    return [
        [c.get_text(strip=True) for c in tr.select("th, td")]
        for tr in page.select("table.app-trend tbody tr")
    ]


def test_organisation_chart_plots_the_median_with_limits_and_signals(lead):
    org, session = lead.org, lead.session
    # 16 quarters: steady, then six quarters rising (a trend signal)
    steady = [2, 2, 3, 2, 2, 3, 2, 2, 3, 2]
    _history(
        session,
        org,
        "alder",
        [_c1(v) for v in steady] + [_c1(1), _c1(1, 2, 2), _c1(2), _c1(2, 3, 3), _c1(3), _c1(4)],
    )
    # a second team in the first quarter (1.0 beside alder's 2.0): the median is 1.5
    fw = _alpha1(session, org)
    _round(session, org, "cedar-q1", org.teams["cedar"], fw, date(2020, 2, 1), _c1(1), "alpha1")
    session.commit()
    page = soup(lead.get("/compare/trend?section=C1&framework=alpha"), status=200)
    rows = _rows(page)
    assert rows[0][:5] == ["2020 Q1", "2", "1.0", "1.5", "2.0"]
    svg = page.select_one("svg.app-chart[role=img]")
    assert svg is not None and svg.select_one("title").get_text().startswith("Middle team level")
    points = svg.select_one("polyline")["points"].split()
    assert len(points) == len([r for r in rows if r[3] != "–"])  # one point a quarter
    assert len(svg.select(".app-chart__limit")) == 2 and svg.select(".app-chart__mean")
    signals = page.select_one("ul.app-chart__signals").get_text(" ", strip=True)
    assert "6 or more in a row rising or falling" in signals
    # shape as well as colour: the rising points are triangles pointing up
    assert svg.select("path.app-chart__point--high")


def test_a_team_chart_is_a_plain_line_below_12_rounds(lead):
    org, session = lead.org, lead.session
    _history(session, org, "alder", [_c1(2 + i % 2) for i in range(8)], start_year=2021)
    team = org.teams["alder"]
    page = soup(lead.get(f"/compare/trend?section=C1&team={team.id}"), status=200)
    chart = page.select_one(".app-team-trend svg")
    assert chart is not None and not chart.select(".app-chart__limit")
    why = page.select_one(".app-chart__why").get_text(" ", strip=True)
    assert "at least 12 rounds" in why and "has 11 so far" in why
    # the builder's three rounds, eight more and one: twelve rounds → limits
    _history(session, org, "alder", [_c1(3)], start_year=2019)
    page = soup(lead.get(f"/compare/trend?section=C1&team={team.id}"), status=200)
    chart = page.select_one(".app-team-trend svg")
    assert len(chart.select(".app-chart__limit")) == 2
    assert page.select_one(".app-chart__why") is None
    rows = page.select(".app-team-trend table tbody tr")
    assert len(rows) == 12


def test_hidden_names_on_the_team_chart(lead):
    team = lead.org.teams["alder"]
    page = soup(lead.get(f"/compare/trend?section=C1&team={team.id}&hide=1"), status=200)
    text = page.select_one("main").get_text(" ", strip=True)
    assert "Alder" not in text and "Team 1: C1 level at each round" in text
